// The FTS deployment of transfers.fts, built by run_scenario (docs/scenario.md
// "transfers.fts"): on VMs, the url-copy slots each VM's memory leaves once every FTS service
// is resident; on Kubernetes, Deployments of the FTS server (its pods' url-copy slots, scaled
// on FTS's queue), REST API (CPU per call, scaled on the request rate or CPU) and monitoring
// (CPU per transfer) in the scenario's cluster.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "models/k8s/cluster.hpp"
#include "models/k8s/controllers.hpp"
#include "models/transfer/fts.hpp"
#include "scenario/scenario.hpp"
#include "sim/summary.hpp"

namespace dlsim::sim {

// A service's figures per pod as a dashboard shows them (engine.cpp).
ServiceSummary summarise_service(const scenario::ServiceSpec& spec,
                                 const std::vector<PodRecord>& pods);

// Whether `pool` holds FTS VMs, which are not Kubernetes nodes.
bool is_fts_vm_pool(const scenario::Scenario& s, const std::string& pool);

class FtsServices {
 public:
  FtsServices(const scenario::Scenario& s, models::k8s::Cluster& cluster,
              models::transfer::Fts& fts);
  // Creates the pods (k8s) or the VMs' slots, the autoscalers and the loads; call before
  // controllers.start().
  void build(models::k8s::ClusterControllers& controllers, sim::Host* meter_host);
  void start();
  FtsSummary summary(const std::vector<PodRecord>& pods,
                     const std::vector<PoolSummary>& pools) const;

 private:
  scenario::ServiceSpec service_spec(const std::string& name,
                                     const scenario::FtsServiceSpec& f) const;
  std::vector<models::k8s::Pod*> create(models::k8s::ClusterControllers& controllers,
                                        const scenario::ServiceSpec& svc, double base_memory_bytes,
                                        std::function<std::optional<double>()> metric);
  void build_vm(sim::Host* meter_host);
  void build_k8s(models::k8s::ClusterControllers& controllers, sim::Host* meter_host);
  void watch();  // peaks of the url-copy capacity and of each service's running pods
  void fill_memory(FtsSummary& out, const std::vector<PoolSummary>& pools) const;

  const scenario::Scenario& s_;
  const scenario::FtsDeploymentSpec& spec_;
  models::k8s::Cluster& cluster_;
  models::transfer::Fts& fts_;
  std::unique_ptr<models::transfer::ServiceLoad> rest_;
  std::unique_ptr<models::transfer::ServiceLoad> monitoring_;
  std::map<std::string, std::vector<models::k8s::Pod*>> pods_;  // by service name
  std::map<std::string, int> running_max_;                      // by service name
  std::int64_t capacity_max_ = 0;
  int slots_per_host_ = 0;
};

}  // namespace dlsim::sim
