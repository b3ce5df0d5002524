// Cluster Autoscaler decisions for one node group, one scan per step
// (k/autoscaler cluster-autoscaler/FAQ.md).
//
// Sources: k/autoscaler cluster-autoscaler/FAQ.md (scan 10 s, expendable cutoff −10,
// utilization threshold 0.5, unneeded 10 min, delay after add 10 min, after failure 3 min,
// max-empty-bulk-delete 10, max-node-provision-time 15 min, max-graceful-termination 600 s);
// estimator/binpacking_estimator.go (pods sorted by cpu/alloc + mem/alloc, decreasing);
// core/static_autoscaler.go (no scale-down in a loop that scaled up).
// Engine-side (constants exposed here): provisioning delay, abandoning nodes not registered
// after max_node_provision_time_s, draining within max_graceful_termination_s.
// Not modelled: several node groups and expanders, PDBs, pods that block scale-down
// (local storage, kube-system), unready-node removal (scale-down-unready-time).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "models/k8s/resources.hpp"
#include "models/k8s/scheduler.hpp"

namespace dlsim::models::k8s {

// --scan-interval = 10 s (CA FAQ).
inline constexpr double kCaScanIntervalS = 10.0;

struct NodeGroupConfig {
  CpuMem template_allocatable;              // allocatable of a new node (node_allocatable())
  int template_max_pods = kDefaultMaxPods;  // Default: 110, kubelet maxPods
  int min_size = 0;                         // Default: 0 (node group spec)
  int max_size = 0;                         // Required (node group spec)
};

struct CaConfig {
  NodeGroupConfig group;
  double scale_down_utilization_threshold = 0.5;    // Default: 0.5 (CA FAQ)
  double scale_down_unneeded_time_s = 600.0;        // Default: 10 min (CA FAQ)
  double scale_down_delay_after_add_s = 600.0;      // Default: 10 min (CA FAQ)
  double scale_down_delay_after_failure_s = 180.0;  // Default: 3 min (CA FAQ)
  int max_empty_bulk_delete = 10;                   // Default: 10 (CA FAQ)
  int expendable_pods_priority_cutoff = -10;        // Default: −10 (CA FAQ)
  double max_node_provision_time_s = 900.0;         // Default: 15 min (CA FAQ); engine-side
  double max_graceful_termination_s = 600.0;        // Default: 600 s (CA FAQ); engine-side
};

// A pod the scheduler marked PodScheduled=False/Unschedulable.
struct UnschedulablePod {
  std::string id;
  PodView pod;
};

// Template-node bin-packing result (first-fit decreasing).
struct ScaleUpEstimate {
  int new_nodes = 0;
  std::vector<std::string> pods_on_new_nodes;
  std::vector<std::string> pods_on_upcoming_nodes;  // absorbed by capacity already coming
  std::vector<std::string> pods_not_helped;         // too big for a template node, or max size hit
};

// Packs `pods` onto `upcoming` (nodes coming up; filled first) then onto up to max_new_nodes
// empty template nodes. Pods are taken in decreasing cpu/alloc + mem/alloc order.
ScaleUpEstimate estimate_scale_up(std::span<const UnschedulablePod> pods,
                                  const NodeGroupConfig& group, std::vector<NodeView> upcoming,
                                  int max_new_nodes);

// max(Σ cpu requests / cpu allocatable, Σ mem requests / mem allocatable).
double node_utilization(const NodeView& node);

// Indices of `nodes` that are unneeded now: Ready, utilization < threshold, and every pod
// (except expendable ones) fits on the other nodes or `fixed_nodes` (simulated with the
// scheduler filter). Nodes are taken in order; pods of a node found unneeded stay placed on
// their targets, and that node is no target for later ones (as the CA planner does).
std::vector<std::size_t> find_unneeded_nodes(std::span<const NodeView> nodes,
                                             std::span<const NodeView> fixed_nodes,
                                             const CaConfig& config);

// Everything the CA sees in one scan.
struct ClusterSnapshot {
  std::vector<NodeView> nodes;        // registered nodes of the group (Ready or not)
  std::vector<NodeView> fixed_nodes;  // other nodes: may receive pods, never removed
  int upcoming_nodes = 0;             // requested from the cloud, not registered yet
  std::vector<UnschedulablePod> unschedulable;
};

struct ScaleUp {
  int node_count = 0;
  std::vector<std::string> helped_pod_ids;
};

struct ScaleDown {
  std::string node_name;
  std::vector<std::string> pods_to_evict;  // empty for an empty node
};

struct CaDecision {
  std::optional<ScaleUp> scale_up;
  std::vector<ScaleDown> scale_downs;
};

class ClusterAutoscaler {
 public:
  explicit ClusterAutoscaler(CaConfig config);

  // One scan at now_s (call every kCaScanIntervalS). A node returned for scale-down is
  // considered "being deleted" until it disappears from the snapshot or a failure is reported.
  CaDecision step(double now_s, const ClusterSnapshot& snapshot);

  // The drain or deletion of node_name failed: it is a candidate again after the 3 min pause.
  void report_scale_down_failure(double now_s, const std::string& node_name);

  // Node name → time since which it has been continuously unneeded.
  const std::map<std::string, double>& unneeded_since() const { return unneeded_since_; }
  const CaConfig& config() const { return config_; }

 private:
  std::optional<ScaleUp> plan_scale_up(const ClusterSnapshot& snapshot);
  void update_unneeded(double now_s, const ClusterSnapshot& snapshot);
  std::vector<ScaleDown> plan_scale_down(double now_s, const ClusterSnapshot& snapshot);
  bool in_cooldown(double now_s) const;

  CaConfig config_;
  std::map<std::string, double> unneeded_since_;
  std::set<std::string> being_deleted_;
  std::set<std::string> draining_;  // non-empty nodes being deleted (one at a time)
  std::optional<double> last_scale_up_s_;
  std::optional<double> last_failure_s_;
};

}  // namespace dlsim::models::k8s
