// judge-injector (rucio 1.23.10 lib/rucio/daemons/judge/injector.py#L78-154): rules left in INJECT
// (asynchronous, or ≥ 10 000 file-copies) are applied, up to `bulk` per cycle, one rule per
// transaction; the old algorithm holds the whole DID (files, replicas, locks) in memory.
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_judge_injector(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t bulk = option(s, "bulk");
  claim_share(w, c, Table::RulesInject, me, bulk);
  double largest = 0;
  for (const auto& g : c.claimed) {
    const auto files = static_cast<double>(rule_files(w, w.catalog.rule(g.rule)));
    c.work += static_cast<double>(g.rows) * rule_work(files);
    largest = std::max(largest, files);
  }
  c.heap_bytes = largest * w.cost.rule_file_bytes;
  c.full = c.rows >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) apply_rule(w, g.rule);
  };
  return c;
}

}  // namespace dlsim::models::rucio
