// From Prometheus series to the per-service observations calibration fits (issue 11 item 3).
// Series are mapped to dlsim services by label rules; per service, per sample time, the pods'
// values are averaged (as a dashboard's "mean per pod" panel does), and the figures below are
// taken over time. Sources of the metrics: cAdvisor's container_cpu_usage_seconds_total and
// container_memory_working_set_bytes (kubelet /metrics/cadvisor), kube-state-metrics'
// kube_pod_container_status_restarts_total.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/prometheus_export.hpp"

namespace dlsim::analysis {

// `LABEL=REGEX`: a series is kept only if REGEX (ECMAScript) matches the whole value of its
// label LABEL (a missing label reads as ""). A rule with a capturing group names the service:
// the text of its first group. Without any capturing rule, the `container` label is the
// service name (the default: `container` equals the service).
struct LabelRule {
  std::string label;
  std::string pattern;
  std::regex regex;
  bool names_service = false;  // has a capturing group
};
// Parses `--label-rule` number `index` (1-based); errors are `--label-rule:INDEX:COL`.
LabelRule parse_label_rule(const std::string& text, int index);

class ServiceMapping {
 public:
  explicit ServiceMapping(std::vector<LabelRule> rules = {});
  // The service a series belongs to, or nothing if a rule rejects it.
  std::optional<std::string> service_of(const std::map<std::string, std::string>& labels) const;

 private:
  std::vector<LabelRule> rules_;
};

// What the series say about one service.
struct ServiceSeriesStats {
  std::string service;
  int pods = 0;                             // distinct namespace/pod label pairs, over all metrics
  std::optional<double> cpu_mean_cores;     // mean over time of the mean over pods
  std::optional<double> cpu_peak_cores;     // largest value of a pod
  std::optional<double> mem_typical_bytes;  // median over time of the mean over pods
  std::optional<double> mem_peak_bytes;     // largest value of a pod
  std::optional<double> restarts;           // increase of the counter, summed over pods
};

struct PrometheusObservations {
  std::vector<Observation> observations;  // what calibrate() fits (services in given order)
  std::vector<ServiceSeriesStats> stats;  // the same services, every figure
  std::vector<std::string> unknown;       // services the rules named that are not given
  std::size_t series_used = 0;
  std::size_t series_rejected = 0;  // by a label rule
};

// Aggregates `series` per service. `services` are the scenario's service names, in the order
// the observations come out. The fit's CPU is the typical CPU (low = high); its memory is the
// peak working set, because the run's side of the memory fit is the peak (mem_ws_max_bytes).
PrometheusObservations observe_services(const std::vector<PromSeries>& series,
                                        const ServiceMapping& mapping,
                                        const std::vector<std::string>& services);

}  // namespace dlsim::analysis
