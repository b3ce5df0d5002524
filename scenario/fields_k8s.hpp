// Field tables (scenario/field_table.hpp) of the Kubernetes parts of a scenario: container
// resources, autoscaling, node pools, the cluster and its autoscaler, batch Jobs and vacuum
// pools, in the order scenario.resolved.yaml writes their keys (docs/scenario.md).
#pragma once

#include <string_view>

#include "scenario/field_table.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::scenario::fields {

// `requests` or `limits`, written when either of its two values is set. The member pointers
// are template arguments so that the condition is a captureless lambda: a lambda with
// captures has no default constructor, which clang's std::tuple checks reject.
template <auto cpu, auto memory>
constexpr auto resources_side(std::string_view key) {
  using R = ResourceSpec;
  return group(key, table<R>("", field("cpu", cpu), field("memory", memory, Format::bytes)))
      .only_when([](const R& r) { return (r.*cpu).has_value() || (r.*memory).has_value(); });
}

constexpr auto resources_fields() {
  using R = ResourceSpec;
  return table<R>("Services: servers and daemons",
                  resources_side<&R::cpu_request_cores, &R::mem_request_bytes>("requests"),
                  resources_side<&R::cpu_limit_cores, &R::mem_limit_bytes>("limits"));
}

constexpr std::string_view metric_name(AutoscalingMetric m) {
  switch (m) {
    case AutoscalingMetric::Table:
      return "table";
    case AutoscalingMetric::FtsQueue:
      return "fts_queue";
    case AutoscalingMetric::RequestRate:
      return "request_rate";
    case AutoscalingMetric::Latency:
      return "latency";
    case AutoscalingMetric::Cpu:
      return "cpu";
  }
  return "cpu";
}

// `target` is written in the unit of the metric: rows (or calls) per replica, a latency, or a
// CPU utilisation.
constexpr auto autoscaling_fields() {
  using A = AutoscalingSpec;
  constexpr auto latency = [](const A& a) { return a.metric == AutoscalingMetric::Latency; };
  constexpr auto keda = [](const A& a) { return a.scaler == AutoscalingScaler::Keda; };
  constexpr auto external = [](const A& a) {
    return a.metric == AutoscalingMetric::Table || a.metric == AutoscalingMetric::FtsQueue ||
           a.metric == AutoscalingMetric::RequestRate;
  };
  return table<A>(
      "autoscaling (HPA or KEDA)",
      field("scaler",
            [](const A& a) {
              return std::string_view(a.scaler == AutoscalingScaler::Keda ? "keda" : "hpa");
            }),
      field("min", &A::min_replicas), field("max", &A::max_replicas),
      field("metric", [](const A& a) { return metric_name(a.metric); }),
      field("table", &A::table).only_when([](const A& a) {
        return a.metric == AutoscalingMetric::Table;
      }),
      field("target", &A::target_rows_per_replica).only_when(external),
      field("target", &A::target_latency_s, Format::seconds).only_when(latency),
      field("percentile", &A::latency_percentile).only_when(latency),
      field("cpu_target", &A::cpu_target_percent, Format::percent).only_when(latency),
      field("target", &A::target_cpu_utilization_percent, Format::percent)
          .only_when([](const A& a) { return a.metric == AutoscalingMetric::Cpu; }),
      field("period", &A::period_s, Format::seconds), field("tolerance", &A::tolerance),
      field("scale_down_stabilization", &A::scale_down_stabilization_s, Format::seconds),
      field("cooldown", &A::cooldown_s, Format::seconds).only_when(keda),
      field("activation", &A::activation_rows).only_when(keda));
}

constexpr auto node_pool_fields() {
  using P = NodePoolSpec;
  return table<P>(
      "cluster", field("count", &P::count), field("cpu", &P::cpu_cores),
      field("memory", &P::mem_bytes, Format::bytes),
      group("reserved", table<P>("", field("cpu", &P::reserved_cpu_cores),
                                 field("memory", &P::reserved_mem_bytes, Format::bytes))),
      field("price_per_node_hour", &P::price_per_node_hour),
      field("capacity_type", [](const P& p) { return to_string(p.capacity_type); }),
      field("max_pods", &P::max_pods),
      field("eviction_hard", &P::eviction_hard_bytes, Format::bytes),
      // The resolved scenario fills `min` with `count` for an autoscaled pool (writer.cpp).
      field("min", &P::min_nodes).only_when([](const P& p) { return p.autoscaled(); }),
      field("max", &P::max_nodes),
      field("provisioning_delay", &P::provisioning_delay_s, Format::seconds)
          .only_when(
              [](const P& p) { return p.autoscaled() || p.interruptions_per_node_hour > 0; }),
      field("interruptions_per_node_hour", &P::interruptions_per_node_hour)
          .only_when([](const P& p) { return p.interruptions_per_node_hour > 0; }));
}

constexpr auto cluster_autoscaler_fields() {
  using C = ClusterAutoscalerSpec;
  return table<C>(
      "cluster.autoscaler", field("scan_interval", &C::scan_interval_s, Format::seconds),
      field("utilization_threshold", &C::utilization_threshold),
      field("unneeded_time", &C::unneeded_time_s, Format::seconds),
      field("delay_after_add", &C::delay_after_add_s, Format::seconds),
      field("max_empty_bulk_delete", &C::max_empty_bulk_delete),
      field("max_node_provision_time", &C::max_node_provision_time_s, Format::seconds),
      field("max_graceful_termination", &C::max_graceful_termination_s, Format::seconds));
}

constexpr auto cluster_fields() {
  using C = ClusterSpec;
  return table<C>(
      "cluster", each("node_pools", &C::node_pools, node_pool_fields()),
      group("scheduler",
            table<C>(
                "", field("strategy", [](const C& c) { return to_string(c.scheduler_strategy); }))),
      nested("autoscaler", &C::autoscaler, cluster_autoscaler_fields()));
}

// A batch pod's payload, written into its Job's or vacuum pool's own mapping.
constexpr auto payload_fields() {
  using P = PayloadSpec;
  return table<P>("batch", field("run_time", &P::run_time_s, Format::seconds),
                  field("run_time_spread", &P::run_time_spread), field("threads", &P::threads),
                  field("memory", &P::memory_bytes, Format::bytes));
}

constexpr auto job_fields() {
  using J = JobSpec;
  return table<J>(
      "batch", field("pods", &J::pods),
      // The resolved scenario fills `parallelism` with `pods` (writer.cpp).
      field("parallelism", &J::parallelism), field("start", &J::start_s, Format::seconds),
      field("priority", &J::priority), nested("resources", &J::resources, resources_fields()),
      field("restart_policy",
            [](const J& j) {
              return std::string_view(j.restart_policy == JobRestartPolicy::OnFailure ? "OnFailure"
                                                                                      : "Never");
            }),
      field("backoff_limit", &J::backoff_limit), inlined(&J::payload, payload_fields()));
}

constexpr auto vacuum_fields() {
  using V = VacuumSpec;
  return table<V>(
      "batch",
      group("budget",
            table<V>("", field("cpu", &V::budget_cpu_cores), field("pods", &V::max_pods))),
      field("payloads", &V::payloads), field("start", &V::start_s, Format::seconds),
      field("interval", &V::interval_s, Format::seconds),
      field("no_work_time", &V::no_work_s, Format::seconds),
      field("backoff", &V::backoff_s, Format::seconds),
      field("backoff_max", &V::backoff_max_s, Format::seconds), field("priority", &V::priority),
      nested("resources", &V::resources, resources_fields()),
      inlined(&V::payload, payload_fields()));
}

constexpr auto batch_fields() {
  using B = BatchSpec;
  return table<B>("batch", each("jobs", &B::jobs, job_fields()),
                  each("vacuum", &B::vacuum, vacuum_fields()));
}

}  // namespace dlsim::scenario::fields
