// kube-scheduler placement of one pending pod: the NodeResourcesFit filter, the
// NodeResourcesFit and NodeResourcesBalancedAllocation scores, random tie-breaking and
// preemption (k/k pkg/scheduler/schedule_one.go; kubernetes.io pod-priority-preemption).
//
// Sources: k/k pkg/scheduler/framework/plugins/noderesources/{fit,least_allocated,
// most_allocated,requested_to_capacity_ratio,balanced_allocation}.go, schedule_one.go
// (selectHost), framework/preemption; k/website pod-priority-preemption.md.
// Scores use the scheduler's integer arithmetic on millicores and bytes.
// Not modelled: affinities, taints (other than NotReady), topology spread, image locality,
// PodDisruptionBudgets, percentageOfNodesToScore (all nodes are scored).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/k8s/resources.hpp"
#include "scenario/k8s.hpp"

namespace dlsim::models::k8s {

// kubelet maxPods default (kubelet config reference).
inline constexpr int kDefaultMaxPods = 110;
// Every score plugin returns 0..MaxNodeScore (k/k framework interface.go).
inline constexpr std::int64_t kMaxNodeScore = 100;
// Shape scores of RequestedToCapacityRatio are 0..MaxCustomPriorityScore = 10
// (k/k pkg/scheduler/apis/config/types.go).
inline constexpr std::int64_t kMaxCustomPriorityScore = 10;

// The scoring strategy is a scenario key (scenario/k8s.hpp); the scheduler uses its names.
using scenario::parse_scoring_strategy;
using scenario::ScoringStrategy;
using scenario::to_string;

// A RequestedToCapacityRatio shape point: utilization 0..100 (%) → score 0..10; the scorer
// scales the scores ×10 before interpolating (requested_to_capacity_ratio.go#L87).
struct ShapePoint {
  std::int64_t utilization_percent = 0;
  std::int64_t score = 0;
};

// Our default RTCR shape {0→0, 100→10}; see SchedulerConfig::rtcr_shape.
std::vector<ShapePoint> default_rtcr_shape();

struct SchedulerConfig {
  // Default: LeastAllocated (SetDefaults_NodeResourcesFitArgs, k/k apis/config/v1/defaults.go).
  ScoringStrategy strategy = ScoringStrategy::LeastAllocated;
  // Resource weights inside the Fit score. Default: cpu 1, memory 1 (same file).
  std::int64_t cpu_weight = 1;
  std::int64_t mem_weight = 1;
  // RTCR shape, sorted by utilization. Kubernetes has no default shape; ours is
  // {0→0, 100→10}: score rises with utilization, i.e. MostAllocated-like packing.
  std::vector<ShapePoint> rtcr_shape = default_rtcr_shape();
  // Plugin weights: NodeResourcesFit 1, NodeResourcesBalancedAllocation 1
  // (k/k pkg/scheduler/apis/config/v1/default_plugins.go).
  std::int64_t fit_plugin_weight = 1;
  std::int64_t balanced_plugin_weight = 1;
};

// A pod already bound to a node, as preemption sees it.
struct PodOnNode {
  std::string id;
  int priority = 0;
  double cpu_request_cores = 0.0;  // real request (unset = 0)
  double mem_request_bytes = 0.0;  // real request (unset = 0)
};

// What the scheduler knows about a node. `requested` and `non_zero_requested` are sums over
// the pods bound to the node (real requests; requests with unset → 100 m / 200 MiB).
struct NodeView {
  std::string name;
  CpuMem allocatable;
  CpuMem requested;
  CpuMem non_zero_requested;
  int pod_count = 0;
  int max_pods = kDefaultMaxPods;
  bool ready = true;  // NotReady nodes carry a NoSchedule taint: never feasible.
  // The node's pool, and whether the pool is dedicated (a NoSchedule taint that only the
  // pods selecting the pool tolerate: the "dedicated nodes" use of taints, k/website
  // concepts/scheduling-eviction/taint-and-toleration.md).
  std::string pool;
  bool dedicated = false;
  // MemoryPressure condition (kubelet.hpp): its NoSchedule taint keeps BestEffort pods away,
  // and the kubelet's admission rejects them (eviction_manager.go, Admit).
  bool memory_pressure = false;
  std::vector<PodOnNode> pods;  // needed by plan_preemption() and the cluster autoscaler only
};

// The pending pod. Requests are pod-level sums (see pod_requests()); nullopt = unset.
struct PodView {
  std::optional<double> cpu_request_cores;
  std::optional<double> mem_request_bytes;
  int priority = 0;
  QosClass qos = QosClass::BestEffort;
  bool may_preempt = true;  // false for preemptionPolicy: Never
  // nodeSelector on the node pool (and the toleration of its dedicated taint); unset: any.
  std::optional<std::string> node_pool;
  // Per-container non-zero requests summed (non_zero_requests()); nullopt = one container
  // with the pod-level requests above, as every dlsim pod has.
  std::optional<CpuMem> non_zero_request;
};

// The pod's requests as the Fit score counts them: `non_zero_request` if set, else the
// defaults applied to its single container.
CpuMem non_zero_request(const PodView& pod);

// k/k schedule_one.go: node ready, pod count + 1 ≤ maxPods, each positive request ≤ A − U.
bool feasible(const NodeView& node, const PodView& pod);

// k/k noderesources score plugins NodeResourcesFit score (0..100) for the configured strategy.
std::int64_t score_fit(const NodeView& node, const PodView& pod, const SchedulerConfig& config);

// k/k noderesources score plugins NodeResourcesBalancedAllocation score (0..100); 0 for BestEffort
// pods (skipped).
std::int64_t score_balanced(const NodeView& node, const PodView& pod);

// fit_plugin_weight·score_fit + balanced_plugin_weight·score_balanced.
std::int64_t score_total(const NodeView& node, const PodView& pod, const SchedulerConfig& config);

// Piecewise-linear shape function of RTCR (helper.BuildBrokenLinearFunction), integer.
std::int64_t broken_linear(std::span<const ShapePoint> shape, std::int64_t utilization_percent);

// Index of the feasible node with the highest total score; ties broken uniformly at random
// from `rng` (one draw, only when several nodes tie). nullopt if no node is feasible.
std::optional<std::size_t> select_node(std::span<const NodeView> nodes, const PodView& pod,
                                       const SchedulerConfig& config, std::mt19937_64& rng);

struct PreemptionPlan {
  std::size_t node_index = 0;
  std::vector<std::string> victim_ids;  // pods to terminate (graceful, 30 s default)
};

// k/k schedule_one.go. Among infeasible nodes where removing every lower-priority pod lets the pod
// fit, the victim set is minimised as in selectVictimsOnNode (all lower-priority pods removed, then
// re-added highest priority first while the pod still fits); the node chosen has the lowest
// highest-victim priority, then the fewest victims, then the lowest index.
std::optional<PreemptionPlan> plan_preemption(std::span<const NodeView> nodes, const PodView& pod);

}  // namespace dlsim::models::k8s
