// conveyor-poller (rucio-1.23.md §3.2): fetches up to `db_bulk` SUBMITTED requests (full ORM
// rows), queries FTS once per `fts_bulk` jobs, and moves each finished one to its terminal
// state with a message. Sleeps `sleep_time` when fewer than fts_bulk/2 were fetched (1.23).
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_conveyor_poller(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t fts_bulk = option(s, "fts_bulk");
  QueueTable& submitted = w.db.table(Table::RequestsSubmitted);
  const std::int64_t polled = partition_share(submitted.unclaimed_rows(), me, option(s, "db_bulk"));
  // Of the polled requests, those FTS has finished change state: the poller claims as many
  // SUBMITTED rows as it will move.
  const std::int64_t finished = std::min(polled, w.fts.finished_unpolled());
  claim_rows(w, c, Table::RequestsSubmitted, finished);
  c.rows = polled;
  const double queries = std::ceil(static_cast<double>(polled) / static_cast<double>(fts_bulk));
  c.work.rows = static_cast<double>(polled);
  c.work.messages = queries;                                        // FTS replies parsed
  c.work.statements = 2 * static_cast<double>(finished) + queries;  // state + message; touch
  c.heap_bytes = 2 * static_cast<double>(polled) * k.row_bytes;
  c.external_wait_s = queries * k.fts_call_s;
  c.full = polled >= fts_bulk / 2;
  c.commit = [&w](Cycle& cycle) {
    std::int64_t want = static_cast<std::int64_t>(rows_of(cycle.claimed));
    std::vector<RowGroup> done;
    std::int64_t got = w.fts.collect_finished(want, done);
    for (const auto& g : done) w.db.table(Table::RequestsDone).insert(g);
    emit_messages(w, got);  // transfer-done
    // Another poller may have collected some meanwhile: those rows stay SUBMITTED.
    for (std::int64_t extra = want - got; extra > 0 && !cycle.claimed.empty();) {
      RowGroup& last = cycle.claimed.back();
      RowGroup kept = last;
      kept.rows = std::min(extra, last.rows);
      last.rows -= kept.rows;
      extra -= kept.rows;
      cycle.keep.push_back(kept);
      if (last.rows == 0) cycle.claimed.pop_back();
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
