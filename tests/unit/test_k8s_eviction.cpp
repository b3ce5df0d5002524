// Unit tests for models/k8s/eviction: kubelet node-pressure eviction order and the kernel
// node-OOM victim (kubernetes.io node-pressure-eviction, pod-qos).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/eviction.hpp"

using namespace dlsim::models::k8s;

namespace {

constexpr double kGiB = 1024.0 * kMiB;

std::vector<PodMemoryView> pods() {
  return {
      {"at-request", 4 * kGiB, 4 * kGiB, 0},     // WS = request: not exceeding
      {"over-by-2", 3 * kGiB, 1 * kGiB, 0},      // exceeds by 2 GiB
      {"over-by-1", 5 * kGiB, 4 * kGiB, 0},      // exceeds by 1 GiB
      {"besteffort-high", 1 * kGiB, 0.0, 100},   // exceeds (no request), high priority
      {"under-low", 1.75 * kGiB, 2 * kGiB, -5},  // under its request, low priority
  };
}

}  // namespace

TEST_CASE("eviction order: over request, then priority, then excess", "[k8s][eviction]") {
  // Exceeding pods first: over-by-2 and over-by-1 (priority 0, larger excess first), then
  // besteffort-high (priority 100); then pods under request by priority: under-low (−5),
  // at-request (0).
  const std::vector<std::size_t> order = eviction_order(pods());
  CHECK(order == std::vector<std::size_t>{1, 2, 3, 4, 0});
}

TEST_CASE("memory pressure evicts one pod", "[k8s][eviction]") {
  const std::vector<PodMemoryView> p = pods();
  // Σ WS = 4 + 3 + 5 + 1 + 1.75 = 14.75 GiB, + 1 GiB system = 15.75 GiB (all exact in binary).
  // Node of 15.75 GiB + 64 MiB: available 64 MiB < 100 MiB → evict over-by-2.
  const EvictionDecision d = check_node_pressure(15.75 * kGiB + 64 * kMiB, 1 * kGiB, p);
  CHECK(d.available_bytes == Approx(64 * kMiB));
  CHECK(d.memory_pressure);
  REQUIRE(d.victim.has_value());
  CHECK(p[*d.victim].id == "over-by-2");
  // 17 GiB node: 1.25 GiB available → no pressure, no victim.
  const EvictionDecision calm = check_node_pressure(17 * kGiB, 1 * kGiB, p);
  CHECK(calm.available_bytes == Approx(1.25 * kGiB));
  CHECK_FALSE(calm.memory_pressure);
  CHECK_FALSE(calm.victim.has_value());
  // The threshold is strict: exactly 100 MiB available is no pressure, 99 MiB is.
  CHECK_FALSE(check_node_pressure(15.75 * kGiB + 100 * kMiB, 1 * kGiB, p).memory_pressure);
  CHECK(check_node_pressure(15.75 * kGiB + 99 * kMiB, 1 * kGiB, p).memory_pressure);
}

TEST_CASE("oom_score_adj by QoS class", "[k8s][eviction]") {
  const double ram = 16 * kGiB;
  CHECK(oom_score_adj(QosClass::Guaranteed, 8 * kGiB, ram) == -997);
  CHECK(oom_score_adj(QosClass::BestEffort, 0.0, ram) == 1000);
  CHECK(oom_score_adj(QosClass::Burstable, 4 * kGiB, ram) == 750);  // 1000 − 1000·4/16
  CHECK(oom_score_adj(QosClass::Burstable, 1 * kGiB, ram) == 938);  // 1000 − ⌊62.5⌋
  CHECK(oom_score_adj(QosClass::Burstable, 16 * kGiB, ram) == 2);   // 0 → raised to 2
  CHECK(oom_score_adj(QosClass::Burstable, 0.0, ram) == 999);       // 1000 → lowered to 999
}

TEST_CASE("kernel node OOM kills the highest oom_score", "[k8s][eviction]") {
  const double ram = 16 * kGiB;
  const std::vector<ContainerOomView> c = {
      {"guaranteed", 8 * kGiB, 8 * kGiB, QosClass::Guaranteed},  // 500 − 997 = −497
      {"burstable", 6 * kGiB, 4 * kGiB, QosClass::Burstable},    // 375 + 750 = 1125
      {"besteffort", 0.5 * kGiB, 0.0, QosClass::BestEffort},     // 31.25 + 1000 = 1031.25
  };
  CHECK(oom_score(c[0], ram) == Approx(-497.0));
  CHECK(oom_score(c[1], ram) == Approx(1125.0));
  CHECK(oom_score(c[2], ram) == Approx(1031.25));
  CHECK(node_oom_victim(c, ram) == 1u);
  CHECK_FALSE(node_oom_victim({}, ram).has_value());
}
