// abacus-collection-replica (rucio 1.23.10 lib/rucio/daemons/abacus/collection_replica.py#L59-86;
// rucio master lib/rucio/core/replica.py#L3634-3737). No partitioning: every worker runs the same
// clean-up and processes the same rows, so extra threads or replicas add CPU and memory but no
// drain capacity. On PostgreSQL (and SQLite) the clean-up loads the whole UPDATED_COL_REP table
// into Python and de-duplicates it with a list-membership loop: memory ∝ rows N, CPU ∝ N × unique
// rows U (dedup_pair_count). Oracle and MySQL de-duplicate in the database. 1.23.10 then processes
// every remaining row (no limit; master takes `limit`), ~5 statements each, one transaction per
// row.
#include <algorithm>

#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {

double dedup_pair_count(double n, double u) {
  // 1.23.10:lib/rucio/core/replica.py#L2647-2660: each row's key is tested with
  // `not in` against the list of unique keys found so far. The U rows that bring a new key
  // scan the whole list as it grows (0 + 1 + … + U−1 comparisons); each of the N − U
  // duplicates stops at its key's first occurrence, on average half-way through the list
  // of U (a container rule's rows arrive as one row per child dataset per file, so the
  // match positions are spread evenly over the list).
  if (u <= 0) return 0;
  return u * (u - 1) / 2 + std::max(0.0, n - u) * (u + 1) / 2;
}

namespace {

// 1.23.10 returns the whole table, no LIMIT (replica.py#L2673-2674), in a later statement of
// the de-duplication's transaction. PostgreSQL runs it at READ COMMITTED (the session sets no
// isolation level, 1.23.10:lib/rucio/db/sqla/session.py#L236), so it also returns every row
// committed since the de-duplication's SELECT, not de-duplicated: a finisher chunk that
// commits meanwhile comes back row by row. Every returned row is held as a dict for the
// whole processing phase and gets its own update_collection_replica: about 5 statements
// (read, aggregate over the dataset's files, update, delete the row; replica.py#L2678-2789).
void plan_returned_rows(RucioWorld& w, Cycle& c, double unique_rows) {
  c.then = [&w, unique_rows](Cycle& cycle) {
    auto& table = w.db.table(Table::UpdatedColRep);
    const auto raw =
        static_cast<double>(claim_rows(w, cycle, Table::UpdatedColRep, table.unclaimed_rows()));
    const double returned = unique_rows + raw;
    cycle.heap_bytes = 2 * returned * w.cost.row_bytes;
    Work more;
    more.rows = returned;
    more.statements = 1 + 5 * returned;
    return more;
  };
}

}  // namespace

Cycle plan_abacus_collection_replica(RucioWorld& w, const scenario::ServiceSpec& s, const Worker&) {
  Cycle c;
  const auto& k = w.cost;
  QueueTable& table = w.db.table(Table::UpdatedColRep);
  // Every worker sees the whole table, including rows another worker is processing.
  const double n = static_cast<double>(table.rows());
  const double u = static_cast<double>(table.unique_keys());
  claim_rows(w, c, Table::UpdatedColRep, table.unclaimed_rows());
  c.rows = static_cast<std::int64_t>(n);
  const std::int64_t limit = option(s, "limit");
  if (w.db.engine() == scenario::DatabaseEngine::PostgreSQL) {
    // Whole table as ORM rows plus the unique rows as dicts (rucio 1.23.10
    // lib/rucio/core/replica.py#L2619-2674).
    c.heap_bytes = (n + u) * k.row_bytes;
    c.work.rows = n + u;
    c.work.dedup_pairs = dedup_pair_count(n, u);
    c.work.statements = 1 + std::ceil((n - u) / 100);  // duplicates deleted in chunks of 100
  } else {
    // One DELETE … NOT IN (max id per key) inside the database: its cost grows with N.
    c.db_cpu_s = n * k.cpu_per_row_s;
    c.work.statements = 1;
  }
  // The two orphan clean-ups, anti-join DELETEs (1.23.10:lib/rucio/core/replica.py#L2665-2671).
  c.work.statements += 2;
  c.full = u > 0;
  if (limit == 0) {
    plan_returned_rows(w, c, u);
    return c;
  }
  // Master: the return is limited to `limit` rows, processed as below.
  const double processed = std::min(static_cast<double>(limit), u);
  c.heap_bytes = std::max(c.heap_bytes, 2 * processed * k.row_bytes);
  c.work.rows += processed;
  c.work.statements += 1 + 5 * processed;
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
