// The loop every Rucio daemon thread runs (rucio master lib/rucio/daemons/common.py#L40-115,
// rucio 1.23.10 lib/rucio/core/heartbeat.py#L75-137): heartbeat, fetch a batch from its queue, hold
// it in memory, spend CPU on its pod and statements on the database, commit its writes, sleep. What
// a cycle fetches and writes is the daemon's own (one plan function per daemon kind,
// daemons_*.cpp); the loop, the partitioning, the memory held and the loss of work on an OOM kill
// are common.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/k8s/pod.hpp"
#include "models/rucio/catalog.hpp"
#include "models/rucio/daemon_catalog.hpp"
#include "models/rucio/database.hpp"
#include "models/rucio/heartbeat.hpp"
#include "models/rucio/work.hpp"
#include "models/storage/rse.hpp"
#include "models/transfer/fts.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::models::rucio {

// What daemons work on.
struct RucioWorld {
  sim::ModelContext& ctx;
  Database& db;
  Catalog& catalog;
  storage::Storage& storage;
  transfer::Fts& fts;
  const scenario::RucioCostSpec& cost;
  std::string version;
};

// One cycle of one worker: what it claimed, what holding and processing it costs, and the
// writes to apply if it completes.
struct Cycle {
  std::optional<Table> table;     // the table `claimed` came from
  std::vector<RowGroup> claimed;  // rows returned to the table if the cycle dies
  std::int64_t rows = 0;          // rows worked on this cycle
  double heap_bytes = 0;          // heap held while processing
  Work work;                      // priced by rucio.model into CPU on the pod and DB round trips
  double db_cpu_s = 0;            // database CPU besides the per-statement cost
  double external_wait_s = 0;     // time waiting on FTS or storage
  // Writes, applied when the cycle completes. It may move claimed rows that stay in the table
  // from `claimed` to `keep`; what remains in `claimed` is deleted.
  std::function<void(Cycle&)> commit;
  std::vector<RowGroup> keep;
  // Claimed rows the commit updated (a new since_s): they stay, at the end of the table.
  std::vector<RowGroup> touched;
  bool full = false;  // a full batch: the next cycle starts without sleeping
  // Undoes what the plan took besides `claimed` when the cycle dies before its commit.
  std::function<void()> on_abandon;
  // A later statement of the same transaction, run once the work above has been done: under
  // PostgreSQL's READ COMMITTED each statement sees the rows committed before it starts, so
  // it may claim rows inserted meanwhile. It returns its own work and sets `heap_bytes` to
  // what is held while that work runs.
  std::function<Work(Cycle&)> then;
};

using PlanFn = std::function<Cycle(RucioWorld&, const scenario::ServiceSpec&, const Worker&)>;

// The plan function of a daemon kind (daemons_*.cpp).
PlanFn plan_for(const std::string& kind);
// Whether the kind pads every cycle to its sleep time (rucio 1.23.10
// conveyor/finisher.py, hermes/hermes.py, reaper/reaper2.py, transmogrifier/transmogrifier.py).
bool padded(const std::string& kind);

class Daemon {
 public:
  Daemon(RucioWorld& world, const scenario::ServiceSpec& spec, std::vector<k8s::Pod*> pods);
  void start();
  // Work completed so far by all the daemon's workers, and the cycles they completed.
  const Work& work_done() const { return work_done_; }
  std::int64_t cycles() const { return cycles_; }

 private:
  void run_thread(k8s::Pod& pod, int slot, int thread_index);
  // Runs the cycle's `then` statement; false if the container died meanwhile.
  bool run_then(k8s::Pod& pod, int thread_index, std::uint64_t generation, Cycle& cycle);
  double sleep_after(const Cycle& cycle, double duration_s) const;

  RucioWorld& world_;
  const scenario::ServiceSpec& spec_;
  const DaemonKind* kind_;
  std::vector<k8s::Pod*> pods_;
  PlanFn plan_;
  Heartbeats heartbeats_;
  Work work_done_;
  std::int64_t cycles_ = 0;
};

// The share of a table's rows one worker sees under hash partitioning: rows/count, the
// remainder going to the lowest ranks, at most `limit` (0 = no limit).
std::int64_t partition_share(std::int64_t rows, const Worker& w, std::int64_t limit);

}  // namespace dlsim::models::rucio
