#include "scenario/daemon_catalog.hpp"

#include <algorithm>

namespace dlsim::scenario {

const std::vector<DaemonKind>& daemon_kinds() {
  using U = OptionUnit;
  // Defaults: {1.23.10, master}. Sources: rucio 1.23.10 bin/rucio-<daemon> (CLI defaults) and
  // rucio master lib/rucio/daemons/<daemon> (master). 0 for a batch limit means "no limit".
  // The last field: the `older_than` 1.23.10 passes to heartbeat.live() (rucio 1.23.10
  // lib/rucio/core/heartbeat.py#L75-137 and each daemon's call of it).
  static const std::vector<DaemonKind> kinds = {
      {"abacus-account",
       "UPDATED_ACCOUNT_COUNTERS",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 10, 10, "idle sleep between cycles"}},
       600},
      {"abacus-collection-replica",
       "UPDATED_COL_REP",
       Partitioning::None,
       {{"sleep_time", U::Seconds, 10, 10, "idle sleep between cycles"},
        {"limit", U::Count, 0, 1000, "rows processed per cycle after clean-up (1.23: all)"}},
       600},
      {"abacus-rse",
       "UPDATED_RSE_COUNTERS",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 10, 10, "idle sleep between cycles"}},
       600},
      {"conveyor-submitter",
       "REQUESTS_QUEUED",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 600, 600, "sleep when nothing was submitted"},
        {"bulk", U::Count, 100, 100, "requests fetched per cycle"},
        {"group_bulk", U::Count, 1, 1, "files per FTS job"}},
       3600},
      {"conveyor-poller",
       "REQUESTS_SUBMITTED",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 300, 60, "sleep when fewer than 50 requests were fetched"},
        {"db_bulk", U::Count, 1000, 1000, "requests fetched per cycle"},
        {"fts_bulk", U::Count, 100, 100, "jobs per FTS status query"},
        {"older_than", U::Seconds, 60, 60, "poll only requests not updated for this long"}},
       3600},
      {"conveyor-finisher",
       "REQUESTS_DONE",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 30, 60, "cycle period (padded)"},
        {"db_bulk", U::Count, 1000, 1000, "requests fetched per cycle"},
        {"bulk", U::Count, 100, 100, "requests per transaction chunk"}},
       3600},
      {"hermes",
       "MESSAGES",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 10, 10, "cycle period (padded, 'delay')"},
        {"bulk", U::Count, 1000, 1000, "messages fetched per cycle"}},
       600},
      {"judge-injector",
       "RULES_INJECT",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 60, 60, "idle sleep"},
        {"bulk", U::Count, 100, 100, "rules fetched per cycle"}},
       7200},
      {"judge-evaluator",
       "UPDATED_DIDS",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 30, 30, "idle sleep"},
        {"did_limit", U::Count, 100, 100, "DIDs fetched per cycle"}},
       1800},
      {"judge-repairer",
       "RULES_STUCK",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 60, 60, "idle sleep"},
        {"bulk", U::Count, 100, 100, "rules fetched per cycle"},
        {"delta", U::Seconds, 1800, 1800, "repair rules stuck for longer than this"}},
       1800},
      {"judge-cleaner",
       "RULES_EXPIRED",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 60, 60, "idle sleep"},
        {"bulk", U::Count, 200, 200, "rules fetched per cycle"}},
       600},
      {"reaper",
       "REPLICAS_TOMBSTONED",
       Partitioning::None,
       {{"sleep_time", U::Seconds, 60, 60, "cycle period (padded)"},
        {"chunk_size", U::Count, 100, 100, "replicas deleted per RSE pass"},
        {"greedy", U::Flag, 0, 0, "delete tombstoned replicas without waiting for the watermark"},
        {"delay_seconds", U::Seconds, 600, 600, "skip RSEs paused after a pass for this long"}},
       3600},
      {"transmogrifier",
       "DIDS_NEW",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 60, 60, "cycle period (padded)"},
        {"bulk", U::Count, 1000, 1000, "new DIDs fetched per cycle"}},
       600},
      {"undertaker",
       "DIDS_EXPIRED",
       Partitioning::PerThread,
       {{"sleep_time", U::Seconds, 60, 60, "idle sleep"},
        {"bulk", U::Count, 10000, 10000, "expired DIDs fetched per cycle"},
        {"chunk_size", U::Count, 5, 10, "DIDs per transaction"}},
       6000},
  };
  return kinds;
}

const DaemonKind* find_daemon_kind(std::string_view name) {
  for (const auto& k : daemon_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

std::vector<std::string> daemon_kind_names() {
  std::vector<std::string> out;
  for (const auto& k : daemon_kinds()) out.push_back(k.name);
  return out;
}

std::optional<ServerKind> find_server_kind(std::string_view name) {
  if (name == "server") return ServerKind::Api;
  if (name == "server-auth") return ServerKind::Auth;
  if (name == "ui") return ServerKind::WebUi;
  return std::nullopt;
}

std::vector<std::string> server_kind_names() {
  return {"server", "server-auth", "ui"};
}

double heartbeat_expiry_s(const DaemonKind& kind, std::string_view rucio_version,
                          double sleep_time_s) {
  if (rucio_version == "1.23") return kind.heartbeat_older_than_1_23_s;
  // The 10 s floor is an assumption: master's formula gives no window for sleep_time ≤ 1 s.
  return std::max(10.0, 10.0 * (sleep_time_s - 1.0));
}

double option_default(const OptionDef& option, std::string_view rucio_version) {
  return rucio_version == "1.23" ? option.default_1_23 : option.default_master;
}

std::vector<std::string> rucio_versions() {
  return {"1.23", "master"};
}

}  // namespace dlsim::scenario
