// `dlsim check --baseline BASELINE.csv RUN_DIR`: the CI gate of docs/ci.md.
#include <fmt/core.h>

#include "analysis/check.hpp"
#include "app/cli_size.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::sim {
namespace {

// "column=x" of --rel-tol / --abs-tol into the tolerance table.
void apply_tolerances(const std::vector<std::string>& specs, bool relative, int option_index,
                      std::map<std::string, analysis::Tolerance>& out) {
  const std::string flag = relative ? "--rel-tol" : "--abs-tol";
  const auto& columns = analysis::sizing_numeric_columns();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::string& spec = specs[i];
    const auto eq = spec.find('=');
    const std::string column = spec.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == spec.size())
      throw scenario::InputError({flag, static_cast<int>(i) + option_index, 1}, "",
                                 fmt::format("'{}' is not of the form column=value", spec));
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
      throw scenario::InputError(
          {flag, static_cast<int>(i) + option_index, 1}, "",
          fmt::format("unknown column '{}' (expected {}){}", column, scenario::quoted_list(columns),
                      scenario::did_you_mean(column, columns)));
    double value = 0;
    try {
      std::size_t used = 0;
      value = std::stod(spec.substr(eq + 1), &used);
      if (used != spec.size() - eq - 1 || value < 0) throw std::invalid_argument("x");
    } catch (const std::exception&) {
      throw scenario::InputError(
          {flag, static_cast<int>(i) + option_index, static_cast<int>(eq) + 2}, "",
          fmt::format("'{}' is not a number of 0 or more", spec.substr(eq + 1)));
    }
    (relative ? out[column].rel : out[column].abs) = value;
  }
}

}  // namespace

int command_check(const CheckArgs& args) {
  auto tolerances = analysis::default_tolerances();
  apply_tolerances(args.rel_tol, true, 1, tolerances);
  apply_tolerances(args.abs_tol, false, 1, tolerances);
  const auto baseline = analysis::read_sizing_csv(args.baseline);
  const auto now = analysis::read_sizing_csv(args.run_dir + "/sizing.csv");
  const auto outcomes = analysis::read_run_outcomes(args.run_dir);
  const auto result = analysis::compare_sizing(baseline, now, outcomes, tolerances);
  if (result.ok()) {
    fmt::print("dlsim check: {} matches {} ({} services within tolerance)\n", args.run_dir,
               args.baseline, now.size());
    return 0;
  }
  fmt::print("dlsim check: {} differs from {}\n{}", args.run_dir, args.baseline,
             analysis::format_check(result));
  return 1;
}

CLI::App* add_check_command(CLI::App& app, CheckArgs& args) {
  auto* cmd = app.add_subcommand(
      "check", "Compare a run's sizing and outcomes with a baseline sizing.csv (CI gate)");
  cmd->add_option("--baseline", args.baseline, "Baseline sizing.csv (committed)")->required();
  cmd->add_option("RUN_DIR", args.run_dir, "Run directory written by dlsim run")->required();
  cmd->add_option("--rel-tol", args.rel_tol,
                  "Relative tolerance of a column, column=fraction (repeatable; defaults: "
                  "replicas/threads 0, cpu and memory 0.10)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--abs-tol", args.abs_tol,
                  "Absolute tolerance of a column, column=value in its unit (repeatable; "
                  "defaults: cpu 0.005 cores, memory 16777216 bytes)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return cmd;
}

}  // namespace dlsim::sim
