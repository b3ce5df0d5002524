// Unit tests for models/k8s/scheduler: filter, Fit/Balanced scores, tie-breaking and
// preemption (k/k pkg/scheduler/schedule_one.go; kubernetes.io pod-priority-preemption).
#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <vector>

#include "models/k8s/scheduler.hpp"

using namespace dlsim::models::k8s;

namespace {

constexpr double kGiB = 1024.0 * kMiB;

NodeView node(const std::string& name, double cpu, double mem) {
  NodeView n;
  n.name = name;
  n.allocatable = {cpu, mem};
  return n;
}

PodView pod(std::optional<double> cpu, std::optional<double> mem, int priority = 0) {
  PodView p;
  p.cpu_request_cores = cpu;
  p.mem_request_bytes = mem;
  p.priority = priority;
  p.qos = (cpu || mem) ? QosClass::Burstable : QosClass::BestEffort;
  return p;
}

// Binds a pod to a node the way the engine will: real, non-zero, count and list.
void bind(NodeView& n, const PodView& p, const std::string& id = "p") {
  n.requested.cpu_cores += p.cpu_request_cores.value_or(0.0);
  n.requested.mem_bytes += p.mem_request_bytes.value_or(0.0);
  n.non_zero_requested.cpu_cores += non_zero_request(p).cpu_cores;
  n.non_zero_requested.mem_bytes += non_zero_request(p).mem_bytes;
  ++n.pod_count;
  n.pods.push_back(
      {id, p.priority, p.cpu_request_cores.value_or(0.0), p.mem_request_bytes.value_or(0.0)});
}

}  // namespace

TEST_CASE("scoring strategy names", "[k8s][scheduler]") {
  CHECK(parse_scoring_strategy("LeastAllocated") == ScoringStrategy::LeastAllocated);
  CHECK(parse_scoring_strategy("MostAllocated") == ScoringStrategy::MostAllocated);
  CHECK(parse_scoring_strategy("RequestedToCapacityRatio") ==
        ScoringStrategy::RequestedToCapacityRatio);
  CHECK_FALSE(parse_scoring_strategy("mostallocated").has_value());
  CHECK(to_string(ScoringStrategy::MostAllocated) == "MostAllocated");
}

TEST_CASE("filter: requests against free allocatable, max pods, readiness", "[k8s][scheduler]") {
  NodeView n = node("n", 8.0, 32 * kGiB);
  for (int i = 0; i < 75; ++i) bind(n, pod(0.1, 0.0));  // 75 × 100 m = 7.5 cores
  CHECK(feasible(n, pod(0.5, 1 * kGiB)));               // 8000 − 7500 = 500 m ≥ 500 m
  CHECK_FALSE(feasible(n, pod(0.6, 0.0)));              // 600 m > 500 m
  CHECK_FALSE(feasible(n, pod(0.1, 33 * kGiB)));        // memory 33 GiB > 32 GiB
  // A BestEffort pod requests nothing: only the pod count limits it.
  NodeView full = node("full", 1.0, 1 * kGiB);
  bind(full, pod(1.0, 1 * kGiB));
  CHECK(feasible(full, pod(std::nullopt, std::nullopt)));
  full.pod_count = kDefaultMaxPods;  // 110 + 1 > 110
  CHECK_FALSE(feasible(full, pod(std::nullopt, std::nullopt)));
  NodeView down = node("down", 8.0, 32 * kGiB);
  down.ready = false;
  CHECK_FALSE(feasible(down, pod(1.0, 1 * kGiB)));
}

TEST_CASE("Fit score per strategy, integer arithmetic", "[k8s][scheduler]") {
  NodeView n = node("n", 8.0, 32 * kGiB);
  bind(n, pod(2.0, 8 * kGiB));
  const PodView p = pod(1.0, 4 * kGiB);
  SchedulerConfig least;
  // cpu: (8000 − 3000)·100 div 8000 = 62; mem: (32 − 12)·100 div 32 = 62; (62+62) div 2 = 62
  CHECK(score_fit(n, p, least) == 62);
  SchedulerConfig most;
  most.strategy = ScoringStrategy::MostAllocated;
  // cpu: 3000·100 div 8000 = 37; mem: 12·100 div 32 = 37 → 37
  CHECK(score_fit(n, p, most) == 37);
  SchedulerConfig rtcr;
  rtcr.strategy = ScoringStrategy::RequestedToCapacityRatio;
  // default shape {0→0, 100→10}, scores scaled ×10 first: {0→0, 100→100}: f(37) = 37
  CHECK(score_fit(n, p, rtcr) == 37);
  rtcr.rtcr_shape = {{0, 10}, {100, 0}};
  // scaled {0→100, 100→0}: f(37) = 100 + (0 − 100)·37 div 100 = 63 (upstream; the old
  // 0..10 interpolation gave 10 − 3 = 7 → 70)
  CHECK(score_fit(n, p, rtcr) == 63);
  // Cpu weight 3, memory 1, LeastAllocated: node 8 cores/32 GiB, pod 2 cores, 16 GiB:
  // cpu (8−2)·100/8 = 75, mem (32−16)·100/32 = 50 → (3·75 + 50) div 4 = 275 div 4 = 68
  least.cpu_weight = 3;
  CHECK(score_fit(node("e", 8.0, 32 * kGiB), pod(2.0, 16 * kGiB), least) == 68);
}

TEST_CASE("RTCR averages only resources with a positive score", "[k8s][scheduler]") {
  SchedulerConfig rtcr;
  rtcr.strategy = ScoringStrategy::RequestedToCapacityRatio;
  // Default shape scaled to {0→0, 100→100}. An explicit 0 CPU request stays 0 (the 100 m
  // default is only for a missing request): cpu util 0 → f = 0 (skipped); mem util 50 →
  // f = 50. round(50·1 / 1) = 50 (not (0 + 50)/2 = 25).
  CHECK(score_fit(node("n", 8.0, 32 * kGiB), pod(0.0, 16 * kGiB), rtcr) == 50);
  // cpu util 400·100 div 8000 = 5 → f = 5 (on the 0..100 scale, positive: counted; the old
  // 0..10 interpolation gave 10·5 div 100 = 0 and skipped it): round((5 + 50)/2) = 28.
  CHECK(score_fit(node("n", 8.0, 32 * kGiB), pod(0.4, 16 * kGiB), rtcr) == 28);
}

TEST_CASE("unset requests count as 100 m / 200 MiB in the Fit score", "[k8s][scheduler]") {
  const PodView best_effort = pod(std::nullopt, std::nullopt);
  const NodeView n = node("n", 8.0, 32 * kGiB);
  // cpu: (8000 − 100)·100 div 8000 = 98; mem: (32768 − 200)·100 div 32768 = 99;
  // (98 + 99) div 2 = 98. Balanced is skipped for BestEffort → total 98.
  CHECK(score_fit(n, best_effort, SchedulerConfig{}) == 98);
  CHECK(score_balanced(n, best_effort) == 0);
  CHECK(score_total(n, best_effort, SchedulerConfig{}) == 98);
}

TEST_CASE("balanced allocation score", "[k8s][scheduler]") {
  NodeView n = node("n", 8.0, 32 * kGiB);
  bind(n, pod(2.0, 4 * kGiB));
  // f_cpu = (2+2)/8 = 0.5, f_mem = (4+4)/32 = 0.25; std = 0.125 → ⌊87.5⌋ = 87
  CHECK(score_balanced(n, pod(2.0, 4 * kGiB)) == 87);
  // Proportional requests: f_cpu = f_mem = 1/8 → 100
  CHECK(score_balanced(node("e", 8.0, 32 * kGiB), pod(1.0, 4 * kGiB)) == 100);
  // Over-full fractions are capped at 1: f_cpu = min(12/8, 1) = 1, f_mem = 0 → 50
  CHECK(score_balanced(node("e", 8.0, 32 * kGiB), pod(12.0, 0.0)) == 50);
  // Total: LeastAllocated 90 ((87 + 93) div 2) + balanced 96 for pod 1 core, 2 GiB on an empty
  // node: cpu 7000·100 div 8000 = 87, mem 30·100 div 32 = 93; std = |0.125 − 0.0625|/2 →
  // ⌊96.875⌋ = 96.
  CHECK(score_total(node("e", 8.0, 32 * kGiB), pod(1.0, 2 * kGiB), SchedulerConfig{}) == 186);
}

namespace {

// Places eight 1-core/4-GiB pods on two 8-core/32-GiB nodes; returns pods per node and whether
// an 8-core/8-GiB pod then fits somewhere.
std::pair<std::array<int, 2>, bool> place_eight(ScoringStrategy strategy) {
  std::vector<NodeView> nodes = {node("a", 8.0, 32 * kGiB), node("b", 8.0, 32 * kGiB)};
  SchedulerConfig cfg;
  cfg.strategy = strategy;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 8; ++i) {
    const std::optional<std::size_t> idx = select_node(nodes, pod(1.0, 4 * kGiB), cfg, rng);
    REQUIRE(idx.has_value());
    bind(nodes[*idx], pod(1.0, 4 * kGiB));
  }
  const bool big_fits = select_node(nodes, pod(8.0, 8 * kGiB), cfg, rng).has_value();
  return {{nodes[0].pod_count, nodes[1].pod_count}, big_fits};
}

}  // namespace

TEST_CASE("LeastAllocated spreads, MostAllocated packs", "[k8s][scheduler]") {
  // Requests proportional to the node (1/8 cpu, 4/32 mem): balanced = 100 everywhere, so the
  // Fit score decides. LeastAllocated: a node with k pods scores (8−(k+1))·100 div 8, strictly
  // better with fewer pods → 4 + 4, and no node has 8 free cores for the big pod.
  const auto [least_counts, least_big] = place_eight(ScoringStrategy::LeastAllocated);
  CHECK(least_counts[0] == 4);
  CHECK(least_counts[1] == 4);
  CHECK_FALSE(least_big);
  // MostAllocated: (k+1)·100 div 8 grows with k → all 8 on the first node chosen; the other is
  // empty and takes the 8-core pod (8000 m ≤ 8000 m).
  const auto [most_counts, most_big] = place_eight(ScoringStrategy::MostAllocated);
  CHECK(most_counts[0] + most_counts[1] == 8);
  CHECK((most_counts[0] == 8 || most_counts[1] == 8));
  CHECK(most_big);
}

TEST_CASE("ties are broken uniformly and deterministically from the rng", "[k8s][scheduler]") {
  const std::vector<NodeView> nodes(4, node("n", 8.0, 32 * kGiB));
  const PodView p = pod(1.0, 4 * kGiB);
  // 4 tied nodes: 2^64 mod 4 = 0, so no draw is rejected and the index is the first output
  // mod 4. The first output of a default-seeded mt19937_64 is 14514284786278117030
  // (fixed by the C++ standard's engine definition) → 14514284786278117030 mod 4 = 2.
  std::mt19937_64 default_seeded;
  CHECK(select_node(nodes, p, SchedulerConfig{}, default_seeded) == 2u);
  std::mt19937_64 a(12345), b(12345), ref(12345);
  const auto first = select_node(nodes, p, SchedulerConfig{}, a);
  CHECK(first == select_node(nodes, p, SchedulerConfig{}, b));
  CHECK(first == static_cast<std::size_t>(ref() % 4));
  // Roughly uniform: 400 seeds, each node expected 100 times; allow ±50.
  std::array<int, 4> hits{};
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    std::mt19937_64 rng(seed);
    ++hits[*select_node(nodes, p, SchedulerConfig{}, rng)];
  }
  for (int h : hits) CHECK((h > 50 && h < 150));
  // A unique best node consumes no random number.
  std::vector<NodeView> uneven = nodes;
  for (std::size_t i = 1; i < 4; ++i) bind(uneven[i], pod(4.0, 16 * kGiB));
  std::mt19937_64 c(99), untouched(99);
  // LeastAllocated: empty node 0 scores 87 + 100, the half-full ones 37 + 100.
  CHECK(select_node(uneven, p, SchedulerConfig{}, c) == 0u);
  CHECK(c() == untouched());
  CHECK_FALSE(select_node({}, p, SchedulerConfig{}, c).has_value());
}

TEST_CASE("preemption picks the node with the lowest-priority victims", "[k8s][scheduler]") {
  // Both 4-core nodes are full; the pending pod (priority 10) needs 2 cores.
  NodeView a = node("a", 4.0, 16 * kGiB);
  bind(a, pod(2.0, 0.0, 1), "a-low");
  bind(a, pod(2.0, 0.0, 5), "a-mid");
  NodeView b = node("b", 4.0, 16 * kGiB);
  bind(b, pod(2.0, 0.0, 3), "b1");
  bind(b, pod(2.0, 0.0, 3), "b2");
  const std::vector<NodeView> nodes = {b, a};
  // a: remove both, re-add a-mid (2 + 2 ≤ 4, reprieved), a-low no longer fits → {a-low}, max 1.
  // b: b1 reprieved, b2 victim → {b2}, max 3. Lowest max priority → a (index 1).
  const auto plan = plan_preemption(nodes, pod(2.0, 0.0, 10));
  REQUIRE(plan.has_value());
  CHECK(plan->node_index == 1u);
  CHECK(plan->victim_ids == std::vector<std::string>{"a-low"});
}

TEST_CASE("preemption: equal max priority, then fewest victims", "[k8s][scheduler]") {
  NodeView a = node("a", 4.0, 16 * kGiB);
  bind(a, pod(1.0, 0.0, 2), "a1");
  bind(a, pod(1.0, 0.0, 2), "a2");
  bind(a, pod(2.0, 0.0, 8), "a3");
  NodeView b = node("b", 4.0, 16 * kGiB);
  bind(b, pod(2.0, 0.0, 2), "b1");
  bind(b, pod(2.0, 0.0, 8), "b2");
  // a: a3 reprieved (2 + 2), a1 and a2 victims → max 2, 2 victims.
  // b: b2 reprieved, b1 victim → max 2, 1 victim → b.
  const auto plan = plan_preemption(std::vector{a, b}, pod(2.0, 0.0, 10));
  REQUIRE(plan.has_value());
  CHECK(plan->node_index == 1u);
  CHECK(plan->victim_ids == std::vector<std::string>{"b1"});
}

TEST_CASE("no preemption without lower-priority room", "[k8s][scheduler]") {
  NodeView a = node("a", 4.0, 16 * kGiB);
  bind(a, pod(4.0, 0.0, 20), "high");
  // Only higher-priority pods on the node: removing lower ones frees nothing.
  CHECK_FALSE(plan_preemption(std::vector{a}, pod(2.0, 0.0, 10)).has_value());
  NodeView b = node("b", 4.0, 16 * kGiB);
  bind(b, pod(4.0, 0.0, 0), "low");
  // Unresolvable: 8 cores exceed the node's whole allocatable.
  CHECK_FALSE(plan_preemption(std::vector{b}, pod(8.0, 0.0, 10)).has_value());
  PodView never = pod(2.0, 0.0, 10);
  never.may_preempt = false;  // preemptionPolicy: Never
  CHECK_FALSE(plan_preemption(std::vector{b}, never).has_value());
  CHECK(plan_preemption(std::vector{b}, pod(2.0, 0.0, 10))->victim_ids ==
        std::vector<std::string>{"low"});
}
