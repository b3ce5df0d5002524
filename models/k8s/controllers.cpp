// Building the scenario's controllers; see controllers.hpp.
#include "models/k8s/controllers.hpp"

#include <cmath>

#include <fmt/core.h>

namespace dlsim::models::k8s {

namespace {

PayloadConfig payload_config(const scenario::PayloadSpec& p, const ContainerResources& r) {
  return {p.run_time_s, p.run_time_spread, p.threads.value_or(default_payload_threads(r)),
          p.memory_bytes};
}

PodSpec pod_template(const ContainerResources& r, int priority, RestartPolicy policy) {
  PodSpec spec;
  spec.resources = r;
  spec.priority = priority;
  spec.restart_policy = policy;
  return spec;
}

CaConfig ca_config(const scenario::NodePoolSpec& pool, const scenario::ClusterAutoscalerSpec& a) {
  CaConfig c;
  NodeReservations reserved;
  reserved.system_reserved = {pool.reserved_cpu_cores, pool.reserved_mem_bytes};
  reserved.eviction_hard_mem_bytes = pool.eviction_hard_bytes;
  c.group.template_allocatable = node_allocatable({pool.cpu_cores, pool.mem_bytes}, reserved);
  c.group.template_max_pods = pool.max_pods;
  c.group.min_size = pool.min_nodes.value_or(pool.count);
  c.group.max_size = pool.max_nodes.value_or(pool.count);
  c.scale_down_utilization_threshold = a.utilization_threshold;
  c.scale_down_unneeded_time_s = a.unneeded_time_s;
  c.scale_down_delay_after_add_s = a.delay_after_add_s;
  c.max_empty_bulk_delete = a.max_empty_bulk_delete;
  c.max_node_provision_time_s = a.max_node_provision_time_s;
  c.max_graceful_termination_s = a.max_graceful_termination_s;
  return c;
}

PodAutoscalerConfig autoscaler_config(const scenario::AutoscalingSpec& a) {
  PodAutoscalerConfig c;
  c.scaler = a.scaler == scenario::AutoscalingScaler::Keda ? PodAutoscalerConfig::Scaler::Keda
                                                           : PodAutoscalerConfig::Scaler::Hpa;
  using M = scenario::AutoscalingMetric;
  if (a.metric == M::Table || a.metric == M::FtsQueue || a.metric == M::RequestRate) {
    // An external metric with a target per replica: a table's rows, or FTS's.
    c.target_per_replica = a.target_rows_per_replica;
    c.metric_name = a.metric == M::FtsQueue      ? "fts_queue"
                    : a.metric == M::RequestRate ? "request_rate"
                                                 : a.table;
  } else if (a.metric == M::Latency) {
    c.target_latency_s = a.target_latency_s;
    c.target_cpu_utilization_percent = a.cpu_target_percent;
    c.metric_name = fmt::format("latency p{}", a.latency_percentile);
  } else {
    c.target_cpu_utilization_percent = a.target_cpu_utilization_percent;
    c.metric_name = "cpu";
  }
  c.sync_period_s = a.period_s;
  c.hpa.min_replicas = a.min_replicas;
  c.hpa.max_replicas = a.max_replicas;
  c.hpa.tolerance = a.tolerance;
  c.hpa.scale_down.stabilization_window_s = a.scale_down_stabilization_s;
  c.keda.polling_interval_s = a.period_s;
  c.keda.cooldown_period_s = a.cooldown_s;
  c.keda.threshold = a.target_rows_per_replica;
  c.keda.activation_threshold = a.activation_rows;
  c.keda.min_replica_count = a.min_replicas;
  c.keda.max_replica_count = a.max_replicas;
  c.keda.tolerance = a.tolerance;
  c.keda.scale_down.stabilization_window_s = a.scale_down_stabilization_s;
  return c;
}

}  // namespace

int default_payload_threads(const ContainerResources& raw) {
  const ContainerResources r = apply_request_defaults(raw);
  const auto cores = r.cpu_limit_cores ? r.cpu_limit_cores : r.cpu_request_cores;
  return cores ? std::max(1, static_cast<int>(std::ceil(*cores - 1e-9))) : 1;
}

ClusterControllers::ClusterControllers(Cluster& cluster, const scenario::Scenario& s)
    : cluster_(cluster) {
  for (const auto& [name, j] : s.batch.jobs) {
    JobConfig c;
    c.name = name;
    c.pod = pod_template(j.resources, j.priority,
                         j.restart_policy == scenario::JobRestartPolicy::OnFailure
                             ? RestartPolicy::OnFailure
                             : RestartPolicy::Never);
    c.completions = j.pods;
    c.parallelism = j.parallelism.value_or(j.pods);
    c.start_s = j.start_s;
    c.backoff_limit = j.backoff_limit;
    c.payload = payload_config(j.payload, j.resources);
    jobs_.push_back(std::make_unique<Job>(cluster_, std::move(c)));
  }
  for (const auto& [name, v] : s.batch.vacuum) {
    VacuumConfig c;
    c.name = name;
    c.pod = pod_template(v.resources, v.priority, RestartPolicy::Never);
    c.budget_cpu_cores = v.budget_cpu_cores;
    c.max_pods = v.max_pods;
    c.payloads = v.payloads;
    c.payload = payload_config(v.payload, v.resources);
    c.start_s = v.start_s;
    c.interval_s = v.interval_s;
    c.no_work_s = v.no_work_s;
    c.backoff_s = v.backoff_s;
    c.backoff_max_s = v.backoff_max_s;
    vacuums_.push_back(std::make_unique<VacuumController>(cluster_, std::move(c)));
  }
  std::vector<NodeGroupSetup> groups;
  for (const auto& [name, pool] : s.cluster.node_pools)
    if (pool.autoscaled())
      groups.push_back({name, pool.provisioning_delay_s, ca_config(pool, s.cluster.autoscaler)});
  if (!groups.empty())
    node_autoscaler_ = std::make_unique<NodeAutoscaler>(cluster_, std::move(groups),
                                                        s.cluster.autoscaler.scan_interval_s);
  std::vector<SpotPoolSetup> spot;
  for (const auto& [name, pool] : s.cluster.node_pools)
    if (pool.interruptions_per_node_hour > 0)
      spot.push_back({name, pool.interruptions_per_node_hour, pool.provisioning_delay_s});
  if (!spot.empty()) spot_ = std::make_unique<SpotInterruptions>(cluster_, std::move(spot));
}

void ClusterControllers::autoscale(const scenario::ServiceSpec& svc, std::vector<Pod*>& pods,
                                   double base_memory_bytes,
                                   std::function<std::optional<double>()> metric,
                                   std::optional<std::string> node_pool) {
  const scenario::AutoscalingSpec& a = *svc.autoscaling;
  for (int i = static_cast<int>(pods.size()); i < a.max_replicas; ++i) {
    PodSpec spec;
    spec.name = fmt::format("{}-{}", svc.name, i);
    spec.owner = svc.name;
    spec.resources = svc.resources;
    spec.base_memory_bytes = base_memory_bytes;
    spec.node_pool = node_pool;
    pods.push_back(&cluster_.pod(cluster_.create_pod(spec, false)));
  }
  std::vector<std::size_t> slots;
  for (const Pod* p : pods) slots.push_back(p->index());
  deployments_.push_back(std::make_unique<Deployment>(cluster_, svc.name, std::move(slots)));
  pod_autoscalers_.push_back(std::make_unique<PodAutoscaler>(
      cluster_, *deployments_.back(), autoscaler_config(a), std::move(metric)));
}

void ClusterControllers::rollouts(const scenario::ServiceSpec& svc, const std::vector<Pod*>& pods) {
  if (svc.rollout_restarts_s.empty()) return;
  Deployment* deployment = nullptr;
  for (auto& d : deployments_)
    if (d->name() == svc.name) deployment = d.get();
  if (deployment == nullptr) {
    std::vector<std::size_t> slots;
    for (const Pod* p : pods) slots.push_back(p->index());
    deployments_.push_back(std::make_unique<Deployment>(cluster_, svc.name, std::move(slots)));
    deployment = deployments_.back().get();
  }
  for (double t : svc.rollout_restarts_s) rollouts_.emplace_back(deployment, t);
}

void ClusterControllers::start() {
  // Captured by name: clang 14 cannot capture structured bindings (a C++20 rule it lacks).
  for (const auto& rollout : rollouts_)
    sim::spawn("rollout/" + rollout.first->name(), cluster_.control_plane(),
               [deployment = rollout.first, at = rollout.second] {
                 sim::sleep_until(at);
                 deployment->rolling_restart();
               });
  cluster_.start_kubelets();
  for (auto& j : jobs_) j->start();
  for (auto& v : vacuums_) v->start();
  if (node_autoscaler_) node_autoscaler_->start();
  if (spot_) spot_->start();
  for (auto& a : pod_autoscalers_) a->start();
}

std::vector<sim::JobSummary> ClusterControllers::job_summaries() const {
  std::vector<sim::JobSummary> out;
  for (const auto& j : jobs_) out.push_back(j->summary());
  for (const auto& v : vacuums_) out.push_back(v->summary());
  return out;
}

}  // namespace dlsim::models::k8s
