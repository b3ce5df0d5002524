// abacus-account (rucio 1.23.10 lib/rucio/daemons/abacus/account.py#L70-88): per (account, RSE)
// pair of its partition, all pending UPDATED_ACCOUNT_COUNTERS rows as ORM objects in one
// transaction, summed into the counter, deleted one by one; no sleep while there is work, 10 s when
// there is none.
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

// Shared with abacus-rse: the same shape on a different counter table.
Cycle plan_counter_table(RucioWorld& w, const Worker& me, Table table) {
  Cycle c;
  const double n = static_cast<double>(claim_share(w, c, table, me, 0));
  // Groups stand for keys (pairs or RSEs): ~3 statements each (distinct, select, update),
  // plus one DELETE per row (docs/design.md §3.3).
  const auto keys = static_cast<double>(c.claimed.size());
  c.work.statements = 3 * keys + n;
  c.work.rows = n;
  // The largest key's rows are held at once; the claimed rows bound it.
  c.heap_bytes = n * w.cost.row_bytes;
  c.full = n > 0;
  return c;
}

Cycle plan_abacus_account(RucioWorld& w, const scenario::ServiceSpec&, const Worker& me) {
  return plan_counter_table(w, me, Table::UpdatedAccountCounters);
}

}  // namespace dlsim::models::rucio
