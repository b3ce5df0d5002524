// The Kubernetes parts of the scenario language; see scenario_loader_k8s.hpp.
#include "scenario/loader_k8s.hpp"

#include "scenario/loader_fields.hpp"

#include <cmath>

#include <fmt/core.h>

namespace dlsim::scenario {
namespace {

// A percentage written `80%` or `80`.
double read_percent(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  std::string s = read_string(ctx, n, path);
  if (!s.empty() && s.back() == '%') s.pop_back();
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size() && std::isfinite(v) && v > 0 && v <= 10'000) return v;
  } catch (const std::exception&) {
  }
  ctx.fail(n, path, fmt::format("'{}' is not a percentage (expected e.g. 80% or 80)", n.Scalar()));
}

void parse_payload(MapReader& m, PayloadSpec& p) {
  m.required("run_time", p.run_time_s, read_duration_s);
  m.field("run_time_spread", p.run_time_spread, number(0, 0.99));
  m.field("threads", p.threads, integer(1, 1024));
  m.field("memory", p.memory_bytes, read_bytes);
}

JobSpec parse_job(const InputContext& ctx, const std::string& name, const YAML::Node& node,
                  const std::string& path) {
  JobSpec j;
  j.name = name;
  j.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  m.field("pods", j.pods, integer(1, kMaxPods));
  m.field("parallelism", j.parallelism, integer(1, kMaxPods));
  m.field("start", j.start_s, read_duration_s);
  m.field("priority", j.priority, integer(-2'000'000'000, 1'000'000'000));
  j.resources = parse_resources(m);
  std::string policy = "Never";
  m.field("restart_policy", policy, one_of({"Never", "OnFailure"}));
  j.restart_policy = policy == "OnFailure" ? JobRestartPolicy::OnFailure : JobRestartPolicy::Never;
  m.field("backoff_limit", j.backoff_limit, integer(0, 1'000'000));
  parse_payload(m, j.payload);
  m.finish();
  return j;
}

VacuumSpec parse_vacuum(const InputContext& ctx, const std::string& name, const YAML::Node& node,
                        const std::string& path) {
  VacuumSpec v;
  v.name = name;
  v.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  {
    MapReader b(ctx, m.require("budget"), m.child_path("budget"));
    b.required("cpu", v.budget_cpu_cores, read_cpu_cores);
    b.field("pods", v.max_pods, integer(1, kMaxPods));
    b.finish();
  }
  m.field("payloads", v.payloads, integer64(0, kMaxPods));
  m.field("start", v.start_s, read_duration_s);
  m.field("interval", v.interval_s, read_duration_s);
  m.field("no_work_time", v.no_work_s, read_duration_s);
  m.field("backoff", v.backoff_s, read_duration_s);
  m.field("backoff_max", v.backoff_max_s, read_duration_s);
  m.field("priority", v.priority, integer(-2'000'000'000, 1'000'000'000));
  v.resources = parse_resources(m);
  parse_payload(m, v.payload);
  m.finish();
  return v;
}

}  // namespace

ResourceSpec parse_resources(MapReader& parent) {
  ResourceSpec r;
  auto node = parent.get("resources");
  if (!node) return r;
  MapReader res(parent.context(), *node, parent.child_path("resources"));
  auto side = [&](const char* which, std::optional<double>& cpu, std::optional<double>& mem) {
    if (auto n = res.get(which)) {
      MapReader m(res.context(), *n, res.child_path(which));
      m.field("cpu", cpu, read_cpu_cores);
      m.field("memory", mem, read_bytes);
      m.finish();
    }
  };
  side("requests", r.cpu_request_cores, r.mem_request_bytes);
  side("limits", r.cpu_limit_cores, r.mem_limit_bytes);
  res.finish();
  return r;
}

void parse_node_pool_k8s(MapReader& p, NodePoolSpec& pool) {
  p.field("min", pool.min_nodes, integer(0, kMaxNodes));
  p.field("max", pool.max_nodes, integer(0, kMaxNodes));
  p.field("provisioning_delay", pool.provisioning_delay_s, read_duration_s);
  p.field("eviction_hard", pool.eviction_hard_bytes, read_bytes);
  p.field("interruptions_per_node_hour", pool.interruptions_per_node_hour, number(0, 100));
  p.field("capacity_type", pool.capacity_type, [](const auto& c, const auto& n, const auto& q) {
    return read_enum(c, n, q, {"on-demand", "spot"}) == "spot" ? CapacityType::Spot
                                                               : CapacityType::OnDemand;
  });
}

void parse_cluster_autoscaler(const InputContext& ctx, const YAML::Node& node,
                              ClusterAutoscalerSpec& a) {
  MapReader m(ctx, node, "cluster.autoscaler");
  m.field("scan_interval", a.scan_interval_s, read_duration_s);
  m.field("utilization_threshold", a.utilization_threshold, number(0, 1));
  m.field("unneeded_time", a.unneeded_time_s, read_duration_s);
  m.field("delay_after_add", a.delay_after_add_s, read_duration_s);
  m.field("max_empty_bulk_delete", a.max_empty_bulk_delete, integer(1, 1000));
  m.field("max_node_provision_time", a.max_node_provision_time_s, read_duration_s);
  m.field("max_graceful_termination", a.max_graceful_termination_s, read_duration_s);
  m.finish();
}

std::optional<AutoscalingSpec> parse_autoscaling(MapReader& service) {
  auto node = service.get("autoscaling");
  if (!node) return std::nullopt;
  const InputContext& ctx = service.context();
  const std::string path = service.child_path("autoscaling");
  AutoscalingSpec a;
  a.where = ctx.locate(*node, path);
  MapReader m(ctx, *node, path);
  std::string scaler = "hpa";
  m.field("scaler", scaler, one_of({"hpa", "keda"}));
  const bool keda = scaler == "keda";
  a.scaler = keda ? AutoscalingScaler::Keda : AutoscalingScaler::Hpa;
  a.min_replicas = keda ? 0 : 1;
  a.period_s = keda ? 30 : 15;
  m.field("min", a.min_replicas, integer(0, 10'000));
  m.required("max", a.max_replicas, integer(1, 10'000));
  std::string metric = "cpu";
  m.field("metric", metric, one_of({"cpu", "table", "latency", "fts_queue", "request_rate"}));
  if (metric == "latency") {
    a.metric = AutoscalingMetric::Latency;
    m.required("target", a.target_latency_s, read_duration_s);
    m.field("percentile", a.latency_percentile, number(1, 100));
    m.field("cpu_target", a.cpu_target_percent, read_percent);
  } else if (metric == "table" || metric == "fts_queue") {
    a.metric = metric == "table" ? AutoscalingMetric::Table : AutoscalingMetric::FtsQueue;
    if (metric == "table") m.required("table", a.table, read_string);
    m.required("target", a.target_rows_per_replica,
               [](const auto& c, const auto& n, const auto& p) {
                 return static_cast<double>(read_integer(c, n, p, 1, std::int64_t{1} << 50));
               });
  } else if (metric == "request_rate") {
    a.metric = AutoscalingMetric::RequestRate;
    m.required("target", a.target_rows_per_replica, number(1e-6, 1e9));
  } else {
    m.field("target", a.target_cpu_utilization_percent, read_percent);
  }
  m.field("period", a.period_s, read_duration_s);
  m.field("tolerance", a.tolerance, number(0, 1));
  m.field("scale_down_stabilization", a.scale_down_stabilization_s, read_duration_s);
  if (keda) {
    m.field("cooldown", a.cooldown_s, read_duration_s);
    m.field("activation", a.activation_rows, number(0, 1e15));
  }
  m.finish();
  return a;
}

void parse_batch(const InputContext& ctx, const YAML::Node& node, BatchSpec& out) {
  MapReader m(ctx, node, "batch");
  if (auto jobs = m.get("jobs"))
    for_each_named(
        ctx, *jobs, "batch.jobs", "job",
        [&](const std::string& name, const YAML::Node& n, const std::string& path,
            const YAML::Node& /*key*/) { out.jobs[name] = parse_job(ctx, name, n, path); });
  if (auto vacuum = m.get("vacuum"))
    for_each_named(
        ctx, *vacuum, "batch.vacuum", "vacuum pool",
        [&](const std::string& name, const YAML::Node& n, const std::string& path,
            const YAML::Node& /*key*/) { out.vacuum[name] = parse_vacuum(ctx, name, n, path); });
  m.finish();
}

void parse_cluster(const InputContext& ctx, const YAML::Node& node, ClusterSpec& cluster) {
  MapReader m(ctx, node, "cluster");
  for_each_named(ctx, m.require("node_pools"), "cluster.node_pools", "node pool",
                 [&](const std::string& name, const YAML::Node& n, const std::string& path,
                     const YAML::Node& /*key*/) {
                   NodePoolSpec pool;
                   pool.name = name;
                   pool.where = ctx.locate(n, path);
                   MapReader p(ctx, n, path);
                   p.field("count", pool.count, integer(0, kMaxNodes));
                   p.required("cpu", pool.cpu_cores, read_cpu_cores);
                   p.required("memory", pool.mem_bytes, read_bytes);
                   if (auto r = p.get("reserved")) {
                     MapReader rr(ctx, *r, p.child_path("reserved"));
                     rr.field("cpu", pool.reserved_cpu_cores, read_cpu_cores);
                     rr.field("memory", pool.reserved_mem_bytes, read_bytes);
                     rr.finish();
                   }
                   p.field("price_per_node_hour", pool.price_per_node_hour, number(0, 1e6));
                   p.field("max_pods", pool.max_pods, integer(1, 10'000));
                   parse_node_pool_k8s(p, pool);
                   p.finish();
                   cluster.node_pools[name] = pool;
                 });
  if (auto s = m.get("scheduler")) {
    MapReader sm(ctx, *s, "cluster.scheduler");
    std::string strategy = "LeastAllocated";
    sm.field("strategy", strategy,
             one_of({"LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"}));
    cluster.scheduler_strategy = *parse_scoring_strategy(strategy);
    sm.finish();
  }
  if (auto a = m.get("autoscaler")) parse_cluster_autoscaler(ctx, *a, cluster.autoscaler);
  m.finish();
}

}  // namespace dlsim::scenario
