// Small helpers shared by the daemon plans.
#pragma once

#include <cmath>

#include "models/rucio/daemon.hpp"

namespace dlsim::models::rucio {

// Claims up to `n` rows of `table` into the cycle.
inline std::int64_t claim_rows(RucioWorld& w, Cycle& c, Table table, std::int64_t n) {
  c.table = table;
  std::int64_t got = w.db.table(table).claim(n, c.claimed);
  c.rows += got;
  return got;
}

// Claims a hash-partitioned worker's share of a table's rows, at most `limit` (0 = all).
inline std::int64_t claim_share(RucioWorld& w, Cycle& c, Table table, const Worker& me,
                                std::int64_t limit) {
  return claim_rows(w, c, table, partition_share(w.db.table(table).unclaimed_rows(), me, limit));
}

inline std::int64_t option(const scenario::ServiceSpec& s, const char* name) {
  return static_cast<std::int64_t>(std::llround(s.options.at(name)));
}

inline double rows_of(const std::vector<RowGroup>& groups) {
  double n = 0;
  for (const auto& g : groups) n += static_cast<double>(g.rows);
  return n;
}

// One message row per event (rucio 1.23.10 lib/rucio/core/message.py).
inline void emit_messages(RucioWorld& w, std::int64_t n) {
  if (n > 0) w.db.table(Table::Messages).insert(RowGroup{n, 0, 0, 0, 0, 0});
}

}  // namespace dlsim::models::rucio
