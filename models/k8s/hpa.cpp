// HPA and KEDA decision logic; see hpa.hpp for the sources.
#include "models/k8s/hpa.hpp"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <cstdint>

namespace dlsim::models::k8s {

namespace {

// Metric values travel as int64 milli-units in the HPA (replica_calculator.go).
std::int64_t milli(double v) {
  return std::llround(v * 1000.0);
}

int ceil_int(double v) {
  return static_cast<int>(std::ceil(v));
}

int resource_replicas(const ResourceUtilizationMetric& m, int current, double tolerance) {
  const std::int64_t requests = milli(m.request_sum);
  if (requests <= 0 || m.target_utilization_percent <= 0.0) return current;  // unusable
  // GetResourceUtilizationRatio: utilization is a truncated integer percentage.
  const std::int64_t utilization = milli(m.usage_sum) * 100 / requests;
  const double ratio = static_cast<double>(utilization) / m.target_utilization_percent;
  if (std::abs(ratio - 1.0) <= tolerance) return current;
  return ceil_int(ratio * m.ready_pods);
}

int average_value_replicas(const ExternalAverageValueMetric& m, int current, double tolerance) {
  const double total = static_cast<double>(milli(m.total));
  const double target = static_cast<double>(milli(m.target_average_value));
  if (target <= 0.0) return current;
  // current = 0 makes the ratio infinite: always outside the tolerance (as upstream).
  const bool within = current > 0 && std::abs(total / (target * current) - 1.0) <= tolerance;
  return within ? current : ceil_int(total / target);
}

int value_replicas(const ExternalValueMetric& m, int current, double tolerance) {
  const double target = static_cast<double>(milli(m.target_value));
  if (target <= 0.0) return current;
  const double ratio = static_cast<double>(milli(m.value)) / target;
  if (current == 0) return ceil_int(ratio);  // getUsageRatioReplicaCount: no tolerance at 0
  if (std::abs(ratio - 1.0) <= tolerance) return current;
  return ceil_int(ratio * m.ready_pods);
}

// getReplicasChangePerPeriod: changes strictly after now − period.
template <typename Events>
int change_in_period(const Events& events, double now_s, double period_s) {
  int sum = 0;
  for (const auto& e : events) {
    if (e.t_s > now_s - period_s) sum += e.change;
  }
  return sum;
}

}  // namespace

int desired_replicas_for_metric(const MetricSample& metric, int current_replicas,
                                double tolerance) {
  if (const auto* m = std::get_if<ResourceUtilizationMetric>(&metric)) {
    return resource_replicas(*m, current_replicas, tolerance);
  }
  if (const auto* m = std::get_if<ExternalAverageValueMetric>(&metric)) {
    return average_value_replicas(*m, current_replicas, tolerance);
  }
  return value_replicas(std::get<ExternalValueMetric>(metric), current_replicas, tolerance);
}

ScalingRules ScalingRules::default_scale_up() {
  return {0.0,
          SelectPolicy::Max,
          {{ScalingPolicyType::Percent, 100, 15.0}, {ScalingPolicyType::Pods, 4, 15.0}}};
}

ScalingRules ScalingRules::default_scale_down() {
  return {300.0, SelectPolicy::Max, {{ScalingPolicyType::Percent, 100, 15.0}}};
}

HpaController::HpaController(HpaConfig config) : config_(std::move(config)) {
  assert(config_.min_replicas <= config_.max_replicas);
}

int HpaController::decide(double now_s, int current, const std::vector<MetricSample>& metrics) {
  // recordInitialRecommendation (horizontal.go): the first sync seeds the stabilisation
  // history with the current replicas, so an HPA never scales down before its window.
  if (!seeded_) {
    seeded_ = true;
    recommendations_.push_back({now_s, current});
  }
  // reconcileAutoscaler: replicas 0 with minReplicas > 0 means autoscaling is paused.
  if (current == 0 && config_.min_replicas != 0) return 0;
  int result = current;
  if (current > config_.max_replicas) {
    result = config_.max_replicas;
  } else if (current < config_.min_replicas) {
    result = config_.min_replicas;
  } else if (!metrics.empty()) {
    int desired = 0;
    for (const MetricSample& m : metrics) {
      desired = std::max(desired, desired_replicas_for_metric(m, current, config_.tolerance));
    }
    result = rate_limit(now_s, current, stabilize(now_s, current, desired));
    result = std::clamp(result, config_.min_replicas, config_.max_replicas);
  }
  record_scale(now_s, current, result);
  return result;
}

int HpaController::stabilize(double now_s, int current, int desired) {
  const double up_window = config_.scale_up.stabilization_window_s;
  const double down_window = config_.scale_down.stabilization_window_s;
  int up = desired;
  int down = desired;
  for (const Recommendation& r : recommendations_) {
    if (r.t_s > now_s - up_window) up = std::min(up, r.replicas);
    if (r.t_s > now_s - down_window) down = std::max(down, r.replicas);
  }
  const double keep_s = std::max(up_window, down_window);
  std::erase_if(recommendations_, [&](const Recommendation& r) { return r.t_s <= now_s - keep_s; });
  recommendations_.push_back({now_s, desired});
  return std::min(std::max(current, up), down);
}

int HpaController::rate_limit(double now_s, int current, int desired) const {
  if (desired > current) {
    const int limit = std::max(scale_up_limit(now_s, current), current);
    return std::min(desired, limit);
  }
  if (desired < current) {
    const int limit = std::min(scale_down_limit(now_s, current), current);
    return std::max(desired, limit);
  }
  return desired;
}

int HpaController::scale_up_limit(double now_s, int current) const {
  const ScalingRules& rules = config_.scale_up;
  if (rules.select_policy == SelectPolicy::Disabled) return current;
  const bool pick_max = rules.select_policy == SelectPolicy::Max;
  int result = pick_max ? INT_MIN : INT_MAX;
  for (const ScalingPolicy& p : rules.policies) {
    const int start = current - change_in_period(up_events_, now_s, p.period_s) +
                      change_in_period(down_events_, now_s, p.period_s);
    const int proposed = p.type == ScalingPolicyType::Pods
                             ? start + p.value
                             : ceil_int(start * (1.0 + p.value / 100.0));
    result = pick_max ? std::max(result, proposed) : std::min(result, proposed);
  }
  return result;
}

int HpaController::scale_down_limit(double now_s, int current) const {
  const ScalingRules& rules = config_.scale_down;
  if (rules.select_policy == SelectPolicy::Disabled) return current;
  const bool pick_max = rules.select_policy == SelectPolicy::Max;  // most permissive = lowest
  int result = pick_max ? INT_MAX : INT_MIN;
  for (const ScalingPolicy& p : rules.policies) {
    const int start = current + change_in_period(down_events_, now_s, p.period_s) -
                      change_in_period(up_events_, now_s, p.period_s);
    const int proposed = p.type == ScalingPolicyType::Pods
                             ? start - p.value
                             : static_cast<int>(start * (1.0 - p.value / 100.0));
    result = pick_max ? std::min(result, proposed) : std::max(result, proposed);
  }
  return result;
}

void HpaController::record_scale(double now_s, int from, int to) {
  double longest_s = 0.0;
  for (const auto* rules : {&config_.scale_up, &config_.scale_down}) {
    for (const ScalingPolicy& p : rules->policies) longest_s = std::max(longest_s, p.period_s);
  }
  const auto outdated = [&](const ScaleEvent& e) { return e.t_s <= now_s - longest_s; };
  std::erase_if(up_events_, outdated);
  std::erase_if(down_events_, outdated);
  if (to > from) up_events_.push_back({now_s, to - from});
  if (to < from) down_events_.push_back({now_s, from - to});
}

KedaScaler::KedaScaler(KedaConfig config)
    : config_(std::move(config)),
      hpa_(HpaConfig{std::max(1, config_.min_replica_count), config_.max_replica_count,
                     config_.tolerance, config_.scale_up, config_.scale_down}) {}

int KedaScaler::decide(double now_s, int current_replicas, double metric_value) {
  active_ = metric_value > config_.activation_threshold;
  if (active_) last_active_s_ = now_s;
  const int floor_replicas = std::max(1, config_.min_replica_count);
  if (current_replicas == 0) {
    return (active_ || config_.min_replica_count > 0) ? floor_replicas : 0;
  }
  const bool cooled_down = !last_active_s_ || *last_active_s_ + config_.cooldown_period_s < now_s;
  if (!active_ && config_.min_replica_count == 0 && cooled_down) return 0;
  return hpa_.decide(now_s, current_replicas,
                     {ExternalAverageValueMetric{metric_value, config_.threshold}});
}

}  // namespace dlsim::models::k8s
