// `dlsim export-metrics RUN_DIR -o FILE`: a run directory's time series as OpenMetrics text,
// under the metric names a Kubernetes cluster's Prometheus scrapes (cAdvisor through the
// kubelet, kube-state-metrics) and dlsim's own `dlsim_` series, so that `promtool tsdb
// create-blocks-from openmetrics` can backfill a simulated day beside a real one
// (docs/grafana.md; every family and how it is computed: docs/outputs.md#metricsom).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dlsim::analysis {

struct OpenMetricsOptions {
  // Wall-clock time of simulated t = 0, ms since the epoch. Default: 2020-11-17T00:00:00Z,
  // the FDR's likely day (/work/shared/fdr/README.md: the pulsar-search container is named
  // for 17 Nov 2020).
  std::int64_t start_unix_ms = 1605571200000;
  // The `namespace` label of every series. Default "rucio" (the Rucio Helm charts' usual
  // release namespace; an option because every deployment names its own).
  std::string namespace_name = "rucio";
  // Labels added to every series, e.g. source="dlsim", in this order after dlsim's own.
  std::vector<std::pair<std::string, std::string>> extra_labels;
  // CFS enforcement period, s. Default 0.1 s: the kernel's default cpu.cfs_period_us of
  // 100000 (Documentation/scheduler/sched-bwc.rst), which the kubelet keeps unless its
  // cpuCFSQuotaPeriod is changed (kubelet config, default 100ms).
  double cfs_period_s = 0.1;
};

// What was written.
struct OpenMetricsCounts {
  std::size_t families = 0;
  std::size_t series = 0;
  std::size_t samples = 0;
};

// "2020-11-17T00:00:00Z" (RFC 3339, UTC, whole seconds) → ms since the epoch; nullopt when the
// text is not of that form, names no real date, or is before 1970.
std::optional<std::int64_t> parse_utc_time_ms(std::string_view text);

// The label names dlsim writes itself (an extra label may not reuse one).
const std::vector<std::string>& openmetrics_label_names();

// Reads RUN_DIR (pods.csv, events.csv, summary.json, scenario.resolved.yaml, timeseries/*.csv)
// and writes `out` whole through a temporary sibling renamed into place. Bad input throws
// scenario::InputError at FILE:LINE:COL and leaves `out` untouched.
OpenMetricsCounts export_openmetrics(const std::filesystem::path& run_dir,
                                     const std::filesystem::path& out,
                                     const OpenMetricsOptions& options);

}  // namespace dlsim::analysis
