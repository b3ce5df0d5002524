// judge-repairer (rucio-1.23.md §5.3): up to `bulk` STUCK rules not updated for `delta`; each
// is re-evaluated over its files (all files resolved for a hard repair) and its failed locks
// get new transfer requests.
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_judge_repairer(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t bulk = option(s, "bulk");
  claim_share(w, c, Table::RulesStuck, me, bulk);
  double largest = 0;
  for (const auto& g : c.claimed) {
    const auto files = static_cast<double>(rule_files(w, w.catalog.rule(g.rule)));
    c.work += static_cast<double>(g.rows) * rule_work(files);
    largest = std::max(largest, files);
  }
  c.heap_bytes = largest * w.cost.rule_file_bytes;
  c.full = c.rows >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      Rule& rule = w.catalog.rule(g.rule);
      if (rule.state != RuleState::Stuck) continue;
      rule.state = RuleState::Replicating;
      // The stuck locks are requeued (repairer transfers start at retry_count 1).
      w.db.table(Table::RequestsQueued).insert(g);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
