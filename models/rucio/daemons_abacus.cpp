// The abacus daemons (reference/rucio-daemons.md §4, rucio-1.23.md §2).
// - abacus-account / abacus-rse: per (account, RSE) pair or per RSE, load *all* pending counter
//   rows as ORM objects in one transaction, apply the sum, delete the rows one by one.
// - abacus-collection-replica: no partitioning at all; on PostgreSQL the clean-up loads the
//   whole UPDATED_COL_REP table into Python and de-duplicates it with a list-membership loop
//   (O(rows × unique rows)); Oracle and MySQL de-duplicate inside the database. Then each
//   remaining row recomputes one dataset replica (1.23: all of them; master: `limit`).
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/plan_util.hpp"

namespace dlsim::models::rucio {
namespace {

Cycle plan_counter_table(RucioWorld& w, const Worker& me, Table table) {
  Cycle c;
  const auto& k = w.cost;
  std::int64_t n =
      claim_rows(w, c, table, partition_share(w.db.table(table).unclaimed_rows(), me, 0));
  // Each claimed group is about one (account, RSE) or RSE key: ~3 statements per key
  // (select, update counter, history) and one DELETE per row (rucio-daemons.md §12).
  auto keys = static_cast<int>(c.claimed.size());
  c.statements = 3 * keys + static_cast<int>(n);
  c.heap_bytes = static_cast<double>(n) * k.row_bytes;
  c.cpu_s = static_cast<double>(n) * k.cpu_per_row_s + c.statements * k.cpu_per_statement_s;
  c.full = n > 0;  // rucio-1.23.md §9: busy → next cycle at once
  return c;
}

}  // namespace

Cycle plan_abacus_account(RucioWorld& w, const sim::ServiceSpec&, const Worker& me) {
  return plan_counter_table(w, me, Table::UpdatedAccountCounters);
}

Cycle plan_abacus_rse(RucioWorld& w, const sim::ServiceSpec&, const Worker& me) {
  return plan_counter_table(w, me, Table::UpdatedRseCounters);
}

Cycle plan_abacus_collection_replica(RucioWorld& w, const sim::ServiceSpec& s, const Worker&) {
  Cycle c;
  const auto& k = w.cost;
  QueueTable& table = w.db.table(Table::UpdatedColRep);
  // Every worker sees the whole table (no partitioning, rucio-daemons.md §0.1): its clean-up
  // reads all rows, including those another worker is processing.
  const double whole_table = static_cast<double>(table.rows());
  claim_rows(w, c, Table::UpdatedColRep, table.unclaimed_rows());
  const std::int64_t unique = unique_keys(c.claimed);
  const std::int64_t limit = option(s, "limit");
  const std::int64_t processed = limit > 0 ? std::min(limit, unique) : unique;
  const double u = static_cast<double>(unique);
  if (w.db.engine() == sim::DatabaseEngine::PostgreSQL) {
    // Whole table as ORM rows + the unique rows as dicts, in the daemon (§0.2, §12).
    c.heap_bytes = whole_table * k.row_bytes + u * k.row_bytes;
    c.cpu_s = whole_table * k.cpu_per_row_s + whole_table * u * k.cpu_per_dedup_pair_s;
  } else {
    // De-duplication in the database: one statement whose cost grows with the table.
    c.heap_bytes = static_cast<double>(processed) * k.row_bytes;
    c.db_cpu_s = whole_table * k.cpu_per_row_s;
  }
  // Per processed row: fetch, aggregate the dataset's replicas, update, delete, history
  // (~5 statements, §12).
  c.statements = 1 + 5 * static_cast<int>(processed);
  c.cpu_s += static_cast<double>(processed) * (k.cpu_per_row_s + 5 * k.cpu_per_statement_s);
  c.full = processed > 0;
  c.commit = [processed](Cycle& cycle) {
    // Duplicates are deleted; of the unique keys, those beyond the processing limit stay.
    std::set<std::pair<std::uint32_t, std::uint16_t>> seen;
    std::int64_t kept_processed = 0;
    for (const auto& g : cycle.claimed) {
      if (!seen.insert({g.dataset, g.rse}).second) continue;
      if (kept_processed++ < processed) continue;
      RowGroup one = g;
      one.rows = 1;
      cycle.keep.push_back(one);
    }
  };
  return c;
}

}  // namespace dlsim::models::rucio
