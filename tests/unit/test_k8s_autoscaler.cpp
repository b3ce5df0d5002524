// Unit tests for models/k8s/autoscaler: template bin-packing for scale-up, unneeded nodes,
// the 10 min timers and one-at-a-time drains (k/autoscaler cluster-autoscaler/FAQ.md).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/cluster_autoscaler.hpp"

using namespace dlsim::models::k8s;

namespace {

constexpr double kGiB = 1024.0 * kMiB;

CaConfig config(int min_size, int max_size) {
  CaConfig c;
  c.group.template_allocatable = {4.0, 16 * kGiB};
  c.group.min_size = min_size;
  c.group.max_size = max_size;
  return c;
}

UnschedulablePod pending(const std::string& id, double cpu, int priority = 0) {
  PodView p;
  p.cpu_request_cores = cpu;
  p.mem_request_bytes = 1 * kGiB;
  p.priority = priority;
  p.qos = QosClass::Burstable;
  return {id, p};
}

// A 4-core/16-GiB node with pods of the given CPU requests (1 GiB each).
NodeView node(const std::string& name, std::vector<double> pod_cpus) {
  NodeView n;
  n.name = name;
  n.allocatable = {4.0, 16 * kGiB};
  for (std::size_t i = 0; i < pod_cpus.size(); ++i) {
    n.requested.cpu_cores += pod_cpus[i];
    n.requested.mem_bytes += 1 * kGiB;
    n.non_zero_requested = n.requested;
    std::string id = name;  // "+=" sidesteps a GCC 12 -O3 -Wrestrict false positive
    id += "-p";
    id += std::to_string(i);
    n.pods.push_back({id, 0, pod_cpus[i], 1 * kGiB});
    ++n.pod_count;
  }
  return n;
}

std::vector<UnschedulablePod> five_pods() {
  std::vector<UnschedulablePod> pods;
  for (int i = 0; i < 5; ++i) {
    std::string id = "p";
    id += std::to_string(i);
    pods.push_back(pending(id, 1.5));
  }
  return pods;
}

}  // namespace

TEST_CASE("scale-up: number of template nodes by first-fit decreasing", "[k8s][autoscaler]") {
  const NodeGroupConfig group = config(0, 10).group;
  // 1.5-core pods on 4-core nodes: 2 per node (3 ≤ 4 < 4.5) → 5 pods need 3 nodes.
  const ScaleUpEstimate e = estimate_scale_up(five_pods(), group, {}, 10);
  CHECK(e.new_nodes == 3);
  CHECK(e.pods_on_new_nodes.size() == 5u);
  // Max size leaves room for 2 nodes: 4 pods helped, 1 not.
  const ScaleUpEstimate capped = estimate_scale_up(five_pods(), group, {}, 2);
  CHECK(capped.new_nodes == 2);
  CHECK(capped.pods_on_new_nodes.size() == 4u);
  CHECK(capped.pods_not_helped == std::vector<std::string>{"p4"});
  // A 5-core pod fits no template node: no scale-up.
  const ScaleUpEstimate huge = estimate_scale_up(std::vector{pending("big", 5.0)}, group, {}, 10);
  CHECK(huge.new_nodes == 0);
  CHECK(huge.pods_not_helped == std::vector<std::string>{"big"});
}

TEST_CASE("scale-up packs the largest pods first", "[k8s][autoscaler]") {
  const NodeGroupConfig group = config(0, 10).group;
  // Input order 1, 1, 3, 3 cores. First fit in that order needs 3 nodes ({1,1}, {3}, {3});
  // decreasing order 3, 3, 1, 1 gives {3,1}, {3,1} = 2 nodes.
  const std::vector<UnschedulablePod> pods = {pending("a", 1), pending("b", 1), pending("c", 3),
                                              pending("d", 3)};
  CHECK(estimate_scale_up(pods, group, {}, 10).new_nodes == 2);
  // One node already coming up absorbs four 1-core pods: nothing new to add.
  std::vector<NodeView> upcoming = {node("coming", {})};
  const std::vector<UnschedulablePod> small = {pending("a", 1), pending("b", 1), pending("c", 1),
                                               pending("d", 1)};
  const ScaleUpEstimate e = estimate_scale_up(small, group, upcoming, 10);
  CHECK(e.new_nodes == 0);
  CHECK(e.pods_on_upcoming_nodes.size() == 4u);
}

TEST_CASE("autoscaler step: scale-up respects max size and the priority cutoff",
          "[k8s][autoscaler]") {
  ClusterAutoscaler ca(config(1, 5));
  ClusterSnapshot s;
  s.nodes = {node("n1", {4}), node("n2", {4}), node("n3", {4})};  // full
  s.unschedulable = five_pods();
  // 3 nodes of max 5 → at most 2 new nodes; they take 4 of the 5 pods.
  const CaDecision d = ca.step(0.0, s);
  REQUIRE(d.scale_up.has_value());
  CHECK(d.scale_up->node_count == 2);
  CHECK(d.scale_up->helped_pod_ids.size() == 4u);
  CHECK(d.scale_downs.empty());
  // Expendable pods (priority < −10) never trigger a scale-up.
  ClusterAutoscaler ca2(config(1, 5));
  s.unschedulable = {pending("pause", 1.0, -20)};
  CHECK_FALSE(ca2.step(0.0, s).scale_up.has_value());
}

TEST_CASE("utilization and unneeded nodes", "[k8s][autoscaler]") {
  CHECK(node_utilization(node("n", {2})) == Approx(0.5));  // max(2/4, 1/16)
  const CaConfig cfg = config(0, 10);
  // n1 at 0.75 is needed; n2 (0.25) moves its 1-core pod to n1 (3 + 1 ≤ 4); n3 is empty.
  const std::vector<NodeView> nodes = {node("n1", {3}), node("n2", {1}), node("n3", {})};
  CHECK(find_unneeded_nodes(nodes, {}, cfg) == std::vector<std::size_t>{1, 2});
  // n2 (1.5/4 = 0.375) has a 1.5-core pod that fits nowhere else (n1 has 1 core free).
  const std::vector<NodeView> stuck = {node("n1", {3}), node("n2", {1.5})};
  CHECK(find_unneeded_nodes(stuck, {}, cfg).empty());
  // … unless a fixed node outside the group can take it.
  const std::vector<NodeView> fixed = {node("static", {})};
  CHECK(find_unneeded_nodes(stuck, fixed, cfg) == std::vector<std::size_t>{1});
  // Exactly at the threshold is not below it: 2/4 = 0.5 is needed even with room elsewhere.
  CHECK(find_unneeded_nodes(std::vector{node("n1", {2}), node("n2", {})}, {}, cfg) ==
        std::vector<std::size_t>{1});
}

TEST_CASE("scale-down after 10 min unneeded and 10 min after a scale-up", "[k8s][autoscaler]") {
  ClusterAutoscaler ca(config(1, 5));
  ClusterSnapshot s;
  s.nodes = {node("n1", {3}), node("n2", {1}), node("n3", {})};
  CHECK(ca.step(0.0, s).scale_downs.empty());  // n2 and n3 unneeded since 0
  CHECK(ca.unneeded_since().at("n2") == Approx(0.0));
  ClusterSnapshot with_pending = s;
  with_pending.unschedulable = {pending("new", 4.0)};  // fits only an empty template node
  const CaDecision up = ca.step(300.0, with_pending);
  REQUIRE(up.scale_up.has_value());
  CHECK(up.scale_up->node_count == 1);
  // 10 min unneeded at t = 600, but the scale-up at 300 blocks scale-down until 900.
  CHECK(ca.step(600.0, s).scale_downs.empty());
  CHECK(ca.unneeded_since().at("n2") == Approx(0.0));  // the timer kept running
  CHECK(ca.step(890.0, s).scale_downs.empty());
  const CaDecision d = ca.step(900.0, s);
  // Non-empty n2 (one drain) and empty n3; 3 → 1 node = min size.
  REQUIRE(d.scale_downs.size() == 2u);
  CHECK(d.scale_downs[0].node_name == "n2");
  CHECK(d.scale_downs[0].pods_to_evict == std::vector<std::string>{"n2-p0"});
  CHECK(d.scale_downs[1].node_name == "n3");
  CHECK(d.scale_downs[1].pods_to_evict.empty());
}

TEST_CASE("scale-down respects the group's min size", "[k8s][autoscaler]") {
  ClusterAutoscaler ca(config(2, 5));
  ClusterSnapshot s;
  s.nodes = {node("n1", {3}), node("n2", {1}), node("n3", {})};
  ca.step(0.0, s);
  CHECK(ca.step(599.0, s).scale_downs.empty());  // 599 s < 10 min
  const CaDecision d = ca.step(600.0, s);
  REQUIRE(d.scale_downs.size() == 1u);  // 3 nodes, min 2: one removal only
  CHECK(d.scale_downs[0].node_name == "n2");
}

TEST_CASE("one drain at a time, 3 min pause after a failure", "[k8s][autoscaler]") {
  ClusterAutoscaler ca(config(1, 5));
  ClusterSnapshot s;
  // n1 at 0.5 is not below the threshold; n2's and n4's 1-core pods both fit on n1.
  s.nodes = {node("n1", {2}), node("n2", {1}), node("n4", {1})};
  ca.step(0.0, s);
  const CaDecision first = ca.step(600.0, s);
  REQUIRE(first.scale_downs.size() == 1u);
  CHECK(first.scale_downs[0].node_name == "n2");
  CHECK(ca.step(610.0, s).scale_downs.empty());  // n2 still draining: n4 waits
  ca.report_scale_down_failure(615.0, "n2");
  CHECK(ca.step(620.0, s).scale_downs.empty());          // failure pause until 795
  CHECK(ca.unneeded_since().at("n2") == Approx(620.0));  // n2 starts a new 10 min
  CHECK(ca.step(790.0, s).scale_downs.empty());
  const CaDecision second = ca.step(800.0, s);
  REQUIRE(second.scale_downs.size() == 1u);
  CHECK(second.scale_downs[0].node_name == "n4");  // unneeded since 0
}
