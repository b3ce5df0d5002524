#include "app/cli.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>

#include "analysis/invariants.hpp"
#include "analysis/report.hpp"
#include "app/cli_calibrate.hpp"
#include "app/cli_export_metrics.hpp"
#include "app/cli_import_helm.hpp"
#include "app/cli_size.hpp"
#include "app/cli_sweep.hpp"
#include "app/output.hpp"
#include "app/progress.hpp"
#include "app/run_wiring.hpp"
#include "app/terminal_summary.hpp"
#include "scenario/loader.hpp"
#include "scenario/units.hpp"
#include "scenario/writer.hpp"

namespace dlsim::sim {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInput = 2;
constexpr int kExitInternal = 3;

// Blocks SIGINT and SIGTERM for its lifetime; a signal that arrived meanwhile is delivered
// (with its default action) when it ends.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigemptyset(&held_);
    sigaddset(&held_, SIGINT);
    sigaddset(&held_, SIGTERM);
    sigprocmask(SIG_BLOCK, &held_, &before_);
  }
  ~SignalsHeld() { sigprocmask(SIG_SETMASK, &before_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t held_{};
  sigset_t before_{};
};

struct RunArgs {
  std::string scenario;
  std::string output;
  std::vector<std::string> sets;
  std::optional<std::int64_t> seed;
  std::string sizing_method;
  std::vector<std::string> log;  // SimGrid --log switches, as given (sim/engine_options.hpp)
  std::vector<std::string> cfg;  // SimGrid --cfg switches, as given
  bool quiet = false;
};

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

void print_summary(const scenario::Scenario& scenario, const Summary& s, const std::string& dir,
                   double wall_s) {
  fmt::print("dlsim: {} simulated {} in {:.2f} s wall → {}\n", s.scenario,
             scenario::units::format_duration(s.simulated_s), wall_s, dir);
  fmt::print("{}", terminal_summary(scenario, s));
}

int command_run(const RunArgs& args) {
  auto sets = args.sets;
  if (args.seed) {
    if (*args.seed < 0) throw scenario::InputError({"--seed", 1, 1}, "seed", "must be 0 or more");
    sets.push_back(fmt::format("seed={}", *args.seed));
  }
  if (!args.sizing_method.empty()) sets.push_back("sizing.method=" + args.sizing_method);
  scenario::LoadedScenario loaded = scenario::load_scenario(args.scenario, sets);
  const scenario::Scenario& s = loaded.scenario;
  const std::string dir = args.output.empty()
                              ? fmt::format("runs/{}-{}", s.name, utc_stamp("%Y%m%dT%H%M%SZ"))
                              : args.output;
  RunInfo info;
  info.scenario_name = s.name;
  info.scenario_file = args.scenario;
  info.scenario_sha256 = sha256_hex(loaded.source_text);
  info.seed = s.seed;
  info.simulated_s = s.duration_s;
  info.started_at_utc = utc_stamp("%Y-%m-%dT%H:%M:%SZ");
  RunOptions options;
  for (const auto& l : args.log) options.engine_options.push_back("--log=" + l);
  for (const auto& c : args.cfg) options.engine_options.push_back("--cfg=" + c);
  auto wall_start = std::chrono::steady_clock::now();
  ProgressLine progress(stderr, s.duration_s,
                        progress_wanted(STDERR_FILENO, args.quiet, std::getenv("CI")));
  if (progress.enabled()) options.progress = [&](double t, std::uint64_t) { progress.update(t); };
  RunResult result = run_scenario(s, options);
  progress.finish();
  info.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  info.peak_rss_bytes = peak_rss_bytes();
  if (auto broken = analysis::check_invariants(result.summary, *result.recorder); !broken.empty()) {
    fmt::print(stderr, "dlsim: internal error: {} invariant(s) broken, no run directory written:\n",
               broken.size());
    for (const auto& b : broken) fmt::print(stderr, "  {}\n", b);
    return kExitInternal;
  }
  try {
    // SIGINT/SIGTERM wait until the directory is complete (renamed into place) or removed:
    // a run stopped earlier has written nothing, one stopped now leaves no half directory.
    const SignalsHeld held;
    write_run_directory(dir, info, scenario::resolved_scenario_yaml(s), result.summary,
                        *result.recorder, sizing_files(s, result));
  } catch (const std::filesystem::filesystem_error& e) {
    throw scenario::InputError(
        {"-o", 1, 1}, "",
        fmt::format("cannot write the run directory '{}': {}", dir, e.code().message()));
  } catch (const std::runtime_error& e) {  // a file that could not be written whole
    throw scenario::InputError(
        {"-o", 1, 1}, "", fmt::format("cannot write the run directory '{}': {}", dir, e.what()));
  }
  if (!args.quiet) print_summary(s, result.summary, dir, info.wall_s);
  return kExitOk;
}

// Writes the HTML report of a run directory (RUN_DIR/report.html unless -o).
int command_report(const std::string& run_dir, const std::string& output) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(run_dir))
    throw scenario::InputError({run_dir, 1, 1}, "",
                               "not a directory (expected a dlsim run directory)");
  const fs::path out = output.empty() ? fs::path(run_dir) / "report.html" : fs::path(output);
  analysis::write_report(run_dir, out);
  fmt::print("dlsim: report → {}\n", out.string());
  return kExitOk;
}

int command_validate(const std::string& file, const std::vector<std::string>& sets) {
  scenario::LoadedScenario loaded = scenario::load_scenario(file, sets);
  fmt::print(
      "{}: ok ({} node(s), {} service(s), {} RSE(s))\n", file,
      [&] {
        int n = 0;
        for (const auto& [_, p] : loaded.scenario.cluster.node_pools) n += p.count;
        return n;
      }(),
      loaded.scenario.rucio.servers.size() + loaded.scenario.rucio.daemons.size(),
      loaded.scenario.rses.size());
  return kExitOk;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // A file size limit (ulimit -f) must fail the write with an error, not kill the process.
  signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"dlsim: a discrete-event simulator of Rucio DataLake deployments on Kubernetes"};
  app.set_version_flag("--version", DLSIM_VERSION);
  app.require_subcommand(1);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "Simulate a scenario and write its run directory");
  run->add_option("SCENARIO", run_args.scenario, "Scenario file (YAML)")->required();
  run->add_option("-o,--output", run_args.output,
                  "Run directory to write (default: runs/<scenario>-<UTC time>/)");
  run->add_option("--set", run_args.sets, "Override a value: key.path=value (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--seed", run_args.seed, "Seed of the random streams (overrides the scenario's)");
  run->add_flag("-q,--quiet", run_args.quiet, "No progress line and no summary on stdout");
  run->add_option("--sizing-method", run_args.sizing_method, "Sizing rules: vpa (default) or krr")
      ->check(CLI::IsMember({"vpa", "krr"}));
  run->add_option("--log", run_args.log,
                  "SimGrid log setting, e.g. dlsim.thres:info (repeatable; default: none shown)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--cfg", run_args.cfg,
                  "SimGrid configuration item, e.g. network/model:CM02 (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  std::string validate_file;
  std::vector<std::string> validate_sets;
  auto* validate = app.add_subcommand("validate", "Check a scenario without running it");
  validate->add_option("SCENARIO", validate_file, "Scenario file (YAML)")->required();
  validate->add_option("--set", validate_sets, "Override a value: key.path=value (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  CalibrateArgs calibrate_args;
  auto* calibrate = add_calibrate_command(app, calibrate_args);

  std::string report_dir, report_output;
  auto* report = app.add_subcommand(
      "report", "Write a self-contained HTML report (charts, tables) of a run directory");
  report->add_option("RUN_DIR", report_dir, "Run directory written by dlsim run")->required();
  report->add_option("-o,--output", report_output,
                     "HTML file to write (default: RUN_DIR/report.html)");
  SizeArgs size_args;
  auto* size = add_size_command(app, size_args);
  CheckArgs check_args;
  auto* check = add_check_command(app, check_args);
  ImportHelmArgs import_helm_args;
  auto* import_helm = add_import_helm_command(app, import_helm_args);
  ExportMetricsArgs export_metrics_args;
  auto* export_metrics = add_export_metrics_command(app, export_metrics_args);
  SweepArgs sweep_args;
  const SweepCommands sweep = add_sweep_command(app, sweep_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInput;
  }
  try {
    if (*run) return command_run(run_args);
    if (*calibrate) return command_calibrate(calibrate_args);
    if (*report) return command_report(report_dir, report_output);
    if (*size) return command_size(size_args);
    if (*check) return command_check(check_args);
    if (*import_helm) return command_import_helm(import_helm_args);
    if (*export_metrics) return command_export_metrics(export_metrics_args);
    if (*sweep.merge) return command_sweep_merge(sweep_args);
    if (*sweep.sweep) return command_sweep(sweep_args);
    return command_validate(validate_file, validate_sets);
  } catch (const scenario::InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dlsim: internal error: {}\n", e.what());
    return kExitInternal;
  }
}

}  // namespace dlsim::sim
