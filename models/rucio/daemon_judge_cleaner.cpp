// judge-cleaner (rucio 1.23.10 lib/rucio/daemons/judge/cleaner.py#L80-143): up to `bulk` expired
// rules; per lock ~2 statements and ~2 ORM objects; replicas left without locks get a tombstone for
// the reaper.
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_judge_cleaner(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t bulk = option(s, "bulk");
  claim_share(w, c, Table::RulesExpired, me, bulk);
  double locks = 0, largest = 0;
  for (const auto& g : c.claimed) {
    const auto f = static_cast<double>(rule_files(w, w.catalog.rule(g.rule)));
    locks += f * static_cast<double>(g.rows);
    largest = std::max(largest, f);
  }
  c.work.statements = static_cast<double>(c.rows) + 2 * locks;
  c.work.rows = 2 * locks;
  c.heap_bytes = 2 * largest * w.cost.row_bytes;
  c.full = c.rows >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      Rule& rule = w.catalog.rule(g.rule);
      // A rule still waiting in RULES_INJECT is read by judge-injector later: not retired.
      const bool injecting = rule.state == RuleState::Inject;
      rule.state = RuleState::Expired;
      std::vector<std::uint32_t> datasets{rule.dataset};
      if (rule.container) datasets = w.catalog.container(*rule.container).datasets;
      for (auto d : datasets) {
        const Dataset& ds = w.catalog.dataset(d);
        if (rule.rse == ds.origin_rse || !w.catalog.tombstone(ds.id, rule.rse)) continue;
        std::int64_t files = w.catalog.replicas(ds.id, rule.rse);
        w.db.table(Table::ReplicasTombstoned)
            .insert(RowGroup{files, ds.id, 0, rule.rse, ds.bytes_per_file, rule.id});
      }
      w.db.table(Table::UpdatedAccountCounters).insert(RowGroup{1, 0, 0, rule.rse, 0, 0});
      emit_messages(w, 1);  // RULE_DELETED
      if (!injecting) w.catalog.retire_rule_if_done(g.rule);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
