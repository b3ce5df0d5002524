// abacus-collection-replica (rucio-1.23.md §2.2; rucio-daemons.md §0.1-0.2, §4.2).
// No partitioning: every worker runs the same clean-up and processes the same rows, so extra
// threads or replicas add CPU and memory but no drain capacity. On PostgreSQL (and SQLite)
// the clean-up loads the whole UPDATED_COL_REP table into Python and de-duplicates it with a
// list-membership loop: memory ∝ rows N, CPU ∝ N × unique rows U. Oracle and MySQL
// de-duplicate in the database. 1.23.10 then processes every remaining row (no limit; master
// takes `limit`), ~5 statements each, one transaction per row.
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

Cycle plan_abacus_collection_replica(RucioWorld& w, const sim::ServiceSpec& s, const Worker&) {
  Cycle c;
  const auto& k = w.cost;
  QueueTable& table = w.db.table(Table::UpdatedColRep);
  // Every worker sees the whole table, including rows another worker is processing.
  const double n = static_cast<double>(table.rows());
  const double u = static_cast<double>(table.unique_keys());
  claim_rows(w, c, Table::UpdatedColRep, table.unclaimed_rows());
  c.rows = static_cast<std::int64_t>(n);
  const std::int64_t limit = option(s, "limit");
  const double processed = limit > 0 ? std::min(static_cast<double>(limit), u) : u;
  if (w.db.engine() == sim::DatabaseEngine::PostgreSQL) {
    // Whole table as ORM rows plus the unique rows as dicts (§2.2.5).
    c.heap_bytes = (n + u) * k.row_bytes;
    c.work.rows = n + u;
    c.work.dedup_pairs = n * u;
    c.work.statements = 1 + std::ceil((n - u) / 100);  // duplicates deleted in chunks of 100
  } else {
    // One DELETE … NOT IN (max id per key) inside the database: its cost grows with N.
    c.db_cpu_s = n * k.cpu_per_row_s;
    c.work.statements = 1;
  }
  // Processing: the returned rows are held as dicts for the whole phase; per row ~5
  // statements (read, aggregate over the dataset's files, update, delete the row).
  c.heap_bytes = std::max(c.heap_bytes, 2 * processed * k.row_bytes);
  c.work.rows += processed;
  c.work.statements += 5 * processed;
  c.full = processed > 0;
  const auto processed_keys = static_cast<std::int64_t>(processed);
  c.commit = [processed_keys](Cycle& cycle) {
    // Groups are one per key: duplicates are deleted; keys beyond the limit keep one row.
    std::int64_t done = 0;
    for (auto& g : cycle.claimed) {
      if (done++ < processed_keys || g.rows == 0) continue;
      RowGroup one = g;
      one.rows = 1;
      cycle.keep.push_back(one);
      g.rows -= 1;
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
