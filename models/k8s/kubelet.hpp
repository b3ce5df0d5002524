// What happens on a node when its memory runs out (kubernetes.io node-pressure-eviction, pod-qos),
// for every node of the cluster in one actor (one cheap check per node
// every 10 s).
//
// - Kubelet eviction (node-pressure-eviction page; eviction_manager.go): every 10 s,
//   memory.available = capacity − Σ pods' working sets − the system's working set; below the
//   hard threshold (100 Mi) the first pod of eviction_order() is evicted (at most one per
//   cycle, 0 s grace) and its controller replaces it elsewhere.
// - MemoryPressure condition (node-pressure-eviction page, "Node conditions"; k/k
//   pkg/kubelet/nodestatus/setters.go MemoryPressureCondition): a check that finds
//   memory.available below the threshold sets it (event NodeHasInsufficientMemory); it is
//   cleared (NodeHasSufficientMemory) at the first check at least
//   eviction-pressure-transition-period (5 min) after the last check that saw pressure
//   (eviction_manager.go synchronize, nodeConditionsLastObservedAt). While it is set,
//   BestEffort pods are not scheduled there (the memory-pressure NoSchedule taint) nor
//   admitted by the kubelet (eviction_manager.go Admit: "admit if not best-effort").
// - Kernel node OOM: when the non-reclaimable memory of the node's containers plus the system's
//   exceeds physical RAM between two kubelet checks, the kernel kills the container with the
//   highest oom_score (node_oom_victim()), repeatedly until it fits. The container restarts
//   according to its restartPolicy, as after a cgroup OOM kill.
// - NotReady (our rule, after kubernetes.io
// node-pressure-eviction): a node
//   whose RAM was exhausted — a kernel node OOM kill happened — is one where the kubelet and
//   the runtime were starved too; it is marked NotReady at that moment (event NodeNotReady:
//   the NoSchedule taint keeps new pods away) and Ready again at the first kubelet check that
//   finds memory.available at or above the eviction threshold. A node NotReady for 300 s
//   (the default tolerationSeconds of the not-ready NoExecute taint, DefaultTolerationSeconds
//   admission plugin) has all its pods evicted by the node lifecycle controller.
// Assumption: the system's working set is the memory the pool reserves (kube-reserved +
// system-reserved).
#pragma once

#include <cstddef>

namespace dlsim::models::k8s {

class Cluster;

// tolerationSeconds of node.kubernetes.io/not-ready:NoExecute added to every pod by the
// DefaultTolerationSeconds admission plugin: 300 s.
inline constexpr double kNotReadyTolerationS = 300.0;
// --eviction-pressure-transition-period default 5 min (kubernetes.io node-pressure-eviction).
inline constexpr double kPressureTransitionS = 300.0;

class Kubelet {
 public:
  explicit Kubelet(Cluster& cluster) : cluster_(cluster) {}

  // Starts the eviction loop on the control plane (first check at t = 10 s).
  void start();
  // A container on `node` holds more memory than before: kernel node OOM if RAM is exceeded.
  // Called inside a cluster operation (Cluster::memory_changed).
  void memory_grew(std::size_t node);

 private:
  void check(std::size_t node);
  // The MemoryPressure condition after a check that did or did not see pressure.
  void update_pressure(std::size_t node, bool pressure, double available_bytes);
  double non_reclaimable_bytes(std::size_t node) const;

  Cluster& cluster_;
};

}  // namespace dlsim::models::k8s
