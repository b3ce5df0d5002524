// Small helpers shared by the daemon plans.
#pragma once

#include <cmath>
#include <set>

#include "models/rucio/daemon.hpp"

namespace dlsim::models::rucio {

// Claims up to `n` rows of `table` into the cycle.
inline std::int64_t claim_rows(RucioWorld& w, Cycle& c, Table table, std::int64_t n) {
  c.table = table;
  std::int64_t got = w.db.table(table).claim(n, c.claimed);
  c.rows += got;
  return got;
}

inline std::int64_t option(const sim::ServiceSpec& s, const char* name) {
  return static_cast<std::int64_t>(std::llround(s.options.at(name)));
}

// Distinct (dataset, rse) keys among row groups.
inline std::int64_t unique_keys(const std::vector<RowGroup>& groups) {
  std::set<std::pair<std::uint32_t, std::uint16_t>> keys;
  for (const auto& g : groups) keys.insert({g.dataset, g.rse});
  return static_cast<std::int64_t>(keys.size());
}

// One message row per event (rucio-1.23.md §0.8).
inline void emit_messages(RucioWorld& w, std::int64_t n) {
  if (n > 0) w.db.table(Table::Messages).insert(RowGroup{n, 0, 0, 0, 0, 0});
}

}  // namespace dlsim::models::rucio
