// abacus-rse (rucio 1.23.10 lib/rucio/daemons/abacus/rse.py#L70-88): per RSE of its partition, all
// pending UPDATED_RSE_COUNTERS rows loaded at once; the same loop as abacus-account
// (daemon_abacus_account.cpp).
#include "models/rucio/daemon_plans.hpp"

namespace dlsim::models::rucio {

Cycle plan_counter_table(RucioWorld& w, const Worker& me, Table table);

Cycle plan_abacus_rse(RucioWorld& w, const scenario::ServiceSpec&, const Worker& me) {
  return plan_counter_table(w, me, Table::UpdatedRseCounters);
}

}  // namespace dlsim::models::rucio
