// The judge daemons and rule application (reference/rucio-daemons.md §7, rucio-1.23.md §5).
// In 1.23.10 rule application resolves the whole DID in memory (old algorithm): every file
// gets a lock and, where the destination lacks it, a transfer request. Rules of ≥ 10 000
// file-copies are left in INJECT for judge-injector; smaller ones are applied by the server.
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

void apply_rule(RucioWorld& w, std::uint32_t rule_id) {
  Rule& rule = w.catalog.rule(rule_id);
  const Dataset& ds = w.catalog.dataset(rule.dataset);
  const std::int64_t missing = ds.files - w.catalog.replicas(ds.id, rule.rse);
  rule.locks_ok = ds.files - missing;
  rule.locks_replicating = missing;
  if (missing > 0) {
    w.db.table(Table::RequestsQueued)
        .insert(RowGroup{missing, ds.id, ds.origin_rse, rule.rse, ds.bytes_per_file, rule_id});
  } else {
    rule.state = RuleState::Ok;
  }
  emit_messages(w, 1);  // RULE_CREATED-style event
}

namespace {

// Rules claimed from `table`: each row is one rule; the cost is per file of its dataset.
Cycle plan_rule_table(RucioWorld& w, const Worker& me, Table table, std::int64_t bulk,
                      int statements_per_file, bool apply) {
  Cycle c;
  const auto& k = w.cost;
  claim_rows(w, c, table, partition_share(w.db.table(table).unclaimed_rows(), me, bulk));
  double files = 0, largest = 0;
  for (const auto& g : c.claimed) {
    auto f = static_cast<double>(w.catalog.dataset(g.dataset).files) * static_cast<double>(g.rows);
    files += f;
    largest = std::max(largest, f / static_cast<double>(g.rows));
  }
  // One rule per transaction: the heap holds the largest rule's files at once.
  c.heap_bytes = largest * k.rule_file_bytes;
  c.statements = static_cast<int>(c.rows) + statements_per_file * static_cast<int>(files);
  c.cpu_s = files * (k.cpu_per_row_s + statements_per_file * k.cpu_per_statement_s);
  c.full = c.rows >= bulk;
  if (apply)
    c.commit = [&w](Cycle& cycle) {
      for (const auto& g : cycle.claimed) apply_rule(w, g.rule);
    };
  return c;
}

}  // namespace

Cycle plan_judge_injector(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  // Per file: lock, replica check, request (3 statements).
  return plan_rule_table(w, me, Table::RulesInject, option(s, "bulk"), 3, true);
}

Cycle plan_judge_repairer(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  return plan_rule_table(w, me, Table::RulesStuck, option(s, "bulk"), 2, true);
}

Cycle plan_judge_evaluator(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  // UPDATED_DIDS rows: one per attachment; ATTACH re-evaluates the parent's rules for the new
  // children (§5.2). Rules here are on datasets, so an attachment to a container costs its
  // fetch, the rule look-up and the delete.
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t limit = option(s, "did_limit");
  const std::int64_t n =
      claim_rows(w, c, Table::UpdatedDids,
                 partition_share(w.db.table(Table::UpdatedDids).unclaimed_rows(), me, limit));
  c.heap_bytes = static_cast<double>(n) * k.row_bytes;
  c.statements = 3 * static_cast<int>(n);
  c.cpu_s = static_cast<double>(n) * (k.cpu_per_row_s + 3 * k.cpu_per_statement_s);
  c.full = n >= limit;
  return c;
}

Cycle plan_judge_cleaner(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  // Expired rules: ~2 statements and ~2 ORM objects per lock; replicas no longer locked get a
  // tombstone for the reaper (§7.4).
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t bulk = option(s, "bulk");
  claim_rows(w, c, Table::RulesExpired,
             partition_share(w.db.table(Table::RulesExpired).unclaimed_rows(), me, bulk));
  double locks = 0, largest = 0;
  for (const auto& g : c.claimed) {
    auto f = static_cast<double>(w.catalog.dataset(g.dataset).files);
    locks += f * static_cast<double>(g.rows);
    largest = std::max(largest, f);
  }
  c.heap_bytes = 2 * largest * k.row_bytes;
  c.statements = static_cast<int>(c.rows) + 2 * static_cast<int>(locks);
  c.cpu_s = locks * (k.cpu_per_row_s + 2 * k.cpu_per_statement_s);
  c.full = c.rows >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      Rule& rule = w.catalog.rule(g.rule);
      rule.state = RuleState::Expired;
      const Dataset& ds = w.catalog.dataset(rule.dataset);
      if (rule.rse != ds.origin_rse && w.catalog.tombstone(ds.id, rule.rse)) {
        std::int64_t files = w.catalog.replicas(ds.id, rule.rse);
        w.db.table(Table::ReplicasTombstoned)
            .insert(RowGroup{files, ds.id, 0, rule.rse, ds.bytes_per_file, rule.id});
      }
      emit_messages(w, 1);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
