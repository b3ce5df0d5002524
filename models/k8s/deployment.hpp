// A Deployment (its ReplicaSet): `replicas` pods from one template in a fixed set of slots,
// each replaced in its slot when it fails (the Cluster's default end hook), scaled up and
// down by an autoscaler (kubernetes.io horizontal-pod-autoscale; k/k pkg/controller/replicaset).
//
// Scale-down deletes Pending pods first, then the highest slots (ReplicaSet's getPodsToDelete
// ranks unassigned pods first; among the rest we take the newest slot), with their grace
// period. A rolling restart (`kubectl rollout restart`) replaces the pods one slot at a time
// with maxSurge 0 and maxUnavailable 1: delete (grace period), recreate in the slot, wait
// until it runs, next slot. Not modelled: surge pods, revision history.
#pragma once

#include <string>
#include <vector>

#include "models/k8s/cluster.hpp"

namespace dlsim::models::k8s {

class Deployment {
 public:
  // Adopts pod slots created by the caller; the pods not Absent are its replicas.
  Deployment(Cluster& cluster, std::string name, std::vector<std::size_t> slots);

  const std::string& name() const { return name_; }
  // Desired replicas (pods not Absent and not terminating).
  int replicas() const;
  int max_replicas() const { return static_cast<int>(slots_.size()); }
  // Pods whose container runs.
  int running_pods() const;
  const std::vector<std::size_t>& slots() const { return slots_; }

  // Sets the desired replicas (clamped to the slots); emits ScaledUp/ScaledDown with `why`.
  void scale(int replicas, const std::string& why);
  // Replaces every active pod, one at a time; blocks the calling actor until done.
  // Emits RolloutRestart at the start and RolloutComplete at the end.
  void rolling_restart();

 private:
  bool active(std::size_t slot) const;

  Cluster& cluster_;
  std::string name_;
  std::vector<std::size_t> slots_;
};

}  // namespace dlsim::models::k8s
