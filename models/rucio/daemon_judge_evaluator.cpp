// judge-evaluator (rucio-1.23.md §5.2): up to `did_limit` UPDATED_DIDS rows per cycle, oldest
// first (evaluator.py#L92-95). The first row of a DID in the batch re-evaluates the DID in
// one transaction (evaluator.py#L128, rule.py#L1528-1566); every later row of the same DID
// and action is only deleted (evaluator.py#L112-118). An ATTACH resolves the DID's new
// children (the contents rows whose rule_evaluation flag is set, rule.py#L2559-2563) and
// applies to them every rule of the DID and its ancestors that is not INJECT, SUSPENDED or
// WAITING_APPROVAL (rule.py#L2566-2578), through the old algorithm (rules.cpp).
//
// Lock conflicts are not modelled: the rules are read FOR UPDATE NOWAIT (rule.py#L2578); on
// PostgreSQL a conflict is logged, not paused, and the row is retried in the next cycle
// (rucio-1.23.md §1.3), which only costs again the statements up to the failed query.
#include <algorithm>
#include <cmath>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Work attach_evaluation_work(double new_files, double rules, double parents) {
  Work w;
  // The DID (rule.py#L1540), its ancestors one level per query (did.py
  // list_all_parent_dids), the new children (#L2559), the UPDATED_COL_REP row of a dataset
  // (#L1563-1566; one statement, counted for a container too) and the commit; then
  // delete_updated_did and its commit (evaluator.py#L130).
  w.statements = 1 + (parents + 1) + 1 + 1 + 1 + 2;
  w.rows = 1 + parents + new_files;
  if (new_files <= 0) return w;
  // The rules, FOR UPDATE NOWAIT (#L2574-2578), and every new child's flag cleared, one
  // UPDATE per row (#L2716-2718: psycopg2's executemany runs one statement per row).
  w.statements += 1 + new_files;
  w.rows += rules;
  if (rules <= 0) return w;
  // The new files' locks and replicas, in chunks of 10 files (#L2862-2904), and each rule's
  // RSE expression parsed for the candidate RSEs (#L2586-2601; no memcached: a query each,
  // rucio-1.23.md §1.2).
  w.statements += 2 * std::ceil(new_files / 10) + rules;
  // Per rule: its expression again (#L2617-2623), the RSE selector's account limit and usage
  // (#L2637-2642), the oldest sibling file and its locks (#L2659-2668), the locks, replicas
  // and requests of the new files (rule_work), the dataset locks' state (#L2698-2706), the
  // rule history row (#L2713) and the rule's counters flushed.
  Work per_rule = rule_work(new_files);
  per_rule.statements += 1 + 2 + 2 + 1 + 1 + 1;
  per_rule.rows += 2;
  w += rules * per_rule;
  return w;
}

namespace {

// One re_evaluate_did of the batch: a dataset whose files were attached, or a container
// whose datasets were attached (all its rows in the batch, evaluator.py#L112-118).
struct Evaluation {
  bool files_attached = false;
  std::uint32_t did = 0;                // the dataset, or the container
  std::vector<std::uint32_t> datasets;  // new children of a container
  double new_files = 0;
  double rules = 0;
};

// Rules of a container that an evaluation applies (INJECT ones are skipped, #L2578).
double applied_rules(RucioWorld& w, std::uint32_t container) {
  double rules = 0;
  for (auto r : w.catalog.container(container).rules)
    rules += w.catalog.rule(r).state == RuleState::Inject ? 0 : 1;
  return rules;
}

// Groups the claimed rows into evaluations; returns the rows that are only deleted.
double group_evaluations(RucioWorld& w, const std::vector<RowGroup>& claimed,
                         std::vector<Evaluation>& out) {
  double duplicates = 0;
  for (const auto& g : claimed) {
    const Dataset& ds = w.catalog.dataset(g.dataset);
    const bool files = g.rule == kFilesAttached;
    if (!files && !ds.container) {  // nothing to evaluate: the row is deleted
      duplicates += static_cast<double>(g.rows);
      continue;
    }
    const std::uint32_t did = files ? ds.id : *ds.container;
    auto it = std::find_if(out.begin(), out.end(), [&](const Evaluation& e) {
      return e.files_attached == files && e.did == did;
    });
    duplicates += static_cast<double>(g.rows) - (it == out.end() ? 1 : 0);
    if (it == out.end()) {
      out.push_back({files, did, {}, 0, ds.container ? applied_rules(w, *ds.container) : 0});
      it = out.end() - 1;
    }
    if (files) {
      it->new_files = static_cast<double>(ds.files - ds.files_evaluated);
    } else if (std::find(it->datasets.begin(), it->datasets.end(), ds.id) == it->datasets.end()) {
      it->datasets.push_back(ds.id);
      it->new_files += static_cast<double>(ds.files);
    }
  }
  return duplicates;
}

void commit_evaluation(RucioWorld& w, const Evaluation& e) {
  if (!e.files_attached) {
    for (auto d : e.datasets)
      for (auto rule : w.catalog.container(e.did).rules) apply_rule_to_new_dataset(w, rule, d);
    return;
  }
  Dataset& ds = w.catalog.dataset(e.did);
  // The files seen at the start of the cycle are evaluated (never more than the dataset has).
  ds.files_evaluated =
      std::min<std::int64_t>(ds.files, ds.files_evaluated + std::llround(e.new_files));
  if (ds.container)
    for (auto rule : w.catalog.container(*ds.container).rules)
      apply_rule_to_new_dataset(w, rule, ds.id);
  // A dataset's evaluation adds one UPDATED_COL_REP row, rse_id NULL (rule.py#L1563-1566).
  w.db.table(Table::UpdatedColRep).insert(RowGroup{1, ds.id, 0, kAnyRse, 0, 0});
}

}  // namespace

Cycle plan_judge_evaluator(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t limit = option(s, "did_limit");
  const double n = static_cast<double>(claim_share(w, c, Table::UpdatedDids, me, limit));
  std::vector<Evaluation> evaluations;
  const double duplicates = group_evaluations(w, c.claimed, evaluations);
  c.work.rows = n;                     // the fetched rows (id, scope, name, action)
  c.work.statements = 2 * duplicates;  // delete_updated_did and its commit
  double largest = 0;
  for (const auto& e : evaluations) {
    const double parents = e.files_attached ? 1 : 0;  // a dataset's container
    c.work += attach_evaluation_work(e.new_files, e.rules, parents);
    // Held while it runs: the new children's rows, and per rule their locks, replicas and
    // requests (rule_file_bytes per file); one evaluation at a time.
    largest =
        std::max(largest, e.new_files * (w.cost.row_bytes + e.rules * w.cost.rule_file_bytes));
  }
  c.heap_bytes = n * w.cost.row_bytes + largest;
  c.full = n >= static_cast<double>(limit);
  c.commit = [&w, evaluations = std::move(evaluations)](Cycle&) {
    for (const auto& e : evaluations) commit_evaluation(w, e);
  };
  return c;
}

}  // namespace dlsim::models::rucio
