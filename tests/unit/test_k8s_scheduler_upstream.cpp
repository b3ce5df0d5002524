// kube-scheduler's own test vectors for the NodeResourcesFit RequestedToCapacityRatio score,
// run against models/k8s/scheduler. Source: k/k pkg/scheduler/framework/plugins/noderesources/
// requested_to_capacity_ratio_test.go at 00b9ead0 (TestBrokenLinearFunction,
// TestRequestedToCapacityRatioScoringStrategy). Quantities are copied as the Go tests write
// them: "cpu": "4000" is 4000 cores, "memory": "10000" is 10000 bytes. st.MakePod() without
// Req() is a pod with no container: it requests nothing, not even the non-zero defaults.
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/scheduler.hpp"

using namespace dlsim::models::k8s;

namespace {

NodeView node(double cpu, double mem) {
  NodeView n;
  n.allocatable = {cpu, mem};
  return n;
}

// A pod of the Go tests: the sum of its containers' requests (each sets both resources).
PodView pod(double cpu, double mem) {
  PodView p;
  p.qos = QosClass::Burstable;
  if (cpu > 0 || mem > 0) {
    p.cpu_request_cores = cpu;
    p.mem_request_bytes = mem;
  }
  p.non_zero_request = CpuMem{cpu, mem};  // per container: every container sets both
  return p;
}

void place(NodeView& n, const PodView& p) {
  n.requested.cpu_cores += p.cpu_request_cores.value_or(0);
  n.requested.mem_bytes += p.mem_request_bytes.value_or(0);
  n.non_zero_requested.cpu_cores += non_zero_request(p).cpu_cores;
  n.non_zero_requested.mem_bytes += non_zero_request(p).mem_bytes;
  ++n.pod_count;
}

SchedulerConfig rtcr_10_to_0() {
  SchedulerConfig c;
  c.strategy = ScoringStrategy::RequestedToCapacityRatio;
  c.rtcr_shape = {{0, 10}, {100, 0}};
  return c;
}

}  // namespace

TEST_CASE("upstream TestBrokenLinearFunction", "[k8s][scheduler][upstream]") {
  using V = std::vector<std::pair<std::int64_t, std::int64_t>>;  // p → expected
  const std::vector<ShapePoint> a = {{10, 1}, {90, 9}};
  for (auto [p, want] : V{{-10, 1},
                          {0, 1},
                          {9, 1},
                          {10, 1},
                          {15, 1},
                          {19, 1},
                          {20, 2},
                          {89, 8},
                          {90, 9},
                          {99, 9},
                          {100, 9},
                          {110, 9}})
    CHECK(broken_linear(a, p) == want);
  const std::vector<ShapePoint> b = {{0, 2}, {40, 10}, {100, 0}};
  for (auto [p, want] :
       V{{-10, 2}, {0, 2}, {20, 6}, {30, 8}, {40, 10}, {70, 5}, {100, 0}, {110, 0}})
    CHECK(broken_linear(b, p) == want);
  const std::vector<ShapePoint> c = {{0, 2}, {40, 2}, {100, 2}};
  for (auto [p, want] : V{{-10, 2}, {0, 2}, {20, 2}, {30, 2}, {40, 2}, {70, 2}, {100, 2}})
    CHECK(broken_linear(c, p) == want);
}

TEST_CASE("upstream RTCR: nothing scheduled, nothing requested", "[k8s][scheduler][upstream]") {
  // Two container-less pods on node1 and a container-less pod to place: utilization 0 on
  // both nodes → f(0) = 100 (MaxNodeScore) for both.
  NodeView n1 = node(4000, 10000), n2 = node(4000, 10000);
  place(n1, pod(0, 0));
  place(n1, pod(0, 0));
  const PodView p = pod(0, 0);
  CHECK(score_fit(n1, p, rtcr_10_to_0()) == 100);
  CHECK(score_fit(n2, p, rtcr_10_to_0()) == 100);
}

TEST_CASE("upstream RTCR: resources requested, differently sized nodes",
          "[k8s][scheduler][upstream]") {
  // Pod of two containers, 1000+2000 cores and 2000+3000 B = 3000 cores, 5000 B.
  // node1 4000 cores: cpu 75 % → 100 − 75 = 25; mem 50 % → 50; round(75/2) = 38.
  // node2 6000 cores: cpu 50 % → 50; mem 50; → 50. (dlsim before: cpu 10 − 7 = 3 → 30,
  // mem 5 → 50; round(40) = 40.)
  NodeView n1 = node(4000, 10000), n2 = node(6000, 10000);
  place(n1, pod(0, 0));
  place(n1, pod(0, 0));
  const PodView p = pod(3000, 5000);
  CHECK(score_fit(n1, p, rtcr_10_to_0()) == 38);
  CHECK(score_fit(n2, p, rtcr_10_to_0()) == 50);
}

TEST_CASE("upstream RTCR: no resources requested, pods scheduled with resources",
          "[k8s][scheduler][upstream]") {
  // Each node holds a pod of 3000 cores / 5000 B; the new pod has no container: the same
  // utilizations as the previous case → 38 and 50.
  NodeView n1 = node(4000, 10000), n2 = node(6000, 10000);
  place(n1, pod(3000, 5000));
  place(n2, pod(3000, 5000));
  CHECK(score_fit(n1, pod(0, 0), rtcr_10_to_0()) == 38);
  CHECK(score_fit(n2, pod(0, 0), rtcr_10_to_0()) == 50);
}

TEST_CASE("non-zero defaults apply per container lacking a request, not once per pod",
          "[k8s][scheduler]") {
  // Two containers: one requests 1 core / 1 GiB, the other nothing. Per container
  // (resource_allocation.go#L122-L124): 1 + 0.1 cores, 1 GiB + 200 MiB. Once per pod on the
  // summed requests (dlsim before) would have counted 1 core / 1 GiB only.
  const std::vector<ContainerResources> containers = {
      {1.0, std::nullopt, 1024 * kMiB, std::nullopt}, {}};
  const CpuMem nz = non_zero_requests(containers);
  CHECK(nz.cpu_cores == Approx(1.1));
  CHECK(nz.mem_bytes == Approx(1224 * kMiB));
  CHECK(non_zero_requests(std::vector<ContainerResources>{}).cpu_cores == 0.0);
  // LeastAllocated on 8 cores / 8 GiB: cpu (8000 − 1100)·100 div 8000 = 86,
  // mem (8192 − 1224)·100 div 8192 = 85 (in bytes: 85.05…) → (86 + 85) div 2 = 85.
  PodView p;
  p.cpu_request_cores = 1.0;
  p.mem_request_bytes = 1024 * kMiB;
  p.non_zero_request = nz;
  CHECK(score_fit(node(8, 8192 * kMiB), p, SchedulerConfig{}) == 85);
}

// TestLeastAllocatedScoringStrategy (least_allocated_test.go at 008b3652), the cases on CPU
// and memory; the scores are the Go test's, its comments give the arithmetic:
// (capacity − requested)·100 div capacity per resource, weighted mean, integer division.
TEST_CASE("upstream LeastAllocated scoring", "[k8s][scheduler][upstream]") {
  const SchedulerConfig least;
  const PodView none = pod(0, 0);       // st.MakePod(): no container
  const PodView two = pod(3000, 5000);  // containers 1000/2000 and 2000/3000
  auto score = [&](NodeView n, std::vector<PodView> existing, const PodView& p,
                   const SchedulerConfig& c) {
    for (const PodView& e : existing) place(n, e);
    return score_fit(n, p, c);
  };
  // nothing scheduled, nothing requested: 100, 100
  CHECK(score(node(4000, 10000), {}, none, least) == 100);
  // nothing scheduled, resources requested, differently sized nodes: (25 + 50)/2 = 37; 50
  CHECK(score(node(4000, 10000), {}, two, least) == 37);
  CHECK(score(node(6000, 10000), {}, two, least) == 50);
  // no resources requested, container-less pods scheduled: 100, 100
  CHECK(score(node(4000, 10000), {none, none}, none, least) == 100);
  // no resources requested, pods with resources: cpu 6000 of 10000 → 40; memory 0 → 100 or
  // 5000 of 20000 → 75: (40 + 100)/2 = 70, (40 + 75)/2 = 57. An explicit "memory: 0" stays
  // 0 (the 200 MiB default is only for a missing request).
  CHECK(score(node(10000, 20000), {pod(3000, 0), pod(3000, 0)}, none, least) == 70);
  CHECK(score(node(10000, 20000), {pod(3000, 0), pod(3000, 5000)}, none, least) == 57);
  // resources requested, pods scheduled with resources: 57, 45; node2 of 50000 B: 60
  CHECK(score(node(10000, 20000), {pod(3000, 0)}, two, least) == 57);
  CHECK(score(node(10000, 20000), {pod(3000, 5000)}, two, least) == 45);
  CHECK(score(node(10000, 50000), {pod(3000, 5000)}, two, least) == 60);
  // requested resources exceed node capacity: cpu 6000 > 4000 → 0; (0 + 100)/2 = 50, 25
  CHECK(score(node(4000, 10000), {pod(3000, 0)}, pod(3000, 0), least) == 50);
  CHECK(score(node(4000, 10000), {pod(3000, 5000)}, pod(3000, 0), least) == 25);
  // zero node resources: every resource skipped → MinNodeScore 0
  CHECK(score(node(0, 0), {pod(3000, 0)}, none, least) == 0);
  // memory weight 2, cpu 1: (25·1 + 50·2)/3 = 41; (50 + 100)/3 = 50
  SchedulerConfig weighted;
  weighted.cpu_weight = 1;
  weighted.mem_weight = 2;
  CHECK(score(node(4000, 10000), {}, two, weighted) == 41);
  CHECK(score(node(6000, 10000), {}, two, weighted) == 50);
}

// TestMostAllocatedScoringStrategy (most_allocated_test.go at 030880a5), the CPU and memory
// cases: min(requested, capacity)·100 div capacity, weighted mean, integer division.
TEST_CASE("upstream MostAllocated scoring", "[k8s][scheduler][upstream]") {
  SchedulerConfig most;
  most.strategy = ScoringStrategy::MostAllocated;
  const PodView none = pod(0, 0);
  const PodView two = pod(3000, 5000);
  auto score = [&](NodeView n, std::vector<PodView> existing, const PodView& p,
                   const SchedulerConfig& c) {
    for (const PodView& e : existing) place(n, e);
    return score_fit(n, p, c);
  };
  CHECK(score(node(4000, 10000), {}, none, most) == 0);  // nothing requested
  CHECK(score(node(4000, 10000), {}, two, most) == 62);  // (75 + 50)/2
  CHECK(score(node(6000, 10000), {}, two, most) == 50);  // (50 + 50)/2
  // container-less pod, pods with resources: (60 + 0)/2 = 30, (60 + 25)/2 = 42
  CHECK(score(node(10000, 20000), {pod(3000, 0), pod(3000, 0)}, none, most) == 30);
  CHECK(score(node(10000, 20000), {pod(3000, 0), pod(3000, 5000)}, none, most) == 42);
  // requested with pods scheduled: (60 + 25)/2 = 42, (60 + 50)/2 = 55
  CHECK(score(node(10000, 20000), {pod(3000, 0)}, two, most) == 42);
  CHECK(score(node(10000, 20000), {pod(3000, 5000)}, two, most) == 55);
  // requests equal to capacity: pod 5000/9000: (100 + 90)/2 = 95, (50 + 100)/2 = 75
  CHECK(score(node(5000, 10000), {}, pod(5000, 9000), most) == 95);
  CHECK(score(node(10000, 9000), {}, pod(5000, 9000), most) == 75);
  // memory weight 2: (75 + 2·50)/3 = 58, (50 + 100)/3 = 50
  SchedulerConfig weighted = most;
  weighted.mem_weight = 2;
  CHECK(score(node(4000, 10000), {}, two, weighted) == 58);
  CHECK(score(node(6000, 10000), {}, two, weighted) == 50);
  // "nonzero request for resource": one container without requests counts 100 m / 200 MiB.
  // Nodes of 250 m / 1000 MiB. node1 holds two such pods: cpu 300 m of 250 → 100, memory
  // 600 of 1000 MiB → 60: (100 + 60)/2 = 80. node2 empty: 40 and 20 → 30.
  PodView bare;  // one container, no requests: non_zero_request unset → the defaults
  bare.qos = QosClass::BestEffort;
  CHECK(score(node(0.25, 1000 * kMiB), {bare, bare}, bare, most) == 80);
  CHECK(score(node(0.25, 1000 * kMiB), {}, bare, most) == 30);
}

// TestNodeResourcesBalancedAllocation (balanced_allocation_test.go at 00fdb4ff), the CPU and
// memory cases. makeNode takes millicores: 4000 is 4 cores. cpuAndMemory = 1000m/2000 B +
// 2000m/3000 B = 3 cores / 5000 B; cpuOnly = 3 cores / 0 B. Score = ⌊(1 − |f_cpu − f_mem|/2)
// · 100⌋ on the real requests, fractions capped at 1.
TEST_CASE("upstream BalancedAllocation scoring", "[k8s][scheduler][upstream]") {
  const PodView cpu_and_memory = pod(3, 5000);
  const PodView cpu_only = pod(3, 0);
  auto score = [](NodeView n, std::vector<PodView> existing, const PodView& p) {
    for (const PodView& e : existing) place(n, e);
    return score_balanced(n, p);
  };
  PodView best_effort;  // skipped in PreScore: no score (0 here)
  CHECK(score(node(4, 10000), {}, best_effort) == 0);
  // nothing scheduled: 0.75 vs 0.5 → 87; 0.5 vs 0.5 → 100
  CHECK(score(node(4, 10000), {}, cpu_and_memory) == 87);
  CHECK(score(node(6, 10000), {}, cpu_and_memory) == 100);
  // pods scheduled: node1 (cpuOnly) 0.6 vs 0.25 → 82; node2 (cpuAndMemory) 0.6 vs 0.5 → 95
  CHECK(score(node(10, 20000), {cpu_only}, cpu_and_memory) == 82);
  CHECK(score(node(10, 20000), {cpu_and_memory}, cpu_and_memory) == 95);
  // node2 of 50000 B: 0.6 vs 0.2 → 80
  CHECK(score(node(10, 50000), {cpu_and_memory}, cpu_and_memory) == 80);
  // at capacity: 1 vs 0 → 50; 1 vs 0.5 → 75
  CHECK(score(node(6, 10000), {cpu_only}, cpu_only) == 50);
  CHECK(score(node(6, 10000), {cpu_and_memory}, cpu_only) == 75);
  // 3 of 3.5 cores vs 5000 of 40000 B: (0.857 − 0.125)/2 = 0.366 → 63
  CHECK(score(node(3.5, 40000), {}, cpu_and_memory) == 63);
}

// TestFitScore (fit_test.go, stored copy): one pod and two nodes per strategy. node1
// 4000/10000 holds 2000/4000, node2 6000/10000 holds 1000/2000.
TEST_CASE("upstream TestFitScore", "[k8s][scheduler][upstream]") {
  auto score = [](double cpu, const PodView& existing, const PodView& p, const SchedulerConfig& c) {
    NodeView n = node(cpu, 10000);
    place(n, existing);
    return score_fit(n, p, c);
  };
  const PodView on1 = pod(2000, 4000), on2 = pod(1000, 2000);
  const PodView big = pod(3000, 5000), small = pod(1000, 2000);
  // RTCR {0→10, 100→0}: node1 cpu 5000 > 4000 → f(100) = 0 (skipped), memory 90 % → 10:
  // 10. node2 cpu 4000/6000 = 66 % → 34, memory 70 % → 30: round(32) = 32.
  SchedulerConfig down = rtcr_10_to_0();
  CHECK(score(4000, on1, big, down) == 10);
  CHECK(score(6000, on2, big, down) == 32);
  // RTCR {0→0, 100→10}: (100 + 90)/2 = 95; (66 + 70)/2 = 68
  SchedulerConfig up = down;
  up.rtcr_shape = {{0, 0}, {100, 10}};
  CHECK(score(4000, on1, big, up) == 95);
  CHECK(score(6000, on2, big, up) == 68);
  // MostAllocated: (75 + 60)/2 = 67; (33 + 40)/2 = 36
  SchedulerConfig most;
  most.strategy = ScoringStrategy::MostAllocated;
  CHECK(score(4000, on1, small, most) == 67);
  CHECK(score(6000, on2, small, most) == 36);
  // LeastAllocated: (25 + 40)/2 = 32; (66 + 60)/2 = 63
  CHECK(score(4000, on1, small, SchedulerConfig{}) == 32);
  CHECK(score(6000, on2, small, SchedulerConfig{}) == 63);
}
