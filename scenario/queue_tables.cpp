#include "scenario/queue_tables.hpp"

#include <array>

namespace dlsim::scenario {

namespace {
constexpr std::array<std::string_view, kTableCount> kNames{
    "UPDATED_COL_REP",      "UPDATED_ACCOUNT_COUNTERS",
    "UPDATED_RSE_COUNTERS", "UPDATED_DIDS",
    "REQUESTS_QUEUED",      "REQUESTS_SUBMITTED",
    "REQUESTS_DONE",        "MESSAGES",
    "RULES_INJECT",         "RULES_STUCK",
    "RULES_EXPIRED",        "DIDS_NEW",
    "DIDS_EXPIRED",         "REPLICAS_TOMBSTONED"};
}  // namespace

std::string_view table_name(RucioTable t) {
  return kNames[static_cast<std::size_t>(t)];
}

std::optional<RucioTable> table_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kTableCount; ++i)
    if (kNames[i] == name) return static_cast<RucioTable>(i);
  return std::nullopt;
}

}  // namespace dlsim::scenario
