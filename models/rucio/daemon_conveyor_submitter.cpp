// conveyor-submitter (rucio 1.23.10 lib/rucio/daemons/conveyor/submitter.py#L136-229): every thread
// is a worker with its own partition. Per cycle it fetches up to `bulk` QUEUED requests joined with
// their sources, builds one FTS job per `group_bulk` files, marks the requests SUBMITTING, POSTs
// each job, marks them SUBMITTED and inserts one message per request. It sleeps `sleep_time` only
// when nothing was submittable.
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_conveyor_submitter(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const double n =
      static_cast<double>(claim_share(w, c, Table::RequestsQueued, me, option(s, "bulk")));
  // Requests without a route (no link, no multihop path) are marked NO_SOURCES: one update
  // each, no FTS job (rucio 1.23.10 lib/rucio/daemons/conveyor/submitter.py#L136-229).
  double routed = 0;
  for (const auto& g : c.claimed)
    if (w.fts.routable(g.source_rse, g.rse)) routed += static_cast<double>(g.rows);
  const double jobs = std::ceil(routed / static_cast<double>(option(s, "group_bulk")));
  // Rows: each request with its source replica, RSE and protocol rows (one source here).
  c.work.rows = 3 * n;
  // Per job: QUEUED→SUBMITTING and the sources upsert, then →SUBMITTED and the message insert.
  c.work.statements = 4 * routed + (n - routed);
  c.work.fts_calls = jobs;  // one FTS job built and POSTed per job
  c.heap_bytes = 3 * n * k.row_bytes;
  c.external_wait_s = jobs * k.fts_call_s;
  c.full = n > 0;  // 1.23: sleeps only when nothing was submitted
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      if (!w.fts.routable(g.source_rse, g.rse)) {
        // Never retried by the finisher: the locks go STUCK (rucio 1.23.10
        // lib/rucio/core/request.py#L53-70).
        RowGroup lost = g;
        lost.failed = true;
        lost.attempt = transfer::Fts::kNoSources;
        lost.since_s = sim::now();
        w.db.table(Table::RequestsDone).insert(lost);
        w.ctx.recorder.count("no_sources", static_cast<std::uint64_t>(g.rows));
        continue;
      }
      w.fts.submit(g);
      RowGroup submitted = g;
      submitted.since_s = sim::now();  // updated_at, which the poller's older_than reads
      w.db.table(Table::RequestsSubmitted).insert(submitted);
      emit_messages(w, g.rows);  // transfer-submitted
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
