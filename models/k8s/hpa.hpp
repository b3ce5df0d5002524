// HorizontalPodAutoscaler decision logic (one sync of one HPA) and the KEDA ScaledObject that
// drives an HPA from an external metric with scale to and from zero
// (k/k pkg/controller/podautoscaler/horizontal.go, replica_calculator.go).
//
// Sources: k/k pkg/controller/podautoscaler/replica_calculator.go (per-metric formulas,
// tolerance), horizontal.go (stabilizeRecommendationWithBehaviors,
// convertDesiredReplicasWithBehaviorRate, calculateScale{Up,Down}LimitWithBehaviors);
// k/website horizontal-pod-autoscale.md (defaults); keda.sh scaledobject-spec (pollingInterval,
// cooldownPeriod, activationThreshold).
// Not modelled: the missing-metric / unready-pod corrections of kubernetes.io
// horizontal-pod-autoscale (the caller passes the ready pods that have metrics), the CPU
// initialization period, per-direction tolerances.
#pragma once

#include <optional>
#include <variant>
#include <vector>

namespace dlsim::models::k8s {

// --horizontal-pod-autoscaler-sync-period = 15 s (HPA docs).
inline constexpr double kHpaSyncPeriodS = 15.0;
// --horizontal-pod-autoscaler-tolerance = 0.1 (HPA docs).
inline constexpr double kHpaDefaultTolerance = 0.1;

// Resource metric, target type Utilization: Σ usage and Σ requests over the ready pods with
// metrics, in the same unit (cores or bytes); target in percent of the request.
struct ResourceUtilizationMetric {
  double usage_sum = 0.0;
  double request_sum = 0.0;
  double target_utilization_percent = 0.0;
  int ready_pods = 0;
};

// External/Object metric with an AverageValue target (value per replica).
struct ExternalAverageValueMetric {
  double total = 0.0;
  double target_average_value = 0.0;
};

// External/Object metric with a Value target.
struct ExternalValueMetric {
  double value = 0.0;
  double target_value = 0.0;
  int ready_pods = 0;
};

using MetricSample =
    std::variant<ResourceUtilizationMetric, ExternalAverageValueMetric, ExternalValueMetric>;

// d_m of k/k horizontal.go for one metric (current replicas when within tolerance).
int desired_replicas_for_metric(const MetricSample& metric, int current_replicas,
                                double tolerance = kHpaDefaultTolerance);

enum class ScalingPolicyType { Pods, Percent };
struct ScalingPolicy {
  ScalingPolicyType type = ScalingPolicyType::Percent;
  int value = 100;  // pods, or percent of the replicas at the start of the period
  double period_s = 15.0;
};

enum class SelectPolicy { Max, Min, Disabled };

// behavior.scaleUp / behavior.scaleDown.
struct ScalingRules {
  double stabilization_window_s = 0.0;
  SelectPolicy select_policy = SelectPolicy::Max;
  std::vector<ScalingPolicy> policies;

  // Defaults (HPA docs): up: window 0 s, max(100 % per 15 s, 4 pods per 15 s).
  static ScalingRules default_scale_up();
  // Defaults (HPA docs): down: window 300 s, 100 % per 15 s (i.e. unlimited).
  static ScalingRules default_scale_down();
};

struct HpaConfig {
  int min_replicas = 1;  // Default: 1 (HPA spec minReplicas)
  int max_replicas = 1;  // Required in the HPA spec (no default); 1 here scales nothing.
  double tolerance = kHpaDefaultTolerance;
  ScalingRules scale_up = ScalingRules::default_scale_up();
  ScalingRules scale_down = ScalingRules::default_scale_down();
};

class HpaController {
 public:
  explicit HpaController(HpaConfig config);

  // One sync at now_s (call every kHpaSyncPeriodS). Returns the replica count to set; when it
  // differs from current_replicas the change is recorded for the rate limits, so the caller
  // must apply it. Empty metrics → no change.
  int decide(double now_s, int current_replicas, const std::vector<MetricSample>& metrics);

  const HpaConfig& config() const { return config_; }

 private:
  struct Recommendation {
    double t_s;
    int replicas;
  };
  struct ScaleEvent {
    double t_s;
    int change;  // replicas added (up list) or removed (down list), > 0
  };

  int stabilize(double now_s, int current, int desired);
  int rate_limit(double now_s, int current, int desired) const;
  int scale_up_limit(double now_s, int current) const;
  int scale_down_limit(double now_s, int current) const;
  void record_scale(double now_s, int from, int to);

  HpaConfig config_;
  std::vector<Recommendation> recommendations_;
  bool seeded_ = false;
  std::vector<ScaleEvent> up_events_;
  std::vector<ScaleEvent> down_events_;
};

// KEDA ScaledObject with one trigger (e.g. the Prometheus scaler).
struct KedaConfig {
  double polling_interval_s = 30.0;   // Default: 30 s, pollingInterval (KEDA spec)
  double cooldown_period_s = 300.0;   // Default: 300 s, cooldownPeriod (KEDA spec), N → 0 only
  double threshold = 1.0;             // Target value per replica (scaler `threshold`; required)
  double activation_threshold = 0.0;  // Default: 0, activationThreshold (KEDA spec)
  int min_replica_count = 0;          // Default: 0, minReplicaCount (KEDA spec)
  int max_replica_count = 100;        // Default: 100, maxReplicaCount (KEDA spec)
  double tolerance = kHpaDefaultTolerance;  // of the HPA KEDA creates
  ScalingRules scale_up = ScalingRules::default_scale_up();
  ScalingRules scale_down = ScalingRules::default_scale_down();
};

// KEDA: active iff metric > activationThreshold; 0 → max(1, minReplicaCount) when active;
// N → 0 when inactive for cooldownPeriod (at once if never active, as KEDA does with no
// lastActiveTime); otherwise its HPA (AverageValue target = threshold, min max(1, min)) decides.
class KedaScaler {
 public:
  explicit KedaScaler(KedaConfig config);

  // One poll at now_s (call every polling_interval_s); same contract as HpaController::decide.
  int decide(double now_s, int current_replicas, double metric_value);

  bool active() const { return active_; }
  const KedaConfig& config() const { return config_; }

 private:
  KedaConfig config_;
  HpaController hpa_;
  std::optional<double> last_active_s_;
  bool active_ = false;
};

}  // namespace dlsim::models::k8s
