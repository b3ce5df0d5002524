// hermes v1 (rucio 1.23.10 lib/rucio/daemons/hermes/hermes.py#L394-451): fetches up to `bulk`
// messages, sends each to the broker over STOMP, then deletes them and writes their history in one
// transaction; every cycle is padded to `sleep_time` (the `delay`).
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_hermes(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const double n = static_cast<double>(claim_share(w, c, Table::Messages, me, option(s, "bulk")));
  c.work.rows = n;
  c.work.messages = n;                      // one STOMP send each
  c.work.statements = 1 + 2 * n;            // delete + history insert per message
  c.heap_bytes = 2 * n * w.cost.row_bytes;  // rows and parsed payloads
  return c;
}

}  // namespace dlsim::models::rucio
