// Spot interruptions: the cloud reclaims a spot node with a two-minute notice (AWS EC2 "Spot
// Instance interruption notices": the warning comes two minutes before the instance is
// stopped or terminated; the AWS Node Termination Handler or Karpenter then cordons and
// drains the node). For each node pool with capacity_type spot and an interruption rate:
//
// - Interruptions: each node in the cluster is reclaimed at random, a Poisson process of
//   `rate_per_node_hour` per node (assumption: the rate is a scenario parameter; AWS's Spot
//   Instance Advisor publishes only bands of "frequency of interruption" per month). Drawn
//   for the pool at rate × its hosts and thinned to the nodes in the cluster.
// - Notice (event SpotInterruption): the node is cordoned and its pods are deleted with
//   their grace period, at most the 120 s notice (PodEndReason::Drained); their owners
//   replace them elsewhere.
// - At the end of the notice the instance is gone: pods still there end, the node leaves
//   the cluster (NodeRemoved) and its node-hours stop.
// - Replacement: the cloud's node group keeps its desired size (an Auto Scaling group
//   launches a new instance for a reclaimed one): the same host comes back after the
//   pool's provisioning delay (NodeAdded), as a Cluster Autoscaler scale-up would.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/k8s/cluster.hpp"

namespace dlsim::models::k8s {

// The notice an interrupted spot instance gets, 120 s (AWS EC2 spot interruption notice).
inline constexpr double kSpotNoticeS = 120.0;

struct SpotPoolSetup {
  std::string pool;
  double rate_per_node_hour = 0;  // interruptions per node per hour in the cluster
  double provisioning_delay_s = 0;
};

class SpotInterruptions {
 public:
  SpotInterruptions(Cluster& cluster, std::vector<SpotPoolSetup> pools);

  // One actor per pool on the control plane.
  void start();

 private:
  void run(const SpotPoolSetup& setup);
  void interrupt(const SpotPoolSetup& setup, std::size_t node);
  void reclaim(const SpotPoolSetup& setup, std::size_t node);

  Cluster& cluster_;
  std::vector<SpotPoolSetup> pools_;
  std::vector<bool> interrupted_;  // per node of the cluster: notice given, not yet back
};

}  // namespace dlsim::models::k8s
