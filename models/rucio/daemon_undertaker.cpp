// undertaker (rucio 1.23.10 lib/rucio/daemons/undertaker/undertaker.py#L79-120): up to `bulk`
// expired DIDs, in transactions of `chunk_size`: their rules are removed inline (≤ 10 000 locks)
// and their replicas get tombstones; the DIDs are deleted.
#include <cmath>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_undertaker(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me) {
  Cycle c;
  const auto& k = w.cost;
  const std::int64_t bulk = option(s, "bulk");
  const double n = static_cast<double>(claim_share(w, c, Table::DidsExpired, me, bulk));
  double locks = 0;
  for (const auto& g : c.claimed) locks += static_cast<double>(w.catalog.dataset(g.dataset).files);
  const double chunks = std::max(1.0, std::ceil(n / static_cast<double>(option(s, "chunk_size"))));
  c.work.rows = n + 2 * locks;
  c.work.statements = 4 * n + 2 * locks;
  // The DID dicts for the whole cycle plus one chunk's locks.
  c.heap_bytes = n * k.row_bytes / 3 + 2 * (locks / chunks) * k.row_bytes;
  c.full = n >= static_cast<double>(bulk);
  c.commit = [&w](Cycle& cycle) {
    for (const auto& g : cycle.claimed) {
      Dataset& ds = w.catalog.dataset(g.dataset);
      ds.deleted = true;
      for (const auto& [rse, files] : w.catalog.replica_locations(ds.id))
        if (w.catalog.tombstone(ds.id, rse))
          w.db.table(Table::ReplicasTombstoned)
              .insert(RowGroup{files, ds.id, 0, rse, ds.bytes_per_file, 0});
      emit_messages(w, 1);                          // DID deleted
      w.catalog.retire_dataset_if_done(g.dataset);  // unless a live rule is on it
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
