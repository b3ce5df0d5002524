// bench/floor: dlsim's cost per engine activity against raw SimGrid doing the same activities
// (docs/design.md §7: within 3×). Three kinds of child process, one engine each:
//   1. traced: dlsim runs the scenario while trace.cpp records every exec, sleep and comm each
//      actor asks of SimGrid (not timed);
//   2. dlsim:  dlsim runs the scenario again, untraced, timed around run_scenario();
//   3. raw:    replay.cpp replays the trace on bare SimGrid, timed the same way.
// Runs 2 and 3 alternate `--repeat` times; the ratio uses the median CPU time of each.
//
// Usage: floor [SCENARIO] [--set key=value]... [--repeat N]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "app/run_wiring.hpp"
#include "bench/args.hpp"
#include "bench/child.hpp"
#include "bench/floor/replay.hpp"
#include "bench/floor/trace.hpp"
#include "models/k8s/resources.hpp"
#include "scenario/loader.hpp"

namespace {
using dlsim::bench::ChildRun;
using dlsim::bench::OpKind;
using dlsim::bench::Trace;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Runs `work` in a child process, timed inside the child (wall and CPU of the work alone, not
// of process start-up or scenario loading), and returns the figures as JSON.
template <class Work>
ChildRun timed_child(Work work) {
  return dlsim::bench::run_in_child([&](int fd) {
    std::uint64_t steps = 0;
    simgrid::s4u::Engine::on_time_advance_cb([&steps](double) { ++steps; });
    double cpu0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    work();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json out = {{"wall_s", wall}, {"cpu_s", cpu_seconds() - cpu0}, {"steps", steps}};
    std::string text = out.dump();
    dlsim::bench::write_all(fd, text.data(), text.size());
  });
}

// The pods' CPU limits and shares, which SimGrid does not report back (no VM::get_bound and
// no Exec::get_priority in 3.32): taken from the run's pod records, as models/k8s/cluster.cpp
// and pod.cpp set them (bound = limit × speed; exec priority = cpu.shares of the request).
void add_pod_resources(Trace& trace, const dlsim::sim::Summary& summary) {
  namespace k8s = dlsim::models::k8s;
  for (auto& host : trace.hosts) {
    if (!host.is_vm) continue;
    for (const auto& pod : summary.pods) {
      if (pod.name != host.name) continue;
      auto r = k8s::apply_request_defaults(pod.resources);
      if (r.cpu_limit_cores) host.bound_flops = *r.cpu_limit_cores * host.speed_flops;
      host.exec_priority = static_cast<double>(k8s::cpu_shares(r.cpu_request_cores));
    }
  }
}

// Actor name → the model it belongs to: "judge-evaluator-1/t2" → "judge-evaluator",
// "fts/PIC-INJECT->EULAKE-1" → "fts", "inject/CTA" → "inject".
std::string actor_group(const std::string& name) {
  std::string g = name.substr(0, name.find('/'));
  auto dash = g.find_last_of('-');
  if (dash != std::string::npos && dash + 1 < g.size() &&
      g.find_first_not_of("0123456789", dash + 1) == std::string::npos)
    g.resize(dash);
  return g;
}

void print_groups(const Trace& trace) {
  struct Counts {
    std::uint64_t actors = 0, sleeps = 0, execs = 0, comms = 0;
    std::uint64_t total() const { return sleeps + execs + comms; }
  };
  std::map<std::string, Counts> groups;
  for (const auto& a : trace.actors) {
    Counts& c = groups[actor_group(a.name)];
    ++c.actors;
    for (const auto& op : a.ops) {
      c.sleeps += op.kind == OpKind::Sleep;
      c.execs += op.kind == OpKind::Exec;
      c.comms += op.kind == OpKind::Comm;
    }
  }
  std::vector<std::pair<std::string, Counts>> sorted(groups.begin(), groups.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.second.total() > b.second.total(); });
  fmt::print("\nWho asks for them (actors grouped by model, most activities first):\n");
  fmt::print("  {:<28} {:>7} {:>9} {:>9} {:>9}\n", "", "actors", "sleeps", "execs", "comms");
  for (const auto& [name, c] : sorted)
    fmt::print("  {:<28} {:>7} {:>9} {:>9} {:>9}\n", name, c.actors, c.sleeps, c.execs, c.comms);
}

nlohmann::json parse_child(const ChildRun& run, const char* what) {
  if (run.exit_status != 0) {
    fmt::print(stderr, "floor: the {} child failed (status {})\n", what, run.exit_status);
    std::exit(3);
  }
  return nlohmann::json::parse(run.output);
}

// Child 1: the scenario run once with the recorder attached; the trace comes back by pipe.
Trace record_trace(const dlsim::scenario::Scenario& scenario) {
  ChildRun traced = dlsim::bench::run_in_child([&](int fd) {
    dlsim::bench::TraceRecorder recorder;
    auto result = dlsim::sim::run_scenario(scenario);
    Trace trace = recorder.take();
    add_pod_resources(trace, result.summary);
    dlsim::bench::write_trace(fd, trace);
  });
  if (traced.exit_status != 0) {
    fmt::print(stderr, "floor: the traced run failed (status {})\n", traced.exit_status);
    std::exit(3);
  }
  return dlsim::bench::read_trace(traced.output);
}

struct Timings {
  std::vector<double> wall_s, cpu_s;
  std::uint64_t steps = 0;
  void add(const nlohmann::json& child) {
    wall_s.push_back(child["wall_s"].get<double>());
    cpu_s.push_back(child["cpu_s"].get<double>());
    steps = child["steps"].get<std::uint64_t>();
  }
};

std::uint64_t print_counts(const Trace& trace) {
  const std::uint64_t execs = trace.count(OpKind::Exec);
  const std::uint64_t vm_execs = trace.exec_count_on_vms();
  const std::uint64_t sleeps = trace.count(OpKind::Sleep);
  const std::uint64_t comms = trace.count(OpKind::Comm);
  const std::uint64_t spawns = trace.count(OpKind::Spawn);
  const std::uint64_t total = execs + sleeps + comms + spawns;
  const auto vms =
      std::count_if(trace.hosts.begin(), trace.hosts.end(), [](const auto& h) { return h.is_vm; });
  fmt::print("\nSimGrid activities per run (counted from the trace):\n");
  fmt::print("  execs on pod VMs      {:>10}\n", vm_execs);
  fmt::print("  execs on other hosts  {:>10}   (the database host)\n", execs - vm_execs);
  fmt::print("  sleeps                {:>10}   (cycle sleeps, DB round trips, FTS setup)\n",
             sleeps);
  fmt::print("  comms                 {:>10}   (Comm::sendto between RSE hosts)\n", comms);
  fmt::print("  actors spawned        {:>10}   (by other actors during the run; {} at t = 0)\n",
             spawns, trace.actors.size() - spawns);
  fmt::print("  total                 {:>10}\n", total);
  fmt::print("  hosts / VMs / links   {} / {} / {}\n", trace.hosts.size() - vms, vms,
             trace.links.size());
  if (trace.unattributed > 0)
    fmt::print("  WARNING: {} activities could not be attributed to an actor\n",
               trace.unattributed);
  return total;
}

void print_timings(const Timings& dlsim, const Timings& raw, std::uint64_t activities) {
  using dlsim::bench::median;
  auto row = [&](const char* name, const Timings& t) {
    double cpu = median(t.cpu_s);
    fmt::print("  {:<20} {:>8.3f} {:>8.3f} {:>10} {:>12.0f} {:>10.0f}\n", name, median(t.wall_s),
               cpu, t.steps, 1e9 * cpu / static_cast<double>(activities),
               static_cast<double>(activities) / cpu);
  };
  fmt::print("\nMedian of {} alternating runs each (timed inside the child process):\n",
             dlsim.cpu_s.size());
  fmt::print("  {:<20} {:>8} {:>8} {:>10} {:>12} {:>10}\n", "", "wall s", "cpu s", "steps",
             "ns/activity", "activity/s");
  row("dlsim run_scenario", dlsim);
  row("raw SimGrid replay", raw);
  const double ratio = median(dlsim.cpu_s) / median(raw.cpu_s);
  fmt::print("\nfloor ratio (dlsim / raw SimGrid, CPU time): {:.2f}x   target: within 3x -> {}\n",
             ratio, ratio <= 3.0 ? "met" : "NOT met");
  fmt::print(
      "  (wall-time ratio {:.2f}x; steps: distinct simulated dates, equal when the replay "
      "retraces dlsim's timeline)\n",
      median(dlsim.wall_s) / median(raw.wall_s));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = dlsim::bench::parse_args(
      argc, argv, "bench/floor: dlsim's cost per engine activity against raw SimGrid", false);
  const dlsim::scenario::Scenario scenario =
      dlsim::scenario::load_scenario(args.scenario, args.sets).scenario;
  const double horizon_s = scenario.duration_s;

  fmt::print("floor: {} — recording what dlsim asks of SimGrid...\n", args.scenario);
  const Trace trace = record_trace(scenario);
  Timings dlsim, raw;
  for (int i = 0; i < args.repeat; ++i) {
    dlsim.add(parse_child(timed_child([&] { dlsim::sim::run_scenario(scenario); }), "dlsim"));
    raw.add(parse_child(timed_child([&] { dlsim::bench::replay(trace, horizon_s); }), "raw"));
  }
  const std::uint64_t activities = print_counts(trace);
  print_groups(trace);
  print_timings(dlsim, raw, activities);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "floor: {}\n", e.what());
  return 2;
}
