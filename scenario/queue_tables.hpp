// The Rucio queue tables and row sets dlsim models, by the names a scenario writes them
// (`autoscaling: {metric: table, table: UPDATED_COL_REP}`); models/rucio/database.hpp keeps
// their rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dlsim::scenario {

// The queue tables and row sets of rucio master lib/rucio/db/sqla/models.py.
enum class RucioTable : std::uint8_t {
  UpdatedColRep,
  UpdatedAccountCounters,
  UpdatedRseCounters,
  UpdatedDids,
  RequestsQueued,
  RequestsSubmitted,
  RequestsDone,
  Messages,
  RulesInject,
  RulesStuck,
  RulesExpired,
  DidsNew,
  DidsExpired,
  ReplicasTombstoned,
  Count_
};
inline constexpr std::size_t kTableCount = static_cast<std::size_t>(RucioTable::Count_);
std::string_view table_name(RucioTable t);
std::optional<RucioTable> table_by_name(std::string_view name);

}  // namespace dlsim::scenario
