// `dlsim export-metrics RUN_DIR [-o FILE]`: a run directory's time series as OpenMetrics text
// for Prometheus' backfill (analysis/openmetrics.hpp, docs/grafana.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace dlsim::sim {

struct ExportMetricsArgs {
  std::string run_dir;
  std::string output;  // default RUN_DIR/metrics.om
  std::string start = "2020-11-17T00:00:00Z";
  std::string namespace_name = "rucio";
  std::vector<std::string> labels;  // KEY=VALUE
  std::string cfs_period = "100ms";
};

CLI::App* add_export_metrics_command(CLI::App& app, ExportMetricsArgs& args);

// Exit status 0; InputError for bad input (the caller prints it and exits 2).
int command_export_metrics(const ExportMetricsArgs& args);

}  // namespace dlsim::sim
