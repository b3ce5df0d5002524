#include "app/cli_calibrate.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/core.h>
#include <fmt/format.h>

#include "analysis/calibration.hpp"
#include "analysis/calibration_report.hpp"
#include "analysis/prometheus_observations.hpp"
#include "app/run_wiring.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace dlsim::sim {
namespace {

std::vector<analysis::CpuConstant> fit_constants(const std::vector<std::string>& names) {
  const std::vector<std::string> known = {"statement", "row",  "message",    "request",
                                          "fts_call",  "idle", "idle_server"};
  std::vector<analysis::CpuConstant> out;
  for (const auto& name : names) {
    auto c = analysis::parse_cpu_constant(name);
    if (!c)
      throw scenario::InputError(
          {"--fit", 1, 1}, "",
          fmt::format("unknown constant '{}' (expected {}){}", name, scenario::quoted_list(known),
                      scenario::did_you_mean(name, known)));
    out.push_back(*c);
  }
  return out;
}

// `--prometheus [KIND=]FILE` number `index`: the file's series, KIND naming the metric of
// those without __name__.
std::vector<analysis::PromSeries> read_prometheus_arg(const std::string& arg, int index) {
  std::optional<analysis::PromMetric> kind;
  std::string file = arg;
  if (auto eq = arg.find('='); eq != std::string::npos && arg.find('/') > eq) {
    const std::string name = arg.substr(0, eq);
    kind = analysis::parse_prom_metric(name);
    if (!kind)
      throw scenario::InputError(
          {"--prometheus", index, 1}, "",
          fmt::format("unknown metric '{}' in KIND=FILE (expected {}){}", name,
                      scenario::quoted_list(analysis::prom_metric_names()),
                      scenario::did_you_mean(name, analysis::prom_metric_names())));
    file = arg.substr(eq + 1);
  }
  return analysis::read_query_range(file, kind);
}

std::vector<std::string> service_names(const scenario::Scenario& s) {
  std::vector<std::string> out;
  for (const auto& [name, _] : s.rucio.servers) out.push_back(name);
  for (const auto& [name, _] : s.rucio.daemons) out.push_back(name);
  return out;
}

// Reads the exports, prints what they say per service, and returns the observations.
std::vector<analysis::Observation> prometheus_observations(const CalibrateArgs& args,
                                                           const scenario::Scenario& s) {
  std::vector<analysis::PromSeries> series;
  for (std::size_t i = 0; i < args.prometheus.size(); ++i) {
    auto more = read_prometheus_arg(args.prometheus[i], static_cast<int>(i) + 1);
    series.insert(series.end(), more.begin(), more.end());
  }
  std::vector<analysis::LabelRule> rules;
  for (std::size_t i = 0; i < args.label_rules.size(); ++i)
    rules.push_back(analysis::parse_label_rule(args.label_rules[i], static_cast<int>(i) + 1));
  const auto names = service_names(s);
  auto observed = analysis::observe_services(series, analysis::ServiceMapping(rules), names);
  if (!observed.unknown.empty())
    fmt::print(stderr, "dlsim: calibrate: series of services not in the scenario ignored: {}\n",
               fmt::join(observed.unknown, ", "));
  if (observed.observations.empty())
    throw scenario::InputError(
        {"--prometheus", 1, 1}, "",
        fmt::format("no CPU or memory series maps to a service of the scenario "
                    "({} series, {} rejected by the label rules; services: {})",
                    series.size(), observed.series_rejected, scenario::quoted_list(names)));
  fmt::print("observed (Prometheus, {} series):\n{}\n", observed.series_used,
             analysis::observations_table(observed));
  return observed.observations;
}

std::string command_line(const CalibrateArgs& args) {
  std::string out = "dlsim calibrate " + args.scenario;
  if (!args.observed.empty()) out += " --observed " + args.observed;
  for (const auto& p : args.prometheus) out += " --prometheus " + p;
  for (const auto& r : args.label_rules) out += " --label-rule '" + r + "'";
  for (const auto& s : args.sets) out += " --set " + s;
  return out;
}

// Written whole to a temporary file and renamed, so a reader never sees half of it.
void write_whole(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  bool ok = false;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ok = static_cast<bool>(out << text) && static_cast<bool>(out.flush());
  }
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    throw scenario::InputError({"-o", 1, 1}, "", fmt::format("cannot write '{}'", path));
  }
}

}  // namespace

CLI::App* add_calibrate_command(CLI::App& app, CalibrateArgs& args) {
  auto* cmd = app.add_subcommand(
      "calibrate", "Fit the rucio.model cost constants of a scenario to observed CPU and memory");
  cmd->add_option("SCENARIO", args.scenario, "Scenario file (YAML)")->required();
  auto* observed =
      cmd->add_option("--observed", args.observed,
                      "Observed usage per service (CSV as scenarios/fdr/observed.csv)");
  auto* prometheus =
      cmd->add_option("--prometheus", args.prometheus,
                      "Prometheus query_range export (JSON), [KIND=]FILE; KIND names the metric "
                      "when the series have no __name__: cpu_rate, "
                      "container_cpu_usage_seconds_total, container_memory_working_set_bytes, "
                      "kube_pod_container_status_restarts_total (repeatable)")
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  observed->excludes(prometheus);
  prometheus->excludes(observed);
  cmd->add_option("--label-rule", args.label_rules,
                  "LABEL=REGEX: keep series whose LABEL matches REGEX whole; its first group "
                  "names the service (default: the container label) (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-o,--output", args.output,
                  "Write the overlay (rucio.model and base memories, YAML) to this file");
  cmd->add_option("--fit", args.fit,
                  "CPU constants to fit: statement, row, message, request, fts_call, idle, "
                  "idle_server (default: message)")
      ->delimiter(',');
  cmd->add_option("--set", args.sets, "Override a value: key.path=value")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return cmd;
}

// Runs the scenario, fits the rucio.model constants to the observations and prints the fit;
// with -o, writes the overlay.
int command_calibrate(const CalibrateArgs& args) {
  if (args.observed.empty() && args.prometheus.empty())
    throw scenario::InputError({"calibrate", 1, 1}, "",
                               "no observations (give --observed or --prometheus)");
  if (!args.label_rules.empty() && args.prometheus.empty())
    throw scenario::InputError({"--label-rule", 1, 1}, "", "only applies to --prometheus series");
  scenario::LoadedScenario loaded = scenario::load_scenario(args.scenario, args.sets);
  const auto constants = fit_constants(args.fit);
  const auto observed = args.observed.empty() ? prometheus_observations(args, loaded.scenario)
                                              : analysis::read_observations(args.observed);
  RunResult result = run_scenario(loaded.scenario);
  const auto fit = analysis::calibrate(loaded.scenario, result.summary, observed, constants);
  fmt::print("{}\n{}", analysis::fit_table(fit),
             analysis::overlay_yaml(fit, command_line(args), false));
  if (!args.output.empty())
    write_whole(args.output, analysis::overlay_yaml(fit, command_line(args)));
  return 0;
}

}  // namespace dlsim::sim
