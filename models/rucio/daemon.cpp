#include "models/rucio/daemon.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace dlsim::models::rucio {

Daemon::Daemon(RucioWorld& world, const scenario::ServiceSpec& spec, std::vector<k8s::Pod*> pods)
    : world_(world),
      spec_(spec),
      kind_(find_daemon_kind(spec.kind)),
      pods_(std::move(pods)),
      plan_(plan_for(spec.kind)),
      heartbeats_(
          scenario::heartbeat_expiry_s(*kind_, world.version, spec.options.at("sleep_time"))) {}

void Daemon::start() {
  for (std::size_t slot = 0; slot < pods_.size(); ++slot) {
    k8s::Pod* pod = pods_[slot];
    for (int t = 0; t < spec_.threads; ++t)
      sim::spawn(fmt::format("{}/t{}", pod->name(), t), pod->vm(),
                 [this, pod, slot, t] { run_thread(*pod, static_cast<int>(slot), t); });
  }
}

std::int64_t partition_share(std::int64_t rows, const Worker& w, std::int64_t limit) {
  // Hashing spreads rows evenly: the W workers' shares add up to the rows, the first
  // (rows mod W) ranks taking one more (so one row is seen by one worker, not by all).
  const std::int64_t count = std::max(1, w.count);
  std::int64_t share = rows / count + (w.rank % count < rows % count ? 1 : 0);
  return limit > 0 ? std::min(share, limit) : share;
}

double Daemon::sleep_after(const Cycle& cycle, double duration_s) const {
  const double sleep_time = spec_.options.at("sleep_time");
  if (padded(spec_.kind)) return std::max(0.0, sleep_time - duration_s);
  // rucio 1.23.10 abacus, judge and undertaker loops: busy → next cycle at once; master: 1 s later
  // (rucio master lib/rucio/daemons/common.py#L40-115).
  if (cycle.full) return world_.version == "1.23" ? 0.0 : 1.0;
  return world_.version == "1.23" ? sleep_time : std::max(1.0, sleep_time - duration_s);
}

bool Daemon::run_then(k8s::Pod& pod, int thread_index, std::uint64_t generation, Cycle& cycle) {
  Work more = cycle.then(cycle);
  if (!pod.hold_heap(thread_index, cycle.heap_bytes) ||
      !pod.compute(cpu_seconds(more, world_.cost)))
    return false;
  const int statements = static_cast<int>(more.statements);
  world_.db.execute(statements, statements * world_.cost.db_cpu_per_statement_s);
  if (pod.generation() != generation || !pod.running()) return false;
  cycle.work += more;
  return true;
}

void Daemon::run_thread(k8s::Pod& pod, int slot, int thread_index) {
  // Every thread is a worker with its own heartbeat (rucio master
  // lib/rucio/core/heartbeat.py#L134-233); the threads with a live heartbeat share the rows.
  // Threads of a pod that is not running wait for it, unbeating.
  const auto& cost = world_.cost;
  std::uint64_t started_generation = 0;
  for (;;) {
    pod.wait_until_running();
    const std::uint64_t generation = pod.generation();
    const double start = sim::now();
    if (generation != started_generation) {
      // A new process: its first heartbeat, then partition_wait_time before the first cycle,
      // so that its sibling threads are counted (rucio master
      // lib/rucio/daemons/common.py#L40-115).
      started_generation = generation;
      heartbeats_.beat(slot, pod.created_s(), thread_index, start);
      sim::sleep_for(1.0);
      continue;
    }
    const Worker worker = heartbeats_.beat(slot, pod.created_s(), thread_index, start);
    Cycle cycle = plan_(world_, spec_, worker);
    auto abandon = [&] {
      if (cycle.table) world_.db.table(*cycle.table).release(cycle.claimed);
      if (cycle.on_abandon) cycle.on_abandon();
    };
    // Every cycle: the heartbeat (upsert, then list every live worker of the daemon,
    // rucio 1.23.10 lib/rucio/core/heartbeat.py#L75-137) and the fetch statement.
    Work fetch;
    fetch.statements = 2;
    fetch.rows = worker.count;
    const double fetch_db_cpu = fetch.statements * cost.db_cpu_per_statement_s;
    if (cycle.rows == 0 && cycle.claimed.empty() && world_.db.cheap(fetch_db_cpu)) {
      // An idle cycle and the sleep after it, as one wait.
      pod.compute(cpu_seconds(fetch, cost));
      work_done_ += fetch;
      ++cycles_;
      double busy = world_.db.uncontended_time_s(2, fetch_db_cpu);
      sim::sleep_for(busy + std::max(1.0, sleep_after(cycle, busy)));
      continue;
    }
    // Hold the fetched rows while working on them. The fetch's round trips are waited with
    // the cycle's statements below (one wait instead of two; the cycle lasts as long).
    if (!pod.hold_heap(thread_index, cycle.heap_bytes) ||
        !pod.compute(cpu_seconds(cycle.work, cost) + cpu_seconds(fetch, cost))) {
      abandon();
      continue;
    }
    const int statements = static_cast<int>(cycle.work.statements);
    world_.db.execute(statements + 2,
                      fetch_db_cpu + statements * cost.db_cpu_per_statement_s + cycle.db_cpu_s,
                      cycle.external_wait_s);
    if (pod.generation() != generation || !pod.running()) {
      abandon();
      continue;
    }
    if (cycle.then && !run_then(pod, thread_index, generation, cycle)) {
      abandon();
      continue;
    }
    work_done_ += fetch;
    work_done_ += cycle.work;
    world_.fts.rest_calls(cycle.work.fts_calls);  // their CPU on FTS's side (transfers.fts)
    ++cycles_;
    if (cycle.commit) cycle.commit(cycle);
    if (cycle.table) {
      // The commit left in `claimed` the rows it deleted and moved the rest to `keep`.
      auto& table = world_.db.table(*cycle.table);
      table.drain(cycle.claimed);
      table.release(cycle.keep);
      table.requeue(cycle.touched);
    }
    pod.hold_heap(thread_index, 0.0);
    double pause = sleep_after(cycle, sim::now() - start);
    // An empty cycle always yields at least a second (a zero sleep_time would spin).
    if (cycle.rows == 0) pause = std::max(pause, 1.0);
    sim::sleep_for(pause);
  }
}

}  // namespace dlsim::models::rucio

#include "models/rucio/daemon_plans.hpp"

namespace dlsim::models::rucio {

PlanFn plan_for(const std::string& kind) {
  static const std::map<std::string, PlanFn> plans = {
      {"abacus-account", plan_abacus_account},
      {"abacus-rse", plan_abacus_rse},
      {"abacus-collection-replica", plan_abacus_collection_replica},
      {"conveyor-submitter", plan_conveyor_submitter},
      {"conveyor-poller", plan_conveyor_poller},
      {"conveyor-finisher", plan_conveyor_finisher},
      {"hermes", plan_hermes},
      {"judge-injector", plan_judge_injector},
      {"judge-evaluator", plan_judge_evaluator},
      {"judge-repairer", plan_judge_repairer},
      {"judge-cleaner", plan_judge_cleaner},
      {"reaper", plan_reaper},
      {"transmogrifier", plan_transmogrifier},
      {"undertaker", plan_undertaker},
  };
  return plans.at(kind);
}

bool padded(const std::string& kind) {
  // rucio 1.23.10 finisher.py, hermes.py, reaper2.py, transmogrifier.py pad every cycle to their
  // sleep time.
  return kind == "conveyor-finisher" || kind == "hermes" || kind == "reaper" ||
         kind == "transmogrifier";
}

}  // namespace dlsim::models::rucio
