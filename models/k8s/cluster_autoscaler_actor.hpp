// The Cluster Autoscaler as an actor: every scan interval (10 s) each autoscaled node pool
// (a node group) is shown to cluster_autoscaler.hpp's decision logic; scale-ups take pre-created
// hosts of the pool that are not in the cluster and register them after the provisioning delay
// (SimGrid cannot add hosts once the platform is sealed), scale-downs drain a node (its pods
// evicted with at most max_graceful_termination) and remove it when it is empty
// (k/autoscaler cluster-autoscaler/FAQ.md).
//
// Several autoscaled pools are scanned in name order and the pods a scale-up helps are not
// shown to the pools after it (the "priority" expander with pools ranked by name, instead of
// CA's default "random"). A pool's nodes that are NotReady count as capacity coming up.
#pragma once

#include <string>
#include <vector>

#include "models/k8s/cluster.hpp"
#include "models/k8s/cluster_autoscaler.hpp"

namespace dlsim::models::k8s {

struct NodeGroupSetup {
  std::string pool;
  double provisioning_delay_s = 0;
  CaConfig ca;  // group.min_size/max_size and the CA's timings
};

class NodeAutoscaler {
 public:
  NodeAutoscaler(Cluster& cluster, std::vector<NodeGroupSetup> groups,
                 double scan_interval_s = kCaScanIntervalS);

  // Starts the scan loop on the control plane; the first scan is one interval after t = 0.
  void start();

 private:
  struct Group {
    NodeGroupSetup setup;
    ClusterAutoscaler ca;
    std::vector<std::size_t> nodes;  // all nodes of the pool, in or out of the cluster
  };

  void scan();
  std::vector<std::string> scale_up(Group& g, int count, std::size_t pods);
  void drain(Group& g, const ScaleDown& sd);
  void finish_drains(Group& g);

  Cluster& cluster_;
  std::vector<Group> groups_;
  double scan_interval_s_;
};

}  // namespace dlsim::models::k8s
