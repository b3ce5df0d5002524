// The conveyor daemons (reference/rucio-daemons.md §5, rucio-1.23.md §3).
// - submitter: fetch up to `bulk` QUEUED requests with their sources, build one FTS job per
//   `group_bulk` files, POST them, mark the requests SUBMITTED (+1 message each).
// - poller: fetch up to `db_bulk` SUBMITTED requests, query FTS per `fts_bulk` jobs, move the
//   finished ones to a terminal state (+1 message each).
// - finisher: fetch up to `db_bulk` terminal requests, update replicas, locks and rules, and
//   insert UPDATED_COL_REP rows (one per lock of a dataset rule, §0.3) and counter rows.
#include <cmath>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_conveyor_submitter(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t bulk = option(s, "bulk");
  QueueTable& queued = w.db.table(Table::RequestsQueued);
  const std::int64_t n =
      claim_rows(w, c, Table::RequestsQueued, partition_share(queued.unclaimed_rows(), me, bulk));
  const double jobs =
      std::ceil(static_cast<double>(n) / static_cast<double>(option(s, "group_bulk")));
  // Request + its source rows held while jobs are built (§12: order 1-5 KB each).
  c.heap_bytes = 2.0 * static_cast<double>(n) * k.row_bytes;
  c.statements = 1 + 4 * static_cast<int>(n);
  c.cpu_s = static_cast<double>(n) * (k.cpu_per_row_s + 4 * k.cpu_per_statement_s) +
            jobs * k.cpu_per_message_s;
  c.external_wait_s = jobs * k.fts_call_s;
  c.full = n >= bulk;
  c.commit = [&w, n](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      w.fts.submit(g);
      w.db.table(Table::RequestsSubmitted).insert(g);
    }
    emit_messages(w, n);
  };
  return c;
}

Cycle plan_conveyor_poller(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  QueueTable& submitted = w.db.table(Table::RequestsSubmitted);
  const std::int64_t polled = partition_share(submitted.unclaimed_rows(), me, option(s, "db_bulk"));
  // Of the polled requests, those FTS has finished change state; the poller claims as many
  // SUBMITTED rows as it will move.
  const std::int64_t finished = std::min(polled, w.fts.finished_unpolled());
  claim_rows(w, c, Table::RequestsSubmitted, finished);
  c.rows = polled;
  const double queries =
      std::ceil(static_cast<double>(polled) / static_cast<double>(option(s, "fts_bulk")));
  c.heap_bytes = 2.0 * static_cast<double>(polled) * k.row_bytes;
  c.statements = 1 + 4 * static_cast<int>(finished);
  c.cpu_s = static_cast<double>(polled) * k.cpu_per_row_s + queries * k.cpu_per_message_s +
            static_cast<double>(finished) * 4 * k.cpu_per_statement_s;
  c.external_wait_s = queries * k.fts_call_s;
  c.full = polled >= 50;  // rucio-1.23.md §9: sleeps when fewer than 50 were fetched
  c.commit = [&w](Cycle& cycle) {
    std::int64_t want = 0;
    for (const auto& g : cycle.claimed) want += g.rows;
    std::vector<RowGroup> done;
    std::int64_t got = w.fts.collect_finished(want, done);
    for (const auto& g : done) w.db.table(Table::RequestsDone).insert(g);
    emit_messages(w, got);
    // Another poller may have collected some meanwhile: those rows stay SUBMITTED.
    std::int64_t extra = want - got;
    for (auto it = cycle.claimed.rbegin(); extra > 0 && it != cycle.claimed.rend(); ++it) {
      RowGroup g = *it;
      g.rows = std::min(extra, it->rows);
      cycle.keep.push_back(g);
      extra -= g.rows;
    }
  };
  return c;
}

Cycle plan_conveyor_finisher(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  QueueTable& done = w.db.table(Table::RequestsDone);
  const std::int64_t n = claim_rows(
      w, c, Table::RequestsDone, partition_share(done.unclaimed_rows(), me, option(s, "db_bulk")));
  // Request dicts plus the ORM objects of one chunk (§12), ~10 statements per request.
  c.heap_bytes = 2.0 * static_cast<double>(n) * k.row_bytes;
  c.statements = 10 * static_cast<int>(n);
  c.cpu_s = static_cast<double>(n) * (k.cpu_per_row_s + 10 * k.cpu_per_statement_s);
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      w.catalog.add_replicas(g.dataset, g.rse, g.rows);
      w.storage.rse(g.rse).add_replicas(g.rows, static_cast<double>(g.rows) * g.bytes_per_row);
      Rule& rule = w.catalog.rule(g.rule);
      rule.locks_ok += g.rows;
      rule.locks_replicating -= g.rows;
      if (rule.locks_replicating <= 0 && rule.state == RuleState::Replicating) {
        rule.state = RuleState::Ok;
        emit_messages(w, 1);  // RULE_OK
      }
      // One UPDATED_COL_REP row per lock of a dataset-level rule (rucio-daemons.md §0.3).
      w.db.table(Table::UpdatedColRep).insert(RowGroup{g.rows, g.dataset, 0, g.rse, 0, 0});
      w.db.table(Table::UpdatedRseCounters).insert(RowGroup{g.rows, 0, 0, g.rse, 0, 0});
      w.db.table(Table::UpdatedAccountCounters).insert(RowGroup{g.rows, 0, 0, g.rse, 0, 0});
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
