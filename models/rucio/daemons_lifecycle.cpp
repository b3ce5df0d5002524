// Deletion, life-cycle and messaging daemons (reference/rucio-daemons.md §6, §8;
// rucio-1.23.md §4, §6, §7).
// - reaper (reaper2): per RSE that needs space (free < min-free watermark) or when greedy,
//   take up to `chunk_size` tombstoned replicas, delete each on the storage, then the rows.
// - undertaker: expired DIDs in chunks of `chunk_size`; their rules are removed inline and
//   their replicas tombstoned.
// - transmogrifier: new DIDs matched against subscriptions.
// - hermes: up to `bulk` messages sent to the broker, then moved to history.
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
  int passes = 0;
  for (std::uint16_t r = 0; r < w.storage.size(); ++r) {
    if (!greedy && !w.storage.rse(r).needs_space()) continue;
    ++passes;
    c.rows += table.claim_rse(r, chunk, c.claimed);
  }
  const double n = static_cast<double>(c.rows);
  c.heap_bytes = n * k.row_bytes;
  // Per RSE pass a listing query; per replica a storage delete, a message and its share of
  // one delete transaction per chunk.
  c.statements = passes + 2 * static_cast<int>(c.rows);
  c.cpu_s = n * (k.cpu_per_row_s + 2 * k.cpu_per_statement_s + k.cpu_per_message_s);
  c.external_wait_s = n * k.storage_delete_s;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      std::int64_t files = std::min(g.rows, w.catalog.replicas(g.dataset, g.rse));
      w.catalog.remove_replicas(g.dataset, g.rse, files);
      if (w.catalog.replicas(g.dataset, g.rse) == 0) w.catalog.clear_tombstone(g.dataset, g.rse);
      w.storage.rse(g.rse).remove_replicas(files, static_cast<double>(files) * g.bytes_per_row);
      w.db.table(Table::UpdatedRseCounters).insert(RowGroup{files, 0, 0, g.rse, 0, 0});
      emit_messages(w, files);  // deletion-done
    }
  };
  return c;
}

Cycle plan_undertaker(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t bulk = option(s, "bulk");
  const std::int64_t n =
      claim_rows(w, c, Table::DidsExpired,
                 partition_share(w.db.table(Table::DidsExpired).unclaimed_rows(), me, bulk));
  // DID dicts held for the whole cycle (~0.5 KB each, §12) plus one chunk's locks.
  double locks = 0;
  for (const auto& g : c.claimed) locks += static_cast<double>(w.catalog.dataset(g.dataset).files);
  c.heap_bytes = static_cast<double>(n) * k.row_bytes / 3 +
                 locks * 2 * k.row_bytes /
                     std::max<double>(1, std::ceil(static_cast<double>(n) /
                                                   static_cast<double>(option(s, "chunk_size"))));
  c.statements = 4 * static_cast<int>(n) + 2 * static_cast<int>(locks);
  c.cpu_s = static_cast<double>(n) * (k.cpu_per_row_s + 4 * k.cpu_per_statement_s) +
            locks * 2 * k.cpu_per_statement_s;
  c.full = n >= bulk;
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      const Dataset& ds = w.catalog.dataset(g.dataset);
      for (const auto& [rse, files] : w.catalog.replica_locations(ds.id))
        if (w.catalog.tombstone(ds.id, rse))
          w.db.table(Table::ReplicasTombstoned)
              .insert(RowGroup{files, ds.id, 0, rse, ds.bytes_per_file, 0});
      emit_messages(w, 1);
    }
  };
  return c;
}

Cycle plan_transmogrifier(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t n = claim_rows(
      w, c, Table::DidsNew,
      partition_share(w.db.table(Table::DidsNew).unclaimed_rows(), me, option(s, "bulk")));
  // Metadata look-up and subscription matching per DID; the scenario defines no
  // subscriptions, so no rule is created.
  c.heap_bytes = static_cast<double>(n) * k.row_bytes;
  c.statements = 2 * static_cast<int>(n);
  c.cpu_s = static_cast<double>(n) * (k.cpu_per_row_s + 2 * k.cpu_per_statement_s);
  return c;
}

Cycle plan_hermes(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t n = claim_rows(
      w, c, Table::Messages,
      partition_share(w.db.table(Table::Messages).unclaimed_rows(), me, option(s, "bulk")));
  // Messages are held about twice (ORM rows and the parsed payloads, rucio-1.23.md §9).
  c.heap_bytes = 2.0 * static_cast<double>(n) * k.row_bytes;
  c.statements = 2 + static_cast<int>(n);
  c.cpu_s =
      static_cast<double>(n) * (k.cpu_per_row_s + k.cpu_per_message_s + k.cpu_per_statement_s);
  return c;
}

}  // namespace dlsim::models::rucio
