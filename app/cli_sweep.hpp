// `dlsim sweep PLAN` and `dlsim sweep merge DIR…` (docs/sweep.md): run a plan's points as
// parallel child processes (one SimGrid engine each), a deterministic shard of them, or emit
// a Kubernetes Indexed Job that runs one shard per completion index; then join the results.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/sweep_plan.hpp"

namespace dlsim::sim {

struct SweepArgs {
  std::string plan;
  std::string output;
  int jobs = 0;  // 0 = the number of CPUs
  std::string shard;
  std::string emit;
  bool quiet = false;
  // merge
  std::vector<std::string> dirs;
  std::string merge_output;
  std::string threshold = "5%";
};

struct SweepCommands {
  CLI::App* sweep = nullptr;
  CLI::App* merge = nullptr;
};

SweepCommands add_sweep_command(CLI::App& app, SweepArgs& args);

// Exit status 0, 3 if a run failed; InputError for a bad plan (the caller prints it, exit 2).
int command_sweep(const SweepArgs& args);
int command_sweep_merge(const SweepArgs& args);

// The Indexed Job manifest of `--emit k8s-job` (YAML text); `plan_arg` is the plan path the
// container is given unless the plan names kubernetes.plan_path.
std::string k8s_job_manifest(const SweepPlan& plan, const std::string& plan_arg);

// "[dlsim sweep] 12/40 runs done, 2 running, about 1m20s left" (the terminal progress line).
std::string format_sweep_progress(std::size_t done, std::size_t total, std::size_t running,
                                  double wall_s);

}  // namespace dlsim::sim
