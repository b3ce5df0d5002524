// Whole-scenario checks of transfers.fts (docs/scenario.md "transfers.fts"); called by
// validate_k8s.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "scenario/diagnostics.hpp"
#include "scenario/resources.hpp"
#include "scenario/units.hpp"
#include "scenario/validate_k8s.hpp"

namespace dlsim::scenario {
namespace {

// A server pod's url-copy processes are counted per pod (TransfersService.cpp#L271-L281
// counts the fts_url_copy processes it can see, i.e. its own), and FTS does not look at the
// cgroup limit: a limit under the memory of a full pod would OOM-kill it, which dlsim does
// not model for FTS. Rejected instead.
void check_server_limit(const Scenario& s, const FtsDeploymentSpec& f, const FailAt& fail) {
  const auto limit = f.server.resources.mem_limit_bytes;
  const int processes = f.server_url_copy_processes(s.transfers.max_url_copy_processes);
  const double full = f.server_memory_bytes + processes * f.url_copy_memory_bytes;
  if (limit && *limit < full)
    fail("transfers.fts.server.resources.limits.memory",
         fmt::format("{} is below a full server pod's {} (server_memory + "
                     "max_url_copy_processes {} × url_copy_memory): FTS does not see the cgroup "
                     "limit and the pod would be OOM-killed",
                     units::format_bytes(*limit), units::format_bytes(full), processes));
}

void check_service(const std::string& path, const FtsServiceSpec& f,
                   std::initializer_list<AutoscalingMetric> allowed, const char* allowed_text,
                   const FailAt& fail) {
  check_requests_within_limits(path, f.resources, fail);
  ServiceSpec svc;
  svc.replicas = f.replicas;
  svc.resources = f.resources;
  svc.autoscaling = f.autoscaling;
  if (f.autoscaling &&
      std::find(allowed.begin(), allowed.end(), f.autoscaling->metric) == allowed.end())
    fail(path + ".autoscaling.metric", fmt::format("this service scales on {}", allowed_text));
  check_autoscaling(path, svc, false, fail);  // not a Rucio server: no latency metric
}

// What one VM has left for url-copy processes once every other FTS service is resident.
void check_vm(const NodePoolSpec& pool, const FtsDeploymentSpec& f, const FailAt& fail) {
  if (pool.autoscaled())
    fail("transfers.fts.pool",
         fmt::format("'{}' is autoscaled: FTS VMs are a fixed set", pool.name));
  const double free = pool.mem_bytes - pool.reserved_mem_bytes - f.server_memory_bytes -
                      f.rest_memory_bytes() - f.monitoring_memory_bytes - f.min_free_ram_bytes;
  if (free < f.url_copy_memory_bytes)
    fail("transfers.fts.pool",
         fmt::format("a VM of '{}' ({}) has {} left after the FTS services and min_free_ram: "
                     "not one url-copy process ({}) fits",
                     pool.name, units::format_bytes(pool.mem_bytes),
                     units::format_bytes(std::max(0.0, free)),
                     units::format_bytes(f.url_copy_memory_bytes)));
}

}  // namespace

void validate_fts(const Scenario& s, const FtsDeploymentSpec& f, const FailAt& fail) {
  auto pool = s.cluster.node_pools.find(f.pool);
  if (pool == s.cluster.node_pools.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : s.cluster.node_pools) names.push_back(name);
    fail("transfers.fts.pool",
         fmt::format("unknown node pool '{}'{}", f.pool, did_you_mean(f.pool, names)));
  }
  if (s.transfers.model != TransferModel::PerLink)
    fail("transfers.fts", "needs transfers.model: per_link");
  if (f.deployment == FtsDeployment::Vm) {
    check_vm(pool->second, f, fail);
    if (s.cluster.node_pools.size() == 1)
      fail("transfers.fts.pool",
           fmt::format("'{}' is the only node pool: its nodes are FTS VMs, and the Kubernetes "
                       "cluster needs a pool of its own",
                       f.pool));
    return;
  }
  check_service("transfers.fts.server", f.server,
                {AutoscalingMetric::Cpu, AutoscalingMetric::FtsQueue}, "cpu or fts_queue", fail);
  check_service("transfers.fts.rest", f.rest,
                {AutoscalingMetric::Cpu, AutoscalingMetric::RequestRate}, "cpu or request_rate",
                fail);
  check_service("transfers.fts.monitoring", f.monitoring, {AutoscalingMetric::Cpu}, "cpu", fail);
  check_server_limit(s, f, fail);
}

}  // namespace dlsim::scenario
