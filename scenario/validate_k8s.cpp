// Checks of the Kubernetes parts of a scenario; see scenario_validate_k8s.hpp.
#include "scenario/validate_k8s.hpp"

#include <cmath>

#include <fmt/core.h>

#include "scenario/queue_tables.hpp"
#include "scenario/units.hpp"

namespace dlsim::scenario {
namespace {}  // namespace

void check_requests_within_limits(const std::string& path, const ResourceSpec& r,
                                  const FailAt& fail) {
  const auto res = path + ".resources";
  if (r.cpu_request_cores && r.cpu_limit_cores && *r.cpu_request_cores > *r.cpu_limit_cores)
    fail(res + ".requests.cpu",
         fmt::format("request {} is above the limit {} (Kubernetes rejects such a pod)",
                     *r.cpu_request_cores, *r.cpu_limit_cores));
  if (r.mem_request_bytes && r.mem_limit_bytes && *r.mem_request_bytes > *r.mem_limit_bytes)
    fail(res + ".requests.memory",
         fmt::format("request {} is above the limit {} (Kubernetes rejects such a pod)",
                     units::format_bytes(*r.mem_request_bytes),
                     units::format_bytes(*r.mem_limit_bytes)));
}

namespace {

// A batch pod whose requests no pool's node can hold would stay Pending for ever.
void check_fits_a_pool(const std::string& path, const ResourceSpec& raw, const Scenario& s,
                       const FailAt& fail) {
  const ResourceSpec r = apply_request_defaults(raw);
  const double cpu = r.cpu_request_cores.value_or(0);
  const double mem = r.mem_request_bytes.value_or(0);
  double best_cpu = 0, best_mem = 0;
  for (const auto& [name, pool] : s.cluster.node_pools) {
    NodeReservations reserved;
    reserved.system_reserved = {pool.reserved_cpu_cores, pool.reserved_mem_bytes};
    reserved.eviction_hard_mem_bytes = pool.eviction_hard_bytes;
    const auto a = node_allocatable({pool.cpu_cores, pool.mem_bytes}, reserved);
    if (cpu <= a.cpu_cores + 1e-9 && mem <= a.mem_bytes) return;
    best_cpu = std::max(best_cpu, a.cpu_cores);
    best_mem = std::max(best_mem, a.mem_bytes);
  }
  fail(path + ".resources.requests",
       fmt::format("cpu {} and memory {} fit no node pool's allocatable (largest: cpu {}, memory "
                   "{}): the pods would stay Pending",
                   cpu, units::format_bytes(mem), best_cpu, units::format_bytes(best_mem)));
}

void check_pools(const Scenario& s, const FailAt& fail) {
  const auto& ca = s.cluster.autoscaler;
  for (const auto& [name, pool] : s.cluster.node_pools) {
    const auto p = "cluster.node_pools." + name;
    if (pool.eviction_hard_bytes >= pool.mem_bytes)
      fail(p + ".eviction_hard", "is not below the node's memory");
    if (pool.interruptions_per_node_hour > 0 && pool.capacity_type != CapacityType::Spot)
      fail(p + ".interruptions_per_node_hour",
           "needs 'capacity_type: spot' (only spot nodes are reclaimed)");
    if (!pool.max_nodes) {
      if (pool.min_nodes) fail(p + ".min", "needs 'max': only a pool with a max is autoscaled");
      continue;
    }
    const int min = pool.min_nodes.value_or(pool.count);
    if (min > pool.count)
      fail(p + ".min", fmt::format("{} is above the pool's count {}", min, pool.count));
    if (pool.count > *pool.max_nodes)
      fail(p + ".max", fmt::format("{} is below the pool's count {}", *pool.max_nodes, pool.count));
    if (pool.provisioning_delay_s >= ca.max_node_provision_time_s)
      fail(p + ".provisioning_delay",
           fmt::format("{} is not below cluster.autoscaler.max_node_provision_time ({}): the "
                       "autoscaler would give up on every node",
                       units::format_duration(pool.provisioning_delay_s),
                       units::format_duration(ca.max_node_provision_time_s)));
  }
  if (ca.scan_interval_s <= 0)
    fail("cluster.autoscaler.scan_interval", "must be greater than zero");
}

void check_cpu_request(const std::string& key, const ServiceSpec& svc, const FailAt& fail) {
  if (!apply_request_defaults(svc.resources).cpu_request_cores)
    fail(key, "CPU utilisation is relative to the CPU request: set resources.requests.cpu");
}

// metric: latency reads the API latency of a server that serves calls (`server` or
// `server-auth`; the `ui` gets none, daemons serve none), through an HPA.
void check_latency_metric(const std::string& p, const ServiceSpec& svc, bool server,
                          const FailAt& fail) {
  const AutoscalingSpec& a = *svc.autoscaling;
  if (!server || svc.kind == "ui")
    fail(p + ".metric",
         "latency is the API latency of a server: only for rucio.servers of kind "
         "'server' or 'server-auth'");
  if (a.scaler == AutoscalingScaler::Keda)
    fail(p + ".metric", "KEDA scales on a table here; use scaler: hpa for latency");
  if (a.target_latency_s <= 0) fail(p + ".target", "must be greater than zero");
  if (a.cpu_target_percent) check_cpu_request(p + ".cpu_target", svc, fail);
}

}  // namespace

void check_autoscaling(const std::string& path, const ServiceSpec& svc, bool server,
                       const FailAt& fail) {
  if (!svc.autoscaling) return;
  const AutoscalingSpec& a = *svc.autoscaling;
  const auto p = path + ".autoscaling";
  if (a.scaler == AutoscalingScaler::Hpa && a.min_replicas < 1)
    fail(p + ".min", "an HPA cannot scale to 0 (HPAScaleToZero is alpha); use scaler: keda");
  if (a.min_replicas > a.max_replicas)
    fail(p + ".min", fmt::format("{} is above max {}", a.min_replicas, a.max_replicas));
  if (svc.replicas > a.max_replicas)
    fail(path + ".replicas",
         fmt::format("{} is above autoscaling.max {}", svc.replicas, a.max_replicas));
  if (a.period_s <= 0) fail(p + ".period", "must be greater than zero");
  if (a.metric == AutoscalingMetric::Latency) return check_latency_metric(p, svc, server, fail);
  if (a.metric == AutoscalingMetric::Cpu) {
    if (a.scaler == AutoscalingScaler::Keda)
      fail(p + ".metric", "KEDA scales on a table here; use scaler: hpa for cpu");
    check_cpu_request(p + ".metric", svc, fail);
    return;
  }
  if (a.metric != AutoscalingMetric::Table) return;  // the FTS metrics: scenario_validate_fts
  if (!table_by_name(a.table)) {
    std::vector<std::string> names;
    for (std::size_t t = 0; t < kTableCount; ++t)
      names.emplace_back(table_name(static_cast<RucioTable>(t)));
    fail(p + ".table", fmt::format("unknown table '{}'{}", a.table, did_you_mean(a.table, names)));
  }
}

namespace {

void check_payload(const std::string& path, const PayloadSpec& p, const FailAt& fail) {
  if (p.run_time_s <= 0) fail(path + ".run_time", "must be greater than zero");
}

}  // namespace

void validate_k8s(const Scenario& s, const FailAt& fail) {
  check_pools(s, fail);
  auto check_rucio = [&](const std::string& path, const ServiceSpec& svc, bool server) {
    check_autoscaling(path, svc, server, fail);
    const auto m = svc.autoscaling ? svc.autoscaling->metric : AutoscalingMetric::Cpu;
    if (m == AutoscalingMetric::FtsQueue || m == AutoscalingMetric::RequestRate)
      fail(path + ".autoscaling.metric",
           "fts_queue and request_rate are for transfers.fts services");
  };
  for (const auto& [name, svc] : s.rucio.servers) check_rucio("rucio.servers." + name, svc, true);
  for (const auto& [name, svc] : s.rucio.daemons) check_rucio("rucio.daemons." + name, svc, false);
  if (s.transfers.fts) validate_fts(s, *s.transfers.fts, fail);
  for (const auto& [name, job] : s.batch.jobs) {
    const auto p = "batch.jobs." + name;
    check_requests_within_limits(p, job.resources, fail);
    check_fits_a_pool(p, job.resources, s, fail);
    check_payload(p, job.payload, fail);
  }
  for (const auto& [name, v] : s.batch.vacuum) {
    const auto p = "batch.vacuum." + name;
    check_requests_within_limits(p, v.resources, fail);
    check_fits_a_pool(p, v.resources, s, fail);
    check_payload(p, v.payload, fail);
    const auto cpu = apply_request_defaults(v.resources).cpu_request_cores;
    if (!cpu || *cpu <= 0)
      fail(p + ".resources", "the budget counts CPU requests: set resources.requests.cpu");
    else if (*cpu > v.budget_cpu_cores)
      fail(p + ".budget.cpu",
           fmt::format("{} is below one pod's CPU request {}", v.budget_cpu_cores, *cpu));
    if (v.interval_s <= 0) fail(p + ".interval", "must be greater than zero");
    if (v.backoff_s <= 0) fail(p + ".backoff", "must be greater than zero");
    if (v.backoff_max_s < v.backoff_s) fail(p + ".backoff_max", "is below backoff");
  }
}

}  // namespace dlsim::scenario
