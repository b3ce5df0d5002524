// Reading Prometheus HTTP API range-query exports: the JSON body of
// GET /api/v1/query_range (Prometheus docs, "HTTP API", "Range queries" and "Range vectors":
// {"status":"success","data":{"resultType":"matrix","result":[{"metric":{labels},
// "values":[[<unix time>,"<value>"],...]}]}}), as `curl` or Grafana's "Inspect → Data"
// save it. Only the container metrics that calibration uses are accepted.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlsim::analysis {

// What a series measures. The series' `__name__` label says it when present; the result of a
// function such as rate() has none, so the command line says it (`KIND=FILE`).
enum class PromMetric {
  CpuRate,          // cpu_rate: rate(container_cpu_usage_seconds_total[…]), cores
  CpuSeconds,       // container_cpu_usage_seconds_total: counter, CPU seconds (cAdvisor)
  WorkingSetBytes,  // container_memory_working_set_bytes: gauge, bytes (cAdvisor)
  Restarts,         // kube_pod_container_status_restarts_total: counter (kube-state-metrics)
};
std::optional<PromMetric> parse_prom_metric(std::string_view name);
std::string prom_metric_name(PromMetric metric);
std::vector<std::string> prom_metric_names();

struct PromSample {
  double time_s = 0;  // Unix time
  double value = 0;
};

struct PromSeries {
  std::map<std::string, std::string> labels;  // every label but __name__
  PromMetric metric = PromMetric::CpuRate;
  std::vector<PromSample> samples;  // in time order; "NaN" samples are left out
};

// Parses one export. `file_metric` is the metric of series without a `__name__` label (from
// the command line; a `__name__` that disagrees with it is an error). Throws scenario::InputError
// `FILE:LINE:COL: error: …` on malformed JSON, a missing or mistyped field, an unknown
// metric, a value that is not a number, or times that do not increase.
std::vector<PromSeries> parse_query_range(const std::string& text, const std::string& file,
                                          std::optional<PromMetric> file_metric);
std::vector<PromSeries> read_query_range(const std::string& path,
                                         std::optional<PromMetric> file_metric);

// Per-sample rate of a counter series: (v_i − v_{i−1}) / (t_i − t_{i−1}) at t_i, a decrease
// being a counter reset after which the increase is v_i (Prometheus' rate() rule). The first
// sample has no rate.
std::vector<PromSample> counter_rate(const std::vector<PromSample>& counter);
// Total increase of a counter over its samples, resets handled as in counter_rate.
double counter_increase(const std::vector<PromSample>& counter);

}  // namespace dlsim::analysis
