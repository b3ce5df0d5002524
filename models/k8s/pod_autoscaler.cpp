// HPA and KEDA controller loops; see pod_autoscaler.hpp.
#include "models/k8s/pod_autoscaler.hpp"

#include <fmt/core.h>

namespace dlsim::models::k8s {

PodAutoscaler::PodAutoscaler(Cluster& cluster, Deployment& target, PodAutoscalerConfig config,
                             std::function<double()> external)
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
    const auto cpu = cluster_.last_cpu_cores(s);
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

void PodAutoscaler::sync() {
  const int current = target_.replicas();
  const double now = sim::now();
  std::string described;
  int desired = current;
  if (config_.target_per_replica) {
    const double value = external_();
    described = fmt::format("{} {:.0f}, target {:.0f} per replica", config_.metric_name, value,
                            *config_.target_per_replica);
    if (config_.scaler == PodAutoscalerConfig::Scaler::Keda) {
      desired = keda_.decide(now, current, value);
    } else {
      desired = hpa_.decide(now, current,
                            {ExternalAverageValueMetric{value, *config_.target_per_replica}});
    }
  } else if (auto m = cpu_metric(described)) {
    desired = hpa_.decide(now, current, {*m});
  } else {
    desired = hpa_.decide(now, current, {});
  }
  target_.scale(desired, described);
}

}  // namespace dlsim::models::k8s
