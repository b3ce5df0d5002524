// The metric families of `dlsim export-metrics`, by the run directory file they come from
// (analysis/openmetrics.hpp; docs/outputs.md#metricsom lists them).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/openmetrics_writer.hpp"

namespace dlsim::analysis::openmetrics {

// What every section needs from the run directory and the options.
struct RunContext {
  std::filesystem::path dir;
  Labels namespace_label;  // {namespace="…"}: first on every series
  Labels extra_labels;     // --label pairs: last on every series
  double sample_interval_s = 15;
  double cfs_period_s = 0.1;
  nlohmann::json summary;

  // namespace, then `own`, then the extra labels, as text.
  std::string labels(const Labels& own) const;
};

// Per pod (pods.csv, events.csv, timeseries/pods.csv): the cAdvisor and kube-state-metrics
// container families.
void write_pod_families(Writer& w, const RunContext& run);

// Per node (timeseries/nodes.csv, summary.json) and node pool (timeseries/cluster.csv).
void write_node_families(Writer& w, const RunContext& run);

// dlsim's own: queue tables, RSEs and FTS links (timeseries/{tables,rses,links}.csv).
void write_dlsim_families(Writer& w, const RunContext& run);

}  // namespace dlsim::analysis::openmetrics
