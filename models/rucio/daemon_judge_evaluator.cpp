// judge-evaluator (rucio-1.23.md §5.2): up to `did_limit` UPDATED_DIDS rows per cycle. An
// ATTACH re-evaluates the rules of the parent: for a dataset newly attached to a container
// with rules, every rule gets locks and transfer requests for the dataset's files, resolved
// in memory (~20-30 KB per file, rucio-daemons.md §0.5).
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_judge_evaluator(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const std::int64_t limit = option(s, "did_limit");
  const double n = static_cast<double>(claim_share(w, c, Table::UpdatedDids, me, limit));
  // Per DID: fetch, the parent's rules, delete the row.
  c.work.statements = 3 * n;
  c.work.rows = n;
  double largest = 0;
  for (const auto& g : c.claimed) {
    const Dataset& ds = w.catalog.dataset(g.dataset);
    if (!ds.container) continue;
    double rules = 0;  // rules already applied (those still in INJECT are skipped)
    for (auto r : w.catalog.container(*ds.container).rules)
      rules += w.catalog.rule(r).state == RuleState::Inject ? 0 : 1;
    const auto files = static_cast<double>(ds.files);
    c.work += rules * static_cast<double>(g.rows) * rule_work(files);
    largest = std::max(largest, rules * files);
  }
  c.heap_bytes = n * w.cost.row_bytes + largest * w.cost.rule_file_bytes;
  c.full = n >= static_cast<double>(limit);
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      const Dataset& ds = w.catalog.dataset(g.dataset);
      if (!ds.container) continue;
      for (auto rule : w.catalog.container(*ds.container).rules)
        apply_rule_to_new_dataset(w, rule, ds.id);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
