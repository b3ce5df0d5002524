// HPA and KEDA controller loops; see hpa_actor.hpp.
#include "models/k8s/hpa_actor.hpp"

#include <fmt/core.h>

namespace dlsim::models::k8s {

PodAutoscaler::PodAutoscaler(Cluster& cluster, Deployment& target, PodAutoscalerConfig config,
                             std::function<std::optional<double>()> external)
    : cluster_(cluster),
      target_(target),
      config_(std::move(config)),
      external_(std::move(external)),
      hpa_(config_.hpa),
      keda_(config_.keda) {}

void PodAutoscaler::start() {
  const double period = config_.scaler == PodAutoscalerConfig::Scaler::Keda
                            ? config_.keda.polling_interval_s
                            : config_.sync_period_s;
  sim::spawn("autoscaler/" + target_.name(), cluster_.control_plane(), [this, period] {
    for (;;) {
      sim::sleep_for(period);
      cluster_.run_exclusive([this] { sync(); });
    }
  });
}

std::optional<MetricSample> PodAutoscaler::cpu_metric(std::string& described) const {
  ResourceUtilizationMetric m;
  m.target_utilization_percent = *config_.target_cpu_utilization_percent;
  for (std::size_t s : target_.slots()) {
    const auto cpu = cluster_.monitor().last_cpu_cores(s);
    const auto request = cluster_.pods()[s]->resources().cpu_request_cores;
    if (!cpu || !request || cluster_.terminating(s)) continue;
    m.usage_sum += *cpu;
    m.request_sum += *request;
    ++m.ready_pods;
  }
  if (m.ready_pods == 0) return std::nullopt;
  described = fmt::format("cpu {:.0f}% of requests, target {:.0f}%",
                          100 * m.usage_sum / m.request_sum, m.target_utilization_percent);
  return m;
}

// replica_calculator.go GetExternalMetricReplicas with a Value target: ratio = value / target,
// times the ready pods (those running and not being deleted).
std::optional<MetricSample> PodAutoscaler::latency_metric(std::string& described) const {
  const std::optional<double> latency = external_();  // read every sync: it opens a new window
  if (!latency) return std::nullopt;
  int ready = 0;
  for (std::size_t s : target_.slots())
    if (cluster_.pods()[s]->running() && !cluster_.terminating(s)) ++ready;
  if (!described.empty()) described += "; ";
  described += fmt::format("{} {:.3f} s, target {:.3f} s", config_.metric_name, *latency,
                           *config_.target_latency_s);
  return ExternalValueMetric{*latency, *config_.target_latency_s, ready};
}

void PodAutoscaler::sync() {
  const int current = target_.replicas();
  const double now = sim::now();
  std::string described;
  int desired = current;
  if (config_.target_per_replica) {
    const double value = external_().value_or(0.0);
    described = fmt::format("{} {:.0f}, target {:.0f} per replica", config_.metric_name, value,
                            *config_.target_per_replica);
    if (config_.scaler == PodAutoscalerConfig::Scaler::Keda) {
      desired = keda_.decide(now, current, value);
    } else {
      desired = hpa_.decide(now, current,
                            {ExternalAverageValueMetric{value, *config_.target_per_replica}});
    }
  } else {
    // Several metrics: each gives a recommendation, the HPA takes the largest (k/k horizontal.go
    // step 2).
    std::vector<MetricSample> metrics;
    if (config_.target_cpu_utilization_percent)
      if (auto m = cpu_metric(described)) metrics.push_back(*m);
    if (config_.target_latency_s)
      if (auto m = latency_metric(described)) metrics.push_back(*m);
    desired = hpa_.decide(now, current, metrics);
  }
  target_.scale(desired, described);
}

}  // namespace dlsim::models::k8s
