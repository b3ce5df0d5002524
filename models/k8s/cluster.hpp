// The cluster: node pools as SimGrid hosts, pods placed by the scheduler (scheduler.hpp) and
// run as VMs bound to their CPU limit (docs/design.md §2, §3.1), pod termination and replacement.
// What monitoring shows of it (per-pod, per-node and per-pool samples, the summary figures)
// is its ClusterMonitor's (cluster_monitor.hpp).
//
// Scheduling queue (k/k pkg/scheduler/schedule_one.go; kubernetes.io pod-priority-preemption): a
// new pod is tried at once; a pod that fits nowhere stays Pending (one Unschedulable event) and is
// retried, in priority order then FIFO, on every cluster event that frees or adds room (a pod gone,
// a node added or Ready). If preemption can make room, the victims get their grace period and the
// pod binds when they are gone. A pod ends Succeeded, Failed (evicted, preempted, drained,
// container failed with restartPolicy Never) or Absent (deleted); its owner decides what follows:
// by default the ReplicaSet behaviour, a replacement in the same slot.
//
// Every change of cluster state runs as one exclusive operation: SimGrid lets other actors
// run while an actor is in a simcall (creating or destroying a VM, cancelling an exec), so an
// operation requested meanwhile (by another actor, or by an owner's hook) is queued and runs
// when the current one has finished, at the same simulated time.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/k8s/cluster_monitor.hpp"
#include "models/k8s/kubelet.hpp"
#include "models/k8s/pod.hpp"
#include "models/k8s/scheduler.hpp"
#include "scenario/scenario.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::k8s {

enum class NodeState {
  Absent,        // a pre-created host of an autoscaled pool, not part of the cluster
  Provisioning,  // requested from the cloud, not registered yet
  Ready,
  NotReady,  // memory exhausted (see kubelet.hpp): NoSchedule until Ready again
};

struct Node {
  std::string name;
  std::string pool;
  sim::Host* host = nullptr;
  CpuMem capacity;
  CpuMem allocatable;
  CpuMem requested;
  CpuMem non_zero_requested;
  int max_pods = kDefaultMaxPods;
  std::vector<std::size_t> pods;  // bound pods, indices into Cluster::pods()
  double price_per_hour = 0;
  // Working set of the kubelet, runtime and OS. Assumption: what the pool reserves for them
  // (kube-reserved + system-reserved); 0 when nothing is reserved.
  double system_mem_bytes = 0;
  double eviction_hard_bytes = kDefaultEvictionHardMemoryBytes;
  NodeState state = NodeState::Ready;
  bool cordoned = false;   // being drained by the cluster autoscaler
  bool dedicated = false;  // only pods selecting its pool run here (NodeView::dedicated)
  double not_ready_since_s = -1;
  // MemoryPressure condition (kubelet.hpp): set by a kubelet check below the threshold,
  // cleared once no check has seen pressure for kPressureTransitionS.
  bool memory_pressure = false;
  double pressure_observed_s = -1;  // last check that saw memory.available < threshold
  double in_cluster_since_s = -1;   // for node-hours
  double node_seconds = 0;          // time in the cluster before the current stay
  bool ever_in_cluster = false;
  // ∫ requested.cpu_cores dt up to requested_since_s (core-hours accounting).
  double requested_core_seconds = 0;
  double requested_since_s = 0;

  // Adds the requests held since the last change; call before requested changes.
  void account_requested(double now_s) {
    requested_core_seconds += requested.cpu_cores * (now_s - requested_since_s);
    requested_since_s = now_s;
  }
};

// Why a pod ended.
enum class PodEndReason { Succeeded, ContainerFailed, Evicted, Preempted, Drained, Deleted };
std::string_view to_string(PodEndReason reason);

class Cluster : public PodListener {
 public:
  // `control_plane` hosts controllers and pods' process actors; default: the first node's host.
  Cluster(sim::ModelContext& ctx, SchedulerConfig scheduler, sim::Host* control_plane = nullptr);

  // Adds a node backed by an existing host. Absent (out of the cluster until provision_node())
  // if `in_cluster` says so or, by default, once the pool already has `count` nodes:
  // autoscaled pools pre-create their hosts because the platform is sealed.
  std::size_t add_node(const scenario::NodePoolSpec& pool, const std::string& name, sim::Host* host,
                       std::optional<bool> in_cluster = std::nullopt);
  void mark_provisioning(std::size_t node);  // Absent → Provisioning
  void provision_node(std::size_t node);     // → Ready, NodeAdded; pending pods retried
  void cordon(std::size_t node);             // no new pods (scale-down drain)
  void remove_node(std::size_t node);        // must hold no pods; → Absent, NodeRemoved
  void set_node_ready(std::size_t node, bool ready, const std::string& detail);
  // Taints every node of `pool` for the pods that select it alone (call before pods exist).
  void dedicate_pool(const std::string& pool) {
    for (Node& n : nodes_) n.dedicated = n.dedicated || n.pool == pool;
  }

  // Runs `op` as one exclusive operation (now, or after the one in progress). Controllers
  // that read the cluster and act on it run their step through this; the operations they
  // request meanwhile run when it ends.
  void run_exclusive(std::function<void()> op);

  // Creates a pod (started now: Pending, then scheduled if a node fits), or an Absent slot.
  std::size_t create_pod(const PodSpec& spec, bool start = true);
  // The Deployment shorthand used by the engine for Rucio services.
  std::size_t create_pod(const std::string& name, const std::string& service,
                         const ContainerResources& resources, double base_memory_bytes,
                         int priority = 0);
  // Absent or finished → Pending → scheduled if a node fits (a new pod in the slot).
  void start_pod(std::size_t pod);
  // Ends a pod after `grace_s` (it keeps running meanwhile; 0 = now). Bound or Pending.
  void delete_pod(std::size_t pod, PodEndReason reason, double grace_s);
  // The pod's container exited 0 (Job pods): Succeeded now.
  void complete_pod(std::size_t pod);
  // Kubelet eviction: Evicted event, the pod ends now (0 s grace for hard thresholds).
  void evict_pod(std::size_t pod, const std::string& detail);

  using EndHook = std::function<void(Pod&, PodEndReason)>;
  // Called when the pod ends, after it left its node. Without a hook the pod is replaced in
  // its slot (ReplicaSet) unless it was deleted or succeeded.
  void set_end_hook(std::size_t pod, EndHook hook);

  Pod& pod(std::size_t i) { return *pods_[i]; }
  const std::vector<std::unique_ptr<Pod>>& pods() const { return pods_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  Node& node(std::size_t i) { return nodes_[i]; }
  sim::Host* control_plane() const { return control_plane_; }
  sim::ModelContext& context() { return ctx_; }
  const SchedulerConfig& scheduler() const { return scheduler_; }
  // Pending pods the scheduler found no room for (cluster autoscaler input).
  std::vector<std::size_t> unschedulable_pods() const;
  bool terminating(std::size_t pod) const { return terminating_.contains(pod); }
  // Scheduler view of node i, with its pods when `with_pods` (preemption, autoscaler).
  NodeView node_view(std::size_t i, bool with_pods) const;
  PodView pod_view(const Pod& p) const;

  // The kubelets' node-pressure loop (kubelet.hpp); call once before the engine runs.
  void start_kubelets() { kubelet_.start(); }

  // The monitoring tick (every sample_interval): destroys the VMs of pods that ended before
  // now, then the monitor records one sample of every pod, node and pool.
  void sample(double interval_s);
  // The samples taken and the summary figures built from them.
  const ClusterMonitor& monitor() const { return monitor_; }

  // PodListener.
  void memory_changed(Pod& pod, double delta_bytes) override;
  void container_failed(Pod& pod, const std::string& reason) override;

 private:
  friend class Kubelet;         // runs its checks as exclusive operations, with the *_now calls
  friend class ClusterMonitor;  // reads the scheduling queue (pending pods)

  void schedule_new(std::size_t pod_index);
  bool try_schedule(std::size_t pod_index, std::vector<NodeView>& views);
  void bind(std::size_t pod_index, std::size_t node_index);
  bool try_preempt(std::size_t pod_index);
  void retry_pending();
  void end_pod(std::size_t pod_index, PodEndReason reason);
  void evict_now(std::size_t pod_index, const std::string& detail);
  void delete_now(std::size_t pod_index, PodEndReason reason, double grace_s);
  void node_ready_now(std::size_t node, bool ready, const std::string& detail);
  std::vector<NodeView> node_views() const;
  void release(Node& node, const Pod& pod);
  void leave_cluster(Node& node);

  sim::ModelContext& ctx_;
  SchedulerConfig scheduler_;
  sim::Host* control_plane_;
  std::vector<Node> nodes_;
  std::vector<std::unique_ptr<Pod>> pods_;
  // VMs of ended pods with the date they ended, destroyed at the next sample after it.
  std::vector<std::pair<sim::VirtualMachine*, double>> retired_vms_;
  std::map<std::string, int> vm_serials_;  // VMs created so far per pod name
  void destroy_retired_vms();
  std::vector<EndHook> end_hooks_;
  std::vector<std::uint64_t> queue_seq_;     // position in the scheduling queue
  std::vector<std::uint64_t> delete_epoch_;  // voids the timers of earlier deletions
  std::uint64_t next_seq_ = 0;
  std::vector<std::size_t> pending_;
  std::set<std::size_t> unschedulable_;
  std::map<std::size_t, std::set<std::size_t>> victims_of_;  // preemptor → victims leaving
  // Preemptor → its nominated node: pods of lower or equal priority see the preemptor's
  // requests there as taken (nominatedNodeName; the scheduler's addNominatedPods).
  std::map<std::size_t, std::size_t> nominated_;
  std::set<std::size_t> terminating_;
  bool busy_ = false;
  std::deque<std::function<void()>> deferred_;
  bool retrying_ = false;  // retry_pending() is running: a nested call only asks for a rerun
  bool retry_again_ = false;
  Kubelet kubelet_;
  ClusterMonitor monitor_;  // after kubelet_: declares its series after the kubelet's
};

}  // namespace dlsim::models::k8s
