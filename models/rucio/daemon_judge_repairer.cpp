// judge-repairer (rucio 1.23.10 lib/rucio/daemons/judge/repairer.py#L76-139): up to `bulk` STUCK
// rules not updated for `delta`; each is re-evaluated over its files (all files resolved for a hard
// repair) and its stuck locks get new transfer requests, which start at retry_count 1 (3 attempts
// left, rucio 1.23.10 core/request.py#L53-70). Rows of RULES_STUCK are the stuck lock groups of a
// rule.
#include <algorithm>
#include <set>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_judge_repairer(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t bulk = option(s, "bulk");
  // Only rules stuck for longer than `delta` (rucio 1.23.10
  // lib/rucio/daemons/judge/repairer.py#L92); oldest first.
  const double cutoff = sim::now() - static_cast<double>(option(s, "delta"));
  auto& stuck = w.db.table(Table::RulesStuck);
  c.table = Table::RulesStuck;
  c.rows += stuck.claim_since(cutoff, partition_share(stuck.unclaimed_rows(), me, bulk), c.claimed);
  // A rule is re-evaluated once however many of its lock groups are stuck.
  double largest = 0;
  std::set<std::uint32_t> rules;
  for (const auto& g : c.claimed) {
    if (!rules.insert(g.rule).second) continue;
    const auto files = static_cast<double>(rule_files(w, w.catalog.rule(g.rule)));
    c.work += rule_work(files);
    largest = std::max(largest, files);
  }
  c.heap_bytes = largest * w.cost.rule_file_bytes;
  c.full = c.rows >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      Rule& rule = w.catalog.rule(g.rule);
      rule.locks_stuck -= g.rows;
      rule.locks_replicating += g.rows;
      if (rule.locks_stuck == 0) rule.state = RuleState::Replicating;
      RowGroup requeued = g;
      requeued.attempt = 2;  // retry_count 1
      requeued.since_s = 0;
      w.db.table(Table::RequestsQueued).insert(requeued);
      emit_messages(w, g.rows);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
