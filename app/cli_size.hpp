// The capacity-planning subcommands (docs/design.md §6): `dlsim size` (the verified loop) and
// `dlsim check` (a run against a baseline sizing.csv), and the sizing files `dlsim run`
// writes into its run directory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/run_wiring.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::sim {

// sizing.csv, sizing.json and sizing.md of a finished run, by file name.
std::map<std::string, std::string> sizing_files(const scenario::Scenario& s,
                                                const RunResult& result);

struct SizeArgs {
  std::string scenario;
  std::string output;
  std::vector<std::string> sets;
  std::string method;
  int rounds = 5;
};

struct CheckArgs {
  std::string baseline;
  std::string run_dir;
  std::vector<std::string> rel_tol;
  std::vector<std::string> abs_tol;
};

CLI::App* add_size_command(CLI::App& app, SizeArgs& args);
CLI::App* add_check_command(CLI::App& app, CheckArgs& args);

// Exit status: 0 converged / check passed, 1 not converged / check failed; InputError for
// bad input (the caller prints it and exits 2).
int command_size(const SizeArgs& args);
int command_check(const CheckArgs& args);

}  // namespace dlsim::sim
