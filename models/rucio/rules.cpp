// Rule application, shared by the REST server (small synchronous rules), judge-injector
// (asynchronous rules and rules of ≥ 10 000 file-copies) and judge-evaluator (datasets newly
// attached to a container that has rules). Rucio 1.23.10 uses the old algorithm: the whole DID
// is resolved in memory, every file gets a lock, and every file the destination lacks gets a
// transfer request (rucio 1.23.10 lib/rucio/core/rule.py#L2724-2817; rucio#3571).
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

namespace {

// Locks and requests for the files of one dataset that the rule has not locked yet (all of
// them the first time; the files attached since, when judge-evaluator applies the rule to an
// ATTACH: rule_grouping.py#L456-462 skips the files that already have the rule's lock);
// returns the files newly locked.
std::int64_t apply_to_dataset(RucioWorld& w, Rule& rule, std::uint32_t dataset_id) {
  const Dataset& ds = w.catalog.dataset(dataset_id);
  std::int64_t& locked = rule.files_locked[dataset_id];
  const std::int64_t fresh = ds.files - locked;
  if (fresh <= 0) return 0;
  // Files already at the destination are among the fresh ones only beyond those the earlier
  // locks account for (the destination holds no file of the dataset that was not locked
  // there, unless it is the upload RSE, which holds them all).
  const std::int64_t present =
      std::clamp<std::int64_t>(w.catalog.replicas(ds.id, rule.rse) - locked, 0, fresh);
  const std::int64_t missing = fresh - present;
  rule.locks_ok += present;
  rule.locks_replicating += missing;
  if (missing > 0)
    w.db.table(Table::RequestsQueued)
        .insert(RowGroup{missing, ds.id, ds.origin_rse, rule.rse, ds.bytes_per_file, rule.id});
  // A new collection replica: one UPDATED_COL_REP row with rse_id NULL (rucio 1.23.10
  // lib/rucio/core/rule_grouping.py#L282-284), once per (dataset, RSE) (rule_grouping.py#L503-521).
  if (locked == 0) w.db.table(Table::UpdatedColRep).insert(RowGroup{1, ds.id, 0, kAnyRse, 0, 0});
  // One message per queued request (request.py, rucio 1.23.10 lib/rucio/core/request.py#L287-297).
  emit_messages(w, missing);
  locked = ds.files;
  return fresh;
}

void settle(RucioWorld& w, Rule& rule) {
  if (rule.locks_replicating == 0 && rule.state == RuleState::Replicating) {
    rule.state = RuleState::Ok;
    emit_messages(w, 1);  // RULE_OK
  }
}

}  // namespace

std::int64_t rule_files(RucioWorld& w, const Rule& rule) {
  if (!rule.container) return w.catalog.dataset(rule.dataset).files;
  std::int64_t files = 0;
  for (auto d : w.catalog.container(*rule.container).datasets) files += w.catalog.dataset(d).files;
  return files;
}

Work rule_work(double files) {
  // Per file: the replica look-up, the lock insert and the request insert (3 statements),
  // and the file, replica and lock rows loaded (docs/design.md §3.3).
  Work work;
  work.statements = 3 * files + 4;
  work.rows = 3 * files;
  return work;
}

void apply_rule(RucioWorld& w, std::uint32_t rule_id) {
  Rule& rule = w.catalog.rule(rule_id);
  rule.state = RuleState::Replicating;
  if (rule.container) {
    for (auto d : w.catalog.container(*rule.container).datasets) apply_to_dataset(w, rule, d);
  } else {
    apply_to_dataset(w, rule, rule.dataset);
  }
  // One RSE counter row and one account counter row per RSE (rucio 1.23.10
  // lib/rucio/core/replica.py#L1372).
  w.db.table(Table::UpdatedRseCounters).insert(RowGroup{1, 0, 0, rule.rse, 0, 0});
  w.db.table(Table::UpdatedAccountCounters).insert(RowGroup{1, 0, 0, rule.rse, 0, 0});
  emit_messages(w, 1);  // RULE_NEW
  settle(w, rule);
}

void register_intermediate_copies(RucioWorld& w, const RowGroup& copy) {
  w.storage.rse(copy.rse).add_replicas(copy.rows,
                                       static_cast<double>(copy.rows) * copy.bytes_per_row);
  w.db.table(Table::ReplicasTombstoned)
      .insert(RowGroup{copy.rows, copy.dataset, 0, copy.rse, copy.bytes_per_row, kTemporaryCopies});
  w.db.table(Table::UpdatedRseCounters).insert(RowGroup{1, 0, 0, copy.rse, 0, 0});
}

std::int64_t apply_rule_to_new_dataset(RucioWorld& w, std::uint32_t rule_id,
                                       std::uint32_t dataset_id) {
  Rule& rule = w.catalog.rule(rule_id);
  // A rule still waiting for judge-injector is applied to the whole container then
  // (rule.py#L2574-2578 skips INJECT rules); nothing new to lock leaves the rule as it is.
  if (rule.state == RuleState::Inject) return 0;
  if (w.catalog.dataset(dataset_id).files <= rule.files_locked[dataset_id]) return 0;
  if (rule.state == RuleState::Ok) rule.state = RuleState::Replicating;
  std::int64_t files = apply_to_dataset(w, rule, dataset_id);
  settle(w, rule);
  return files;
}

}  // namespace dlsim::models::rucio
