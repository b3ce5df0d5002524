// reaper2 (rucio-1.23.md §6): no hash partitioning; for every RSE that needs space (free
// below its min-free watermark) or every RSE when greedy, take up to `chunk_size` tombstoned
// replicas, delete each on the storage, then the rows, with a message per file. Every cycle
// is padded to `sleep_time`.
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_reaper(RucioWorld& w, const sim::ServiceSpec& s, const Worker&) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t chunk = option(s, "chunk_size");
  const bool greedy = option(s, "greedy") != 0;
  c.table = Table::ReplicasTombstoned;
  QueueTable& table = w.db.table(Table::ReplicasTombstoned);
  double passes = 0;
  for (std::uint16_t r = 0; r < w.storage.size(); ++r) {
    if (!greedy && !w.storage.rse(r).needs_space()) continue;
    ++passes;
    c.rows += table.claim_rse(r, chunk, c.claimed);
  }
  const double n = static_cast<double>(c.rows);
  // Per RSE pass: usage and the candidate listing; per replica: the delete transaction's
  // share and its message.
  c.work.statements = 2 * passes + 2 * n;
  c.work.rows = passes + n;
  c.work.messages = n;
  c.heap_bytes = n * k.row_bytes;
  c.external_wait_s = n * k.storage_delete_s;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      std::int64_t files = std::min(g.rows, w.catalog.replicas(g.dataset, g.rse));
      w.catalog.remove_replicas(g.dataset, g.rse, files);
      if (w.catalog.replicas(g.dataset, g.rse) == 0) w.catalog.clear_tombstone(g.dataset, g.rse);
      w.storage.rse(g.rse).remove_replicas(files, static_cast<double>(files) * g.bytes_per_row);
      w.db.table(Table::UpdatedRseCounters).insert(RowGroup{1, 0, 0, g.rse, 0, 0});
      // 1.23: one UPDATED_COL_REP row per 10-file sub-chunk and parent dataset (§2.2.6).
      w.db.table(Table::UpdatedColRep)
          .insert(RowGroup{(files + 9) / 10, g.dataset, 0, g.rse, 0, 0});
      emit_messages(w, files);  // deletion-done
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
