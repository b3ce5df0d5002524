// judge-evaluator (rucio 1.23.10 lib/rucio/daemons/judge/evaluator.py#L81-169): up to `did_limit`
// UPDATED_DIDS rows per cycle, oldest first (evaluator.py#L92-95). The first row of a DID in the
// batch re-evaluates the DID in one transaction (evaluator.py#L128, rule.py#L1528-1566); every
// later row of the same DID and action is only deleted (evaluator.py#L112-118). An ATTACH resolves
// the DID's new children (the contents rows whose rule_evaluation flag is set, rule.py#L2559-2563)
// and applies to them every rule of the DID and its ancestors that is not INJECT, SUSPENDED or
// WAITING_APPROVAL (rule.py#L2566-2578), through the old algorithm (rules.cpp).
//
// Lock conflicts: the rules are read FOR UPDATE NOWAIT (rule.py#L2578), so a rule row that
// another worker's evaluation holds makes the evaluation fail at once. On PostgreSQL the
// error is not ORA-00054: it is logged, not paused (evaluator.py#L134-147), the row stays,
// and the DID is not marked done, so every later row of it in the batch fails the same way
// (#L113-131); the batch was not empty, so the next cycle starts at once (#L103-106). The
// model keeps each evaluator transaction's hold on its rules' rows (estimated from its work,
// uncontended) and conveyor-finisher's (lock.py#L305-311, daemon_conveyor_finisher.cpp) and
// checks them; behind a held row the worker's back-to-back retries are priced in one cycle
// (add_retries).
#include <algorithm>
#include <cmath>
#include <optional>

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
  // rucio 1.23.10 lib/rucio/core/rse_expression_parser.py#L53-55).
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
  std::uint32_t did = 0;                  // the dataset, or the container
  std::optional<std::uint32_t> rules_of;  // the container whose rules it reads
  std::vector<std::uint32_t> datasets;    // new children of a container
  double new_files = 0;
  double rules = 0;
  double rows = 0;               // its rows in the batch
  bool conflict = false;         // a rule row held by another worker: every row fails
  std::size_t datasets_end = 0;  // a container's datasets[datasets_evaluated .. end) are new
};

// Rules of a container that an evaluation applies (INJECT ones are skipped, #L2578).
double applied_rules(RucioWorld& w, std::uint32_t container) {
  double rules = 0;
  for (auto r : w.catalog.container(container).rules)
    rules += w.catalog.rule(r).state == RuleState::Inject ? 0 : 1;
  return rules;
}

// The evaluation a row belongs to: (files attached?, the DID evaluated), or nothing for a
// container row of a dataset without container.
std::optional<std::pair<bool, std::uint32_t>> key_of(RucioWorld& w, const RowGroup& g) {
  const Dataset& ds = w.catalog.dataset(g.dataset);
  const bool files = g.rule == kFilesAttached;
  if (!files && !ds.container) return std::nullopt;
  return std::make_pair(files, files ? ds.id : *ds.container);
}

}  // namespace

// md5 of the name in 1.23.10 (lib/rucio/db/sqla/__init__.py#L10-29); a fixed integer mix of
// the DID's id here.
int judge_evaluator_owner(RucioWorld& w, const RowGroup& g, int count) {
  auto key = key_of(w, g);
  std::uint64_t x = key ? 2 * std::uint64_t{key->second} + (key->first ? 1 : 0) : g.dataset;
  x ^= x >> 33;  // a fixed mix (splitmix64's finaliser) so that ids spread over the workers
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<int>(x % static_cast<std::uint64_t>(count));
}

namespace {

// The worker's oldest `limit` rows of its own partition: taken from the table's oldest
// limit × workers rows (about `limit` of them are its own), the others put back in order.
std::int64_t claim_partition(RucioWorld& w, Cycle& c, const Worker& me, std::int64_t limit) {
  auto& table = w.db.table(Table::UpdatedDids);
  c.table = Table::UpdatedDids;
  const int count = std::max(1, me.count);
  std::vector<RowGroup> seen, others;
  table.claim(limit * count, seen);
  std::int64_t mine = 0;
  for (const auto& g : seen) {
    if (mine >= limit || judge_evaluator_owner(w, g, count) != me.rank % count) {
      others.push_back(g);
      continue;
    }
    RowGroup part = g;
    part.rows = std::min(g.rows, limit - mine);
    c.claimed.push_back(part);
    mine += part.rows;
    if (part.rows == g.rows) continue;
    RowGroup rest = g;
    rest.rows -= part.rows;
    others.push_back(rest);
  }
  table.release(others);
  c.rows += mine;
  return mine;
}

// Groups the claimed rows into evaluations; returns the rows with nothing to evaluate.
double group_evaluations(RucioWorld& w, const std::vector<RowGroup>& claimed,
                         std::vector<Evaluation>& out) {
  double nothing = 0;
  for (const auto& g : claimed) {
    auto key = key_of(w, g);
    if (!key) {  // nothing to evaluate: the row is deleted
      nothing += static_cast<double>(g.rows);
      continue;
    }
    const Dataset& ds = w.catalog.dataset(g.dataset);
    auto it = std::find_if(out.begin(), out.end(), [&](const Evaluation& e) {
      return e.files_attached == key->first && e.did == key->second;
    });
    if (it == out.end()) {
      Evaluation e{key->first, key->second, ds.container, {}, 0, 0, 0, false};
      e.rules = ds.container ? applied_rules(w, *ds.container) : 0;
      out.push_back(e);
      it = out.end() - 1;
    }
    it->rows += static_cast<double>(g.rows);
    if (key->first) {
      it->new_files = static_cast<double>(ds.files - ds.files_evaluated);
    } else if (it->datasets.empty()) {
      // A container's new children are every dataset attached since its last successful
      // evaluation (their rule_evaluation flag, rule.py#L2559-2563), not only those whose
      // rows are in this batch: each is resolved whole (#L2916-2928).
      const Container& ct = w.catalog.container(key->second);
      for (std::size_t i = ct.datasets_evaluated; i < ct.datasets.size(); ++i) {
        it->datasets.push_back(ct.datasets[i]);
        it->new_files += static_cast<double>(w.catalog.dataset(ct.datasets[i]).files);
      }
      it->datasets_end = ct.datasets.size();
    }
  }
  return nothing;
}

// One failed attempt: the DID, its ancestors, the new children, the rules query that fails
// on the lock, and the rollback.
Work conflict_work(double new_files, double parents) {
  Work w;
  w.statements = 1 + (parents + 1) + 1 + 1 + 1;
  w.rows = 1 + parents + new_files;
  return w;
}

// The CONTENTS rows an evaluation loads before it reads the rules (rule.py#L2559-2563): the
// new files of a dataset, the new datasets of a container.
double new_children(const Evaluation& e) {
  return e.files_attached ? e.new_files : static_cast<double>(e.datasets.size());
}

// When the rows this evaluation reads are all free again (at_s if none is held by another).
double rules_free_at(RucioWorld& w, const Evaluation& e, int rank, double at_s) {
  double free_s = at_s;
  if (!e.rules_of) return free_s;
  for (auto r : w.catalog.container(*e.rules_of).rules) {
    const Rule& rule = w.catalog.rule(r);
    if (rule.state != RuleState::Inject && rule.row_locked_by != rank)
      free_s = std::max(free_s, rule.row_locked_until_s);
  }
  return free_s;
}

// Whether a rule this evaluation reads is held, at `at_s`, by another worker's transaction.
bool rule_row_held(RucioWorld& w, const Evaluation& e, int rank, double at_s) {
  if (!e.rules_of || e.new_files <= 0 || e.rules <= 0) return false;
  for (auto r : w.catalog.container(*e.rules_of).rules) {
    const Rule& rule = w.catalog.rule(r);
    if (rule.state != RuleState::Inject && rule.row_locked_by != rank &&
        rule.row_locked_until_s > at_s)
      return true;
  }
  return false;
}

void hold_rule_rows(RucioWorld& w, const Evaluation& e, int rank, double until_s) {
  if (!e.rules_of || e.new_files <= 0 || e.rules <= 0) return;
  for (auto r : w.catalog.container(*e.rules_of).rules) {
    Rule& rule = w.catalog.rule(r);
    if (rule.state == RuleState::Inject) continue;
    rule.row_locked_until_s = until_s;
    rule.row_locked_by = rank;
  }
}

// How long a transaction of this work lasts, uncontended: its CPU and its round trips.
double duration_s(RucioWorld& w, const Work& work) {
  return cpu_seconds(work, w.cost) +
         w.db.uncontended_time_s(static_cast<int>(work.statements),
                                 work.statements * w.cost.db_cpu_per_statement_s);
}

void commit_evaluation(RucioWorld& w, const Evaluation& e) {
  if (!e.files_attached) {
    Container& ct = w.catalog.container(e.did);
    for (auto d : e.datasets)
      for (auto rule : ct.rules) apply_rule_to_new_dataset(w, rule, d);
    ct.datasets_evaluated = std::max(ct.datasets_evaluated, e.datasets_end);
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

// The rows of failed evaluations stay in the table (nothing was committed).
void keep_failed_rows(RucioWorld& w, const std::vector<Evaluation>& evaluations, Cycle& c) {
  std::vector<RowGroup> deleted;
  for (const auto& g : c.claimed) {
    auto key = key_of(w, g);
    const bool failed =
        key && std::any_of(evaluations.begin(), evaluations.end(), [&](auto& e) {
          return e.conflict && e.files_attached == key->first && e.did == key->second;
        });
    (failed ? c.keep : deleted).push_back(g);
  }
  c.claimed = std::move(deleted);
}

// The retry storm behind a held rule row: a failed evaluation leaves its rows and the next
// cycle starts at once (evaluator.py#L103-106, #L134-147), so until the holder commits the
// worker repeats the fetch (heartbeat, the batch's rows) and the failing evaluations, back
// to back. Those cycles are identical: the model prices them as one, with as many repeats
// as fit before the earliest release (an engine-cost aggregation, docs/design.md §7).
void add_retries(RucioWorld& w, const Worker& me, const std::vector<Evaluation>& evaluations,
                 double fetched_rows, double at_s, Cycle& c) {
  Work retry;  // the heartbeat and the fetch, as Daemon::run_thread counts them
  retry.statements = 2;
  retry.rows = fetched_rows + me.count;
  double free_s = -1;
  for (const auto& e : evaluations) {
    if (!e.conflict) continue;
    const double parents = e.rules_of ? 1 : 0;
    retry += e.rows * conflict_work(new_children(e), parents);
    const double t = rules_free_at(w, e, me.rank, at_s);
    free_s = free_s < 0 ? t : std::min(free_s, t);
  }
  const double each_s = duration_s(w, retry);
  if (each_s <= 0 || free_s <= at_s) return;
  c.work += std::floor((free_s - at_s) / each_s) * retry;
}

}  // namespace

Cycle plan_judge_evaluator(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t limit = option(s, "did_limit");
  const double n = static_cast<double>(claim_partition(w, c, me, limit));
  std::vector<Evaluation> evaluations;
  const double nothing = group_evaluations(w, c.claimed, evaluations);
  c.work.rows = n;                  // the fetched rows (id, scope, name, action)
  c.work.statements = 2 * nothing;  // delete_updated_did and its commit
  double largest = 0;
  double at_s = sim::now();
  bool conflicts = false;
  for (auto& e : evaluations) {
    const double parents = e.files_attached && e.rules_of ? 1 : 0;  // a dataset's container
    e.conflict = rule_row_held(w, e, me.rank, at_s);
    conflicts = conflicts || e.conflict;
    // A success deletes the DID's other rows (2 statements each); a failure is repeated
    // for every row of the DID.
    Work work = e.conflict ? e.rows * conflict_work(new_children(e), parents)
                           : attach_evaluation_work(e.new_files, e.rules, parents);
    if (!e.conflict) work.statements += 2 * (e.rows - 1);
    at_s += duration_s(w, work);
    if (!e.conflict) hold_rule_rows(w, e, me.rank, at_s);
    c.work += work;
    // Held while it runs: the new children's rows, and per rule their locks, replicas and
    // requests (rule_file_bytes per file); one evaluation at a time.
    // A failed one holds only the new children's rows (datasets, for a container).
    const double held = e.conflict
                            ? new_children(e) * w.cost.row_bytes
                            : e.new_files * (w.cost.row_bytes + e.rules * w.cost.rule_file_bytes);
    largest = std::max(largest, held);
  }
  if (conflicts) add_retries(w, me, evaluations, n, at_s, c);
  c.heap_bytes = n * w.cost.row_bytes + largest;
  c.full = n >= static_cast<double>(limit) || conflicts;
  c.commit = [&w, evaluations = std::move(evaluations)](Cycle& cycle) {
    for (const auto& e : evaluations)
      if (!e.conflict) commit_evaluation(w, e);
    keep_failed_rows(w, evaluations, cycle);
  };
  return c;
}

}  // namespace dlsim::models::rucio
