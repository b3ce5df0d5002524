// Per-pod families, named and labelled as a cluster's Prometheus has them:
// - cAdvisor through the kubelet (google/cadvisor metrics/prometheus.go):
//   container_cpu_usage_seconds_total, container_memory_working_set_bytes,
//   container_memory_rss, container_cpu_cfs_periods_total,
//   container_cpu_cfs_throttled_periods_total;
// - kube-state-metrics (kubernetes/kube-state-metrics docs/pod-metrics.md):
//   kube_pod_container_status_restarts_total, kube_pod_container_resource_requests and
//   kube_pod_container_resource_limits with their `resource` and `unit` labels.
// Labels namespace, pod, container (the dlsim service: one container per pod) and node (the
// node of the pod's last `Scheduled` event at or before the sample).
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/core.h>

#include "analysis/openmetrics_sections.hpp"
#include "analysis/report_data.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis::openmetrics {
namespace fs = std::filesystem;

namespace {

struct PodInfo {
  std::string pod, service, node;  // node: pods.csv's, the last one
  std::optional<double> cpu_request, cpu_limit, mem_request, mem_limit;
};

// One row of timeseries/pods.csv with the cumulative figures up to it.
struct PodSample {
  double t_s = 0;
  std::string node;
  double cpu_s = 0;              // Σ cpu_cores × window: CPU seconds since the start
  double periods = 0;            // Σ window / CFS period
  double throttled_periods = 0;  // Σ throttled_fraction × window / CFS period
  double ws_bytes = 0, rss_bytes = 0, restarts = 0;
};

struct PodData {
  std::vector<PodInfo> pods;  // pods.csv order
  std::map<std::string, std::vector<PodSample>> samples;
};

std::vector<PodInfo> read_pods(const fs::path& dir) {
  CsvReader csv(dir / "pods.csv");
  const auto c_pod = csv.column("pod"), c_service = csv.column("service"),
             c_node = csv.column("node"), c_cpu_req = csv.column("cpu_request_cores"),
             c_cpu_lim = csv.column("cpu_limit_cores"), c_mem_req = csv.column("mem_request_bytes"),
             c_mem_lim = csv.column("mem_limit_bytes");
  std::vector<PodInfo> pods;
  while (csv.next())
    pods.push_back({csv.text(c_pod), csv.text(c_service), csv.text(c_node),
                    csv.optional_number(c_cpu_req), csv.optional_number(c_cpu_lim),
                    csv.optional_number(c_mem_req), csv.optional_number(c_mem_lim)});
  return pods;
}

// Per pod, its `Scheduled` events (time, node) in time order (events.csv is in time order).
std::map<std::string, std::vector<std::pair<double, std::string>>> read_bindings(
    const fs::path& dir) {
  CsvReader csv(dir / "events.csv");
  const auto c_t = csv.column("time_s"), c_kind = csv.column("kind"),
             c_object = csv.column("object"), c_node = csv.column("node");
  std::map<std::string, std::vector<std::pair<double, std::string>>> bindings;
  while (csv.next())
    if (csv.text(c_kind) == "Scheduled")
      bindings[csv.text(c_object)].emplace_back(csv.number(c_t), csv.text(c_node));
  return bindings;
}

// The binding in force at t: the last at or before t; nullopt when there is none.
const std::pair<double, std::string>* binding_at(
    const std::vector<std::pair<double, std::string>>* bindings, double t) {
  const std::pair<double, std::string>* found = nullptr;
  if (bindings)
    for (const auto& b : *bindings)
      if (b.first <= t) found = &b;
  return found;
}

PodData read_pod_data(const RunContext& run) {
  PodData data;
  data.pods = read_pods(run.dir);
  std::map<std::string, const PodInfo*> by_name;
  for (const auto& p : data.pods) by_name[p.pod] = &p;
  const auto bindings = read_bindings(run.dir);
  const fs::path path = run.dir / "timeseries" / "pods.csv";
  CsvReader csv(path);
  const auto c_t = csv.column("time_s"), c_object = csv.column("object"),
             c_cpu = csv.column("cpu_cores"), c_thr = csv.column("throttled_fraction"),
             c_ws = csv.column("mem_ws_bytes"), c_rss = csv.column("mem_rss_bytes"),
             c_restarts = csv.column("restarts");
  while (csv.next()) {
    const auto pod = by_name.find(csv.text(c_object));
    if (pod == by_name.end())
      throw scenario::InputError({path.string(), csv.line(), 1}, "",
                                 fmt::format("pod '{}' is not in pods.csv", csv.text(c_object)));
    const double t = csv.number(c_t);
    const auto b = bindings.find(pod->first);
    const auto* bound = binding_at(b == bindings.end() ? nullptr : &b->second, t);
    // models/k8s/cluster_monitor.cpp: cpu_cores is the CPU used since the previous sample,
    // or since the binding for a pod bound after it, divided by that window.
    const double window_s =
        t - std::max(t - run.sample_interval_s, bound ? bound->first : t - run.sample_interval_s);
    auto& series = data.samples[pod->first];
    PodSample s = series.empty() ? PodSample{} : series.back();
    s.t_s = t;
    s.node = bound ? bound->second : pod->second->node;
    s.cpu_s += csv.number(c_cpu) * window_s;
    s.periods += window_s / run.cfs_period_s;
    s.throttled_periods += csv.number(c_thr) * window_s / run.cfs_period_s;
    s.ws_bytes = csv.number(c_ws);
    s.rss_bytes = csv.number(c_rss);
    s.restarts = csv.number(c_restarts);
    series.push_back(std::move(s));
  }
  return data;
}

// The samples of every sampled pod, in pods.csv order; `value` returns nullopt for a pod the
// family skips (a resource not set, no CPU limit).
template <typename Value>
void pod_samples(Writer& w, const RunContext& run, const PodData& data, const Labels& own,
                 Value value) {
  for (const auto& pod : data.pods) {
    const auto it = data.samples.find(pod.pod);
    if (it == data.samples.end() || !value(pod, it->second.front())) continue;
    std::string node, labels;
    for (const auto& s : it->second) {
      if (labels.empty() || s.node != node) {
        node = s.node;
        Labels l = {{"pod", pod.pod}, {"container", pod.service}, {"node", node}};
        l.insert(l.end(), own.begin(), own.end());
        labels = run.labels(l);
      }
      w.sample(labels, s.t_s, *value(pod, s));
    }
  }
}

// kube-state-metrics' requests and limits: one family each, a series per resource.
void resource_families(Writer& w, const RunContext& run, const PodData& data) {
  using Field = std::optional<double> PodInfo::*;
  const std::tuple<const char*, Field, Field> kinds[] = {
      {"requests", &PodInfo::cpu_request, &PodInfo::mem_request},
      {"limits", &PodInfo::cpu_limit, &PodInfo::mem_limit}};
  for (const auto& [kind, cpu, mem] : kinds) {
    w.family({fmt::format("kube_pod_container_resource_{}", kind), Type::gauge, "",
              fmt::format("The container's {} after Kubernetes defaulting (pods.csv): "
                          "resource cpu in cores, memory in bytes; a resource not set has no "
                          "series.",
                          kind)});
    for (const auto& [resource, unit, field] :
         {std::tuple{"cpu", "core", cpu}, std::tuple{"memory", "byte", mem}}) {
      pod_samples(w, run, data, {{"resource", resource}, {"unit", unit}},
                  [f = field](const PodInfo& p, const PodSample&) { return p.*f; });
    }
  }
}

using Get = std::optional<double> (*)(const PodInfo&, const PodSample&);

}  // namespace

void write_pod_families(Writer& w, const RunContext& run) {
  const PodData data = read_pod_data(run);
  const std::pair<Family, Get> families[] = {
      {{"container_cpu_usage_seconds", Type::counter, "seconds",
        "Cumulative CPU time consumed, s: the sum of cpu_cores x the sample's window "
        "(timeseries/pods.csv)."},
       [](const PodInfo&, const PodSample& s) -> std::optional<double> { return s.cpu_s; }},
      {{"container_memory_working_set_bytes", Type::gauge, "bytes",
        "Working set, bytes (timeseries/pods.csv mem_ws_bytes)."},
       [](const PodInfo&, const PodSample& s) -> std::optional<double> { return s.ws_bytes; }},
      {{"container_memory_rss", Type::gauge, "",
        "Resident anonymous memory, bytes (timeseries/pods.csv mem_rss_bytes)."},
       [](const PodInfo&, const PodSample& s) -> std::optional<double> { return s.rss_bytes; }},
      {{"kube_pod_container_status_restarts", Type::counter, "",
        "Container restarts (timeseries/pods.csv restarts)."},
       [](const PodInfo&, const PodSample& s) -> std::optional<double> { return s.restarts; }},
      {{"container_cpu_cfs_periods", Type::counter, "",
        "CFS enforcement periods elapsed while the pod was bound (every period, busy or "
        "not); only containers with a CPU limit."},
       [](const PodInfo& p, const PodSample& s) -> std::optional<double> {
         if (!p.cpu_limit) return std::nullopt;
         return std::round(s.periods);
       }},
      {{"container_cpu_cfs_throttled_periods", Type::counter, "",
        "CFS periods throttled: the sum of throttled_fraction x window / period; only "
        "containers with a CPU limit."},
       [](const PodInfo& p, const PodSample& s) -> std::optional<double> {
         if (!p.cpu_limit) return std::nullopt;
         return std::round(s.throttled_periods);
       }},
  };
  for (const auto& [family, get] : families) {
    w.family(family);
    pod_samples(w, run, data, {}, get);
  }
  resource_families(w, run, data);
}

}  // namespace dlsim::analysis::openmetrics
