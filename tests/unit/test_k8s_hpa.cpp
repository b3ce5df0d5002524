// Unit tests for models/k8s/hpa: per-metric formulas with tolerance, stabilisation window,
// rate limits, clamping and the KEDA variant (k/k pkg/controller/podautoscaler/horizontal.go,
// replica_calculator.go).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/hpa.hpp"

using namespace dlsim::models::k8s;

namespace {

ResourceUtilizationMetric cpu(double usage_sum, int ready) {
  // Each ready pod requests 1 core; target 60 % of the request.
  return {usage_sum, static_cast<double>(ready), 60.0, ready};
}

std::vector<MetricSample> queue(double total) {
  return {ExternalAverageValueMetric{total, 100.0}};  // target 100 queued items per replica
}

}  // namespace

TEST_CASE("resource utilization: ceil(ratio x ready pods) outside the tolerance", "[k8s][hpa]") {
  // 1.8 cores over 2 cores of requests = 90 %; 90/60 = 1.5 → ceil(1.5 · 2) = 3
  CHECK(desired_replicas_for_metric(cpu(1.8, 2), 2) == 3);
  // 65 % → 65/60 = 1.083, |r − 1| ≤ 0.1 → stay at 2
  CHECK(desired_replicas_for_metric(cpu(1.3, 2), 2) == 2);
  // 67 % → 1.117 > 0.1 → ceil(2.23) = 3
  CHECK(desired_replicas_for_metric(cpu(1.34, 2), 2) == 3);
  // 25 % → 0.417 → ceil(0.83) = 1
  CHECK(desired_replicas_for_metric(cpu(0.5, 2), 2) == 1);
  // Utilization is a truncated integer percentage: 1.319/2 = 65.95 % → 65 % → within tolerance
  CHECK(desired_replicas_for_metric(cpu(1.319, 2), 2) == 2);
  // A tolerance of 0.05 makes 65 % (r = 1.083) scale: ceil(2.17) = 3
  CHECK(desired_replicas_for_metric(cpu(1.3, 2), 2, 0.05) == 3);
}

TEST_CASE("external AverageValue and Value targets", "[k8s][hpa]") {
  // AverageValue: 250 queued / (100 · 2) = 1.25 → ceil(250/100) = 3
  CHECK(desired_replicas_for_metric(ExternalAverageValueMetric{250, 100}, 2) == 3);
  // 210 / 200 = 1.05 → within tolerance → 2
  CHECK(desired_replicas_for_metric(ExternalAverageValueMetric{210, 100}, 2) == 2);
  // From 0 replicas the ratio is infinite → ceil(250/100) = 3
  CHECK(desired_replicas_for_metric(ExternalAverageValueMetric{250, 100}, 0) == 3);
  // Value: 300/100 = 3 → ceil(3 · 2 ready) = 6
  CHECK(desired_replicas_for_metric(ExternalValueMetric{300, 100, 2}, 2) == 6);
  // 105/100 = 1.05 → within tolerance → 2
  CHECK(desired_replicas_for_metric(ExternalValueMetric{105, 100, 2}, 2) == 2);
  // current 0: ceil(ratio) = 3, no tolerance
  CHECK(desired_replicas_for_metric(ExternalValueMetric{300, 100, 0}, 0) == 3);
}

TEST_CASE("scale-down waits for the 300 s stabilisation window", "[k8s][hpa]") {
  HpaController hpa(HpaConfig{1, 10});
  // t = 0: 400 queued / (100 · 4) = 1 → desired 4, recorded.
  CHECK(hpa.decide(0.0, 4, queue(400)) == 4);
  // From t = 15 the queue is 100 → desired 1, but the window max still holds 4 from t = 0.
  for (double t = 15.0; t < 300.0; t += 15.0) CHECK(hpa.decide(t, 4, queue(100)) == 4);
  // t = 300: the sample at 0 is no longer inside (0 > 300 − 300 is false); all others say 1.
  // Down rate limit is 100 % per 15 s: trunc(4 · 0) = 0 → no limit → 1.
  CHECK(hpa.decide(300.0, 4, queue(100)) == 1);
}

TEST_CASE("scale-up rate limit: max(2 x start, start + 4) per 15 s", "[k8s][hpa]") {
  HpaController hpa(HpaConfig{1, 100});
  // desired ceil(10000/100) = 100 every time.
  CHECK(hpa.decide(0.0, 1, queue(10000)) == 5);  // start 1: max(2, 5) = 5
  // t = 5: the +4 at t = 0 is in the period → start = 5 − 4 = 1 → limit 5 → no change.
  CHECK(hpa.decide(5.0, 5, queue(10000)) == 5);
  // t = 15: the event at 0 left the period (0 > 15 − 15 false) → start 5: max(10, 9) = 10
  CHECK(hpa.decide(15.0, 5, queue(10000)) == 10);
  CHECK(hpa.decide(30.0, 10, queue(10000)) == 20);   // max(20, 14)
  CHECK(hpa.decide(45.0, 20, queue(10000)) == 40);   // max(40, 24)
  CHECK(hpa.decide(60.0, 40, queue(10000)) == 80);   // max(80, 44)
  CHECK(hpa.decide(75.0, 80, queue(10000)) == 100);  // limit 160, desired 100
}

TEST_CASE("clamping, pause, several metrics", "[k8s][hpa]") {
  HpaController down(HpaConfig{2, 6});
  // 50 / (100 · 3) = 0.17 → desired ceil(0.5) = 1, but the first sync seeds the history with
  // the current 3 (recordInitialRecommendation, horizontal.go): the 300 s window holds 3.
  CHECK(down.decide(0.0, 3, queue(50)) == 3);
  CHECK(down.decide(285.0, 3, queue(50)) == 3);
  // At 300 the seed is out of the window (entries strictly after now − 300 count): 1,
  // clamped to minReplicas 2.
  CHECK(down.decide(300.0, 3, queue(50)) == 2);
  HpaController up(HpaConfig{2, 6});
  // desired 20, rate limit max(6, 7) = 7, clamped to maxReplicas 6.
  CHECK(up.decide(0.0, 3, queue(2000)) == 6);
  HpaController over(HpaConfig{2, 6});
  CHECK(over.decide(0.0, 8, queue(800)) == 6);  // above max: back to max at once
  HpaController paused(HpaConfig{1, 6});
  CHECK(paused.decide(0.0, 0, queue(800)) == 0);  // replicas 0 with minReplicas 1: paused
  HpaController multi(HpaConfig{1, 10});
  // cpu: 90 % of 60 % → 3; queue: 500 / (100 · 2) = 2.5 → 5. Max = 5 (up limit 6).
  CHECK(multi.decide(0.0, 2, {cpu(1.8, 2), ExternalAverageValueMetric{500, 100}}) == 5);
  CHECK(multi.decide(15.0, 5, {}) == 5);  // no metrics → no change
}

TEST_CASE("KEDA: activation, HPA in between, scale to zero after cooldown", "[k8s][hpa]") {
  KedaConfig cfg;
  cfg.threshold = 100.0;
  cfg.activation_threshold = 5.0;
  cfg.max_replica_count = 10;
  KedaScaler keda(cfg);
  CHECK(keda.decide(0.0, 0, 0.0) == 0);  // inactive at 0 replicas: stay at 0
  CHECK_FALSE(keda.active());
  CHECK(keda.decide(30.0, 0, 50.0) == 1);  // 50 > 5: activate 0 → 1
  CHECK(keda.active());
  // HPA: 250 / (100 · 1) = 2.5 → ceil(2.5) = 3 (up limit max(2, 5) = 5).
  CHECK(keda.decide(60.0, 1, 250.0) == 3);
  // Metric 3 ≤ 5: inactive since 60. The HPA wants ceil(3/100) = 1, but its 300 s down window
  // holds 3 (recorded at 60) until t = 360.
  for (double t = 90.0; t <= 330.0; t += 30.0) CHECK(keda.decide(t, 3, 3.0) == 3);
  // t = 360: cooldown not over (60 + 300 < 360 is false); the window forgot 3 → HPA gives 1.
  CHECK(keda.decide(360.0, 3, 3.0) == 1);
  // t = 390: 360 < 390 → inactive for longer than cooldownPeriod → 1 → 0.
  CHECK(keda.decide(390.0, 1, 3.0) == 0);

  KedaConfig keep;
  keep.threshold = 100.0;
  keep.min_replica_count = 2;
  KedaScaler floor(keep);
  CHECK(floor.decide(0.0, 0, 0.0) == 2);  // minReplicaCount > 0: never left at 0
}
