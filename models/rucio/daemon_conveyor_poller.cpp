// conveyor-poller (rucio 1.23.10 lib/rucio/daemons/conveyor/poller.py#L110-160): fetches up to
// `db_bulk` SUBMITTED requests (full ORM rows), queries FTS once per `fts_bulk` jobs, and moves
// each finished one to its terminal state with a message. Sleeps `sleep_time` when fewer than
// fts_bulk/2 were fetched (1.23).
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_conveyor_poller(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t fts_bulk = option(s, "fts_bulk");
  QueueTable& submitted = w.db.table(Table::RequestsSubmitted);
  // SUBMITTED requests not updated for `older_than`, oldest first (rucio 1.23.10
  // lib/rucio/daemons/conveyor/poller.py#L110-160).
  const double cutoff = sim::now() - static_cast<double>(option(s, "older_than"));
  c.table = Table::RequestsSubmitted;
  const std::int64_t polled = submitted.claim_since(
      cutoff, partition_share(submitted.unclaimed_rows(), me, option(s, "db_bulk")), c.claimed);
  c.rows = polled;
  // Of the polled requests, as many as FTS has finished change state; the others are
  // touched (updated_at = now) and wait `older_than` before being polled again.
  const std::int64_t finished = w.fts.reserve_finished(polled);
  c.on_abandon = [&w, finished] { w.fts.release_finished(finished); };
  const double queries = std::ceil(static_cast<double>(polled) / static_cast<double>(fts_bulk));
  c.work.rows = static_cast<double>(polled);
  c.work.fts_calls = queries;  // GET /jobs, reply parsed
  // Per finished file one transaction (rucio 1.23.10
  // lib/rucio/daemons/conveyor/poller.py#L110-160): read the request, update its state, resolve the
  // two RSE names of the monitoring message (no memcached: rucio 1.23.10 core/rse.py#L68-71),
  // insert the message. Per file still running, the touch of its job's updated_at.
  c.work.statements = 5 * static_cast<double>(finished) + static_cast<double>(polled - finished);
  c.heap_bytes = 2 * static_cast<double>(polled) * k.row_bytes;
  c.external_wait_s = queries * k.fts_call_s;
  c.full = polled >= fts_bulk / 2;  // 1.23: sleeps when fewer than fts_bulk/2 were fetched
  c.commit = [&w, finished](Cycle& cycle) {
    std::vector<RowGroup> done;
    std::int64_t got = w.fts.collect_finished(finished, done);
    for (const auto& g : done) w.db.table(Table::RequestsDone).insert(g);
    emit_messages(w, got);  // transfer-done
    // Rows beyond the `got` finished ones stay SUBMITTED, touched now.
    std::vector<RowGroup> moved;
    for (auto& g : cycle.claimed) {
      const std::int64_t take = std::min(g.rows, got);
      got -= take;
      if (take < g.rows) {
        RowGroup rest = g;
        rest.rows = g.rows - take;
        rest.since_s = sim::now();
        cycle.touched.push_back(rest);
      }
      if (take > 0) {
        RowGroup part = g;
        part.rows = take;
        moved.push_back(part);
      }
    }
    cycle.claimed = std::move(moved);
  };
  return c;
}

}  // namespace dlsim::models::rucio
