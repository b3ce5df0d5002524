// bench/fdr: what `dlsim run scenarios/fdr.yaml` costs, against docs/design.md §7's targets (the
// 24 h FDR in under 5 s wall and 512 MiB on one core). Runs the dlsim binary `--repeat` times
// in its own process each and prints the median (and the best) of:
//   - process wall time and CPU time (user + system), from fork to exit, output included;
//   - peak resident memory of the process (wait4's rusage, as `/usr/bin/time -v`);
//   - simulated seconds per wall second and engine activities per second, both over run.json's
//     `wall_clock.wall_s` (the simulation alone: loading and writing excluded).
//
// Usage: fdr [SCENARIO] [--set key=value]... [--repeat N] [--dlsim PATH]
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bench/args.hpp"
#include "bench/dlsim_run.hpp"

namespace {
using dlsim::bench::median;
using dlsim::bench::minimum;

constexpr double kTargetWallS = 5.0;                     // docs/design.md §7
constexpr double kTargetRssBytes = 512.0 * 1024 * 1024;  // docs/design.md §7

const char* verdict(bool met) {
  return met ? "met" : "NOT met";
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = dlsim::bench::parse_args(
      argc, argv,
      "bench/fdr: wall time, CPU time and peak RSS of `dlsim run` against the targets "
      "of docs/design.md, \"Performance rules\"",
      true);
  fmt::print("fdr: {} run {} ({} runs)\n", args.dlsim, args.scenario, args.repeat);
  std::vector<double> wall, cpu, rss, sim_wall;
  dlsim::bench::DlsimRun last;
  for (int i = 0; i < args.repeat; ++i) {
    last = dlsim::bench::run_dlsim(args.dlsim, args.scenario, args.sets);
    if (!last.ok()) return 3;  // a benchmark of a failing run means nothing
    wall.push_back(last.process.wall_s);
    cpu.push_back(last.process.cpu_s());
    rss.push_back(static_cast<double>(last.process.peak_rss_bytes));
    sim_wall.push_back(last.simulation_wall_s());
    fmt::print("  run {}: {:.2f} s wall, {:.2f} s CPU, {:.0f} MiB peak RSS\n", i + 1, wall.back(),
               cpu.back(), rss.back() / (1 << 20));
  }
  const double simulated_s = last.run["simulated_s"].get<double>();
  const double activities = static_cast<double>(last.engine_activities());
  const double sim_wall_med = median(sim_wall);

  fmt::print("\n{:<44} {:>12} {:>12}\n", "", "median", "best");
  fmt::print("{:<44} {:>12.2f} {:>12.2f}\n", "process wall time, s", median(wall), minimum(wall));
  fmt::print("{:<44} {:>12.2f} {:>12.2f}\n", "process CPU time (user+sys), s", median(cpu),
             minimum(cpu));
  fmt::print("{:<44} {:>12.0f} {:>12.0f}\n", "peak RSS, MiB", median(rss) / (1 << 20),
             minimum(rss) / (1 << 20));
  fmt::print("{:<44} {:>12.2f} {:>12.2f}\n", "simulation wall (run.json wall_s), s", sim_wall_med,
             minimum(sim_wall));
  fmt::print("{:<44} {:>12.0f} {:>12.0f}\n", "simulated s per wall s", simulated_s / sim_wall_med,
             simulated_s / minimum(sim_wall));
  fmt::print("{:<44} {:>12.0f} {:>12.0f}\n", "engine activities per wall s (run.json)",
             activities / sim_wall_med, activities / minimum(sim_wall));
  for (const auto& [kind, n] : last.run["engine_activities"].items())
    fmt::print("  {:<42} {:>12} {:>12.0f}/s\n", kind, n.get<std::uint64_t>(),
               n.get<double>() / sim_wall_med);
  fmt::print(
      "  (what run.json counts is defined in docs/outputs.md; bench/floor counts the SimGrid\n"
      "   calls themselves, by kind and by model)\n");

  fmt::print("\ndocs/design.md §7 targets for the FDR (median run):\n");
  fmt::print("  wall < {:.0f} s:      {:.2f} s  -> {}\n", kTargetWallS, median(wall),
             verdict(median(wall) < kTargetWallS));
  fmt::print("  RSS  < {:.0f} MiB:  {:.0f} MiB  -> {}\n", kTargetRssBytes / (1 << 20),
             median(rss) / (1 << 20), verdict(median(rss) < kTargetRssBytes));
  fmt::print("  (one core: dlsim is single-threaded; on a busy machine wall exceeds CPU time)\n");
  return 0;
}
