// What a scenario asks of the cluster beyond its Rucio pods, built and started in one place:
// the kubelets' node-pressure loop, batch Jobs and vacuum pools (batch.*), the Cluster
// Autoscaler over the pools that have a `max`, and the HPA/KEDA of autoscaled services.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/cluster.hpp"
#include "models/k8s/cluster_autoscaler_actor.hpp"
#include "models/k8s/deployment.hpp"
#include "models/k8s/hpa_actor.hpp"
#include "models/k8s/job.hpp"
#include "models/k8s/spot.hpp"
#include "models/k8s/vacuum.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::models::k8s {

class ClusterControllers {
 public:
  ClusterControllers(Cluster& cluster, const scenario::Scenario& s);

  // An autoscaled service whose `replicas` pods the caller created (named <service>-<i>):
  // adds Absent slots up to autoscaling.max to `pods` and an HPA or KEDA on them. `metric`
  // reads the external metric: a table's rows, FTS's queued transfers or REST call rate, or
  // the server's latency percentile over the period (unused for cpu). `node_pool`: the pool
  // the slots' pods select (the FTS pool), none for Rucio's services.
  void autoscale(const scenario::ServiceSpec& svc, std::vector<Pod*>& pods,
                 double base_memory_bytes, std::function<std::optional<double>()> metric,
                 std::optional<std::string> node_pool = std::nullopt);

  // A service with rolling restarts (`rollout_restarts`): a Deployment over its pods (the
  // autoscaler's, if it has one) restarted at each of those times.
  void rollouts(const scenario::ServiceSpec& svc, const std::vector<Pod*>& pods);

  void start();
  std::vector<sim::JobSummary> job_summaries() const;

 private:
  Cluster& cluster_;
  std::vector<std::unique_ptr<Job>> jobs_;
  std::vector<std::unique_ptr<VacuumController>> vacuums_;
  std::unique_ptr<NodeAutoscaler> node_autoscaler_;
  std::unique_ptr<SpotInterruptions> spot_;
  std::vector<std::unique_ptr<Deployment>> deployments_;
  std::vector<std::unique_ptr<PodAutoscaler>> pod_autoscalers_;
  std::vector<std::pair<Deployment*, double>> rollouts_;  // deployment, restart time
};

// Threads of a payload when the scenario does not say: the CPU limit, else the request,
// rounded up; 1 if neither is set.
int default_payload_threads(const ContainerResources& r);

}  // namespace dlsim::models::k8s
