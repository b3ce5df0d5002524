// The Rucio services a scenario can name (scenario vocabulary; the models run them): each daemon's
// options with the defaults of the Rucio release in use, the queue it drains and how its threads
// share work. Facts from rucio 1.23.10 bin/rucio-<daemon> and
// lib/rucio/daemons/ (the FDR's version) and rucio master lib/rucio/daemons/ (docs/references.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlsim::scenario {

enum class OptionUnit { Count, Seconds, Flag };

struct OptionDef {
  std::string name;
  OptionUnit unit = OptionUnit::Count;
  double default_1_23 = 0;    // Rucio 1.23.10 CLI default
  double default_master = 0;  // Rucio master CLI default
  const char* doc = "";
};

// How a daemon's workers split the rows of their queue.
enum class Partitioning {
  PerThread,   // hash(column) mod (replicas × threads): every thread is a heartbeat
  PerProcess,  // one heartbeat (producer) per process; threads consume (conveyor, master)
  None,        // every worker sees every row (abacus-collection-replica)
};

struct DaemonKind {
  std::string name;
  std::string drains;  // the queue table or row set it works on
  Partitioning partitioning = Partitioning::PerThread;
  std::vector<OptionDef> options;
  // The `older_than` its 1.23.10 threads pass to heartbeat.live(): how long a dead worker's
  // heartbeat still counts (rucio 1.23.10 lib/rucio/core/heartbeat.py#L75-137; 600 s is live()'s
  // default).
  double heartbeat_older_than_1_23_s = 600;
};

enum class ServerKind { Api, Auth, WebUi };

const std::vector<DaemonKind>& daemon_kinds();
const DaemonKind* find_daemon_kind(std::string_view name);
std::vector<std::string> daemon_kind_names();

std::optional<ServerKind> find_server_kind(std::string_view name);
std::vector<std::string> server_kind_names();

// The default of `option` for the given Rucio version ("1.23" or anything newer = master).
// How long a worker's heartbeat counts after its last beat: the kind's 1.23.10 `older_than`, or
// on master 10 × (sleep_time − 1) (rucio master lib/rucio/core/heartbeat.py#L134-233), at least 10
// s.
double heartbeat_expiry_s(const DaemonKind& kind, std::string_view rucio_version,
                          double sleep_time_s);
double option_default(const OptionDef& option, std::string_view rucio_version);
std::vector<std::string> rucio_versions();

}  // namespace dlsim::scenario
