// reaper2 (rucio 1.23.10 lib/rucio/daemons/reaper/reaper2.py#L283-369): no hash partitioning. Per
// RSE the needed space is MinFreeSpace − free (10^12 bytes when greedy); RSEs needing nothing are
// skipped. For the others it takes tombstoned replicas, oldest first, until `chunk_size` files or
// enough bytes, with one extra COUNT per candidate; deletes each on the storage with a message,
// then the rows in one transaction. Every cycle is padded to `sleep_time`.
#include <algorithm>
#include <cmath>

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
  constexpr double kGreedyNeed = 1e12;  // reaper2.py: greedy deletion asks for 10^12 bytes
  double passes = 0;
  for (std::uint16_t r = 0; r < w.storage.size(); ++r) {
    const auto& rse = w.storage.rse(r);
    const double needed = greedy ? kGreedyNeed : rse.min_free_bytes() - rse.free_bytes();
    if (needed <= 0) continue;
    ++passes;
    std::int64_t files = 0;
    double bytes = 0;
    while (files < chunk && bytes < needed) {
      const RowGroup* head = table.head_of_rse(r);
      if (head == nullptr) break;
      const double per = std::max(head->bytes_per_row, 1.0);
      auto want = static_cast<std::int64_t>(std::ceil((needed - bytes) / per));
      std::int64_t got = table.claim_rse(r, std::min(chunk - files, want), c.claimed);
      files += got;
      bytes += static_cast<double>(got) * per;
    }
    c.rows += files;
  }
  const double n = static_cast<double>(c.rows);
  // Per RSE pass: usage and the candidate listing; per replica: its COUNT of other replicas,
  // the delete transaction's share and its message.
  c.work.statements = 2 * passes + 3 * n;
  c.work.rows = passes + n;
  c.work.messages = n;
  c.heap_bytes = n * k.row_bytes;
  c.external_wait_s = n * k.storage_delete_s;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      // Temporary copies of a multihop job are not replicas of the dataset in the catalog.
      const bool temporary = g.rule == kTemporaryCopies;
      std::int64_t files =
          temporary ? g.rows : std::min(g.rows, w.catalog.replicas(g.dataset, g.rse));
      if (!temporary) {
        w.catalog.remove_replicas(g.dataset, g.rse, files);
        if (w.catalog.replicas(g.dataset, g.rse) == 0) w.catalog.clear_tombstone(g.dataset, g.rse);
      }
      w.storage.rse(g.rse).remove_replicas(files, static_cast<double>(files) * g.bytes_per_row);
      w.db.table(Table::UpdatedRseCounters).insert(RowGroup{1, 0, 0, g.rse, 0, 0});
      // 1.23: one UPDATED_COL_REP row per 10-file sub-chunk and parent dataset
      // (rucio 1.23.10 lib/rucio/core/lock.py#L322-334).
      w.db.table(Table::UpdatedColRep)
          .insert(RowGroup{(files + 9) / 10, g.dataset, 0, g.rse, 0, 0});
      emit_messages(w, files);  // deletion-done
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
