#include "app/cli_export_metrics.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/core.h>

#include "analysis/openmetrics.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/units.hpp"

namespace dlsim::sim {
namespace {

// A Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, "__" prefix reserved): the data model of
// prometheus.io/docs/concepts/data_model/.
bool valid_label_name(const std::string& name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> parse_labels(
    const std::vector<std::string>& specs) {
  std::vector<std::pair<std::string, std::string>> labels;
  const auto& own = analysis::openmetrics_label_names();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const scenario::SourceLocation where{"--label", static_cast<int>(i) + 1, 1};
    const auto eq = specs[i].find('=');
    if (eq == std::string::npos)
      throw scenario::InputError(where, "",
                                 fmt::format("'{}' is not of the form name=value", specs[i]));
    std::string name = specs[i].substr(0, eq);
    if (!valid_label_name(name))
      throw scenario::InputError(
          where, "",
          fmt::format("'{}' is not a label name (expected [a-zA-Z_][a-zA-Z0-9_]*, "
                      "not starting with __)",
                      name));
    const bool taken =
        std::any_of(labels.begin(), labels.end(), [&](const auto& l) { return l.first == name; });
    if (taken || std::find(own.begin(), own.end(), name) != own.end())
      throw scenario::InputError(
          where, "",
          fmt::format("label '{}' is {} (dlsim writes {})", name,
                      taken ? "given twice" : "one of dlsim's own", scenario::quoted_list(own)));
    labels.emplace_back(std::move(name), specs[i].substr(eq + 1));
  }
  return labels;
}

}  // namespace

int command_export_metrics(const ExportMetricsArgs& args) {
  analysis::OpenMetricsOptions options;
  const auto start = analysis::parse_utc_time_ms(args.start);
  if (!start)
    throw scenario::InputError(
        {"--start", 1, 1}, "",
        fmt::format("'{}' is not a UTC time of the form 2020-11-17T00:00:00Z "
                    "(1970 or later)",
                    args.start));
  options.start_unix_ms = *start;
  if (args.namespace_name.empty())
    throw scenario::InputError({"--namespace", 1, 1}, "", "the namespace must not be empty");
  options.namespace_name = args.namespace_name;
  options.extra_labels = parse_labels(args.labels);
  const auto period = scenario::units::parse_duration_s(args.cfs_period);
  if (!period.ok() || period.value() <= 0)
    throw scenario::InputError({"--cfs-period", 1, 1}, "",
                               period.ok() ? std::string("must be more than 0") : period.error());
  options.cfs_period_s = period.value();
  const std::filesystem::path out = args.output.empty()
                                        ? std::filesystem::path(args.run_dir) / "metrics.om"
                                        : std::filesystem::path(args.output);
  const auto counts = analysis::export_openmetrics(args.run_dir, out, options);
  fmt::print("dlsim: {} families, {} series, {} samples → {}\n", counts.families, counts.series,
             counts.samples, out.string());
  return 0;
}

CLI::App* add_export_metrics_command(CLI::App& app, ExportMetricsArgs& args) {
  auto* cmd = app.add_subcommand(
      "export-metrics",
      "Write a run directory's time series as OpenMetrics text (Prometheus backfill)");
  cmd->add_option("RUN_DIR", args.run_dir, "Run directory written by dlsim run")->required();
  cmd->add_option("-o,--output", args.output, "File to write (default: RUN_DIR/metrics.om)");
  cmd->add_option("--start", args.start,
                  "UTC time of simulated t = 0 (default: 2020-11-17T00:00:00Z, the FDR's day)");
  cmd->add_option("--namespace", args.namespace_name,
                  "The namespace label of every series (default: rucio)");
  cmd->add_option("--label", args.labels,
                  "A label added to every series, name=value (repeatable), e.g. source=dlsim")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--cfs-period", args.cfs_period,
                  "CFS enforcement period for the cfs_periods counters (default: 100ms, the "
                  "kernel's and kubelet's default)");
  return cmd;
}

}  // namespace dlsim::sim
