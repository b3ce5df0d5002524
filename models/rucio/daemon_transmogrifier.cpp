// transmogrifier (rucio 1.23.10 lib/rucio/daemons/transmogrifier/transmogrifier.py#L221-464): up to
// `bulk` new DIDs matched against every subscription, padded to `sleep_time`. The scenarios define
// no subscriptions yet, so no rule is created; the cost is the fetch, the metadata look-up and the
// flag update per DID.
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_transmogrifier(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const double n = static_cast<double>(claim_share(w, c, Table::DidsNew, me, option(s, "bulk")));
  c.work.rows = 2 * n;
  c.work.statements = 2 * n;
  c.heap_bytes = n * w.cost.row_bytes;
  return c;
}

}  // namespace dlsim::models::rucio
