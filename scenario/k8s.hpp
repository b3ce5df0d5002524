// Scenario parts of the Kubernetes model beyond node pools and services: the scheduler's
// scoring strategy, the cluster autoscaler, autoscaling of a service (HPA or KEDA), batch Jobs
// and vacuum pools (docs/scenario.md). Included by scenario/scenario.hpp. Defaults are written next
// to the field with their source; those that are our assumptions say so.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/diagnostics.hpp"
#include "scenario/resources.hpp"

namespace dlsim::scenario {

// cluster.scheduler.strategy: the NodeResourcesFit scoring strategy of kube-scheduler
// (k/k pkg/scheduler/apis/config/types.go, ScoringStrategyType); models/k8s/scheduler.hpp
// scores with it.
enum class ScoringStrategy { LeastAllocated, MostAllocated, RequestedToCapacityRatio };

inline std::string_view to_string(ScoringStrategy strategy) {
  switch (strategy) {
    case ScoringStrategy::LeastAllocated:
      return "LeastAllocated";
    case ScoringStrategy::MostAllocated:
      return "MostAllocated";
    case ScoringStrategy::RequestedToCapacityRatio:
      return "RequestedToCapacityRatio";
  }
  return "LeastAllocated";
}

// Accepts exactly "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio".
inline std::optional<ScoringStrategy> parse_scoring_strategy(std::string_view name) {
  for (ScoringStrategy s : {ScoringStrategy::LeastAllocated, ScoringStrategy::MostAllocated,
                            ScoringStrategy::RequestedToCapacityRatio}) {
    if (name == to_string(s)) return s;
  }
  return std::nullopt;
}

// cluster.autoscaler: the Cluster Autoscaler's settings, for every pool with a `max`
// (k/autoscaler cluster-autoscaler/FAQ.md).
struct ClusterAutoscalerSpec {
  double scan_interval_s = 10;              // Default 10 s: --scan-interval
  double utilization_threshold = 0.5;       // Default 0.5: --scale-down-utilization-threshold
  double unneeded_time_s = 600;             // Default 10 min: --scale-down-unneeded-time
  double delay_after_add_s = 600;           // Default 10 min: --scale-down-delay-after-add
  int max_empty_bulk_delete = 10;           // Default 10: --max-empty-bulk-delete
  double max_node_provision_time_s = 900;   // Default 15 min: --max-node-provision-time
  double max_graceful_termination_s = 600;  // Default 600 s: --max-graceful-termination-sec
};

enum class AutoscalingScaler { Hpa, Keda };
// Table: a Rucio queue table's rows. Latency: a Rucio server's API latency percentile.
// FtsQueue: transfers waiting in FTS (SUBMITTED), for the FTS server; RequestRate: REST calls
// per second, for the FTS REST API (transfers.fts).
enum class AutoscalingMetric { Cpu, Table, Latency, FtsQueue, RequestRate };

// <service>.autoscaling: an HPA (or a KEDA ScaledObject) on a Rucio server or daemon
// (k/k pkg/controller/podautoscaler/horizontal.go, replica_calculator.go). The service's `replicas`
// is where it starts.
struct AutoscalingSpec {
  AutoscalingScaler scaler = AutoscalingScaler::Hpa;
  // Default 1 for an HPA (minReplicas), 0 for KEDA (minReplicaCount).
  int min_replicas = 1;
  int max_replicas = 1;  // required (HPA maxReplicas has no default)
  AutoscalingMetric metric = AutoscalingMetric::Cpu;
  // metric: cpu. Default 80 %: assumption (the HPA has no default target; 80 % is the value
  // most charts use).
  double target_cpu_utilization_percent = 80;
  // metric: table. The queue table whose rows are the external metric, and the rows one
  // replica should have (AverageValue target; KEDA's `threshold`). Both required. The other
  // external metrics (fts_queue, request_rate) use the target alone: queued transfers or
  // REST calls per second per replica.
  std::string table;
  double target_rows_per_replica = 0;
  // metric: latency (servers only). The p-th percentile of the server's API latency over the
  // calls completed in one period, against a Value target (k/k
  // pkg/controller/podautoscaler/horizontal.go, replica_calculator.go: an External metric such as a
  // Prometheus histogram_quantile through an adapter). The target is required; the percentile
  // defaults to 99 (assumption: the figure a latency SLO names).
  double target_latency_s = 0;
  double latency_percentile = 99;
  // metric: latency: an optional second metric, CPU utilisation in percent of the request;
  // the HPA takes the larger of the two recommendations (horizontal.go).
  std::optional<double> cpu_target_percent;
  // Default 15 s for an HPA (--horizontal-pod-autoscaler-sync-period), 30 s for KEDA
  // (pollingInterval).
  double period_s = 15;
  double tolerance = 0.1;                   // Default 0.1: --horizontal-pod-autoscaler-tolerance
  double scale_down_stabilization_s = 300;  // Default 300 s: behavior.scaleDown (HPA docs)
  double cooldown_s = 300;                  // KEDA cooldownPeriod, default 300 s (KEDA spec)
  double activation_rows = 0;               // KEDA activationThreshold, default 0 (KEDA spec)
  SourceLocation where;
};

// The work one batch pod does (a pilot's payload): `threads` threads each busy for run_time
// at one full core, holding `memory` of heap while it runs.
struct PayloadSpec {
  double run_time_s = 0;  // required
  // Each pod's run time is drawn uniformly in run_time·[1 − spread, 1 + spread]. Default 0.
  double run_time_spread = 0;
  // Default: the pod's CPU limit, else its request, rounded up; 1 if neither is set.
  std::optional<int> threads;
  double memory_bytes = 0;  // Default 0
};

enum class JobRestartPolicy { Never, OnFailure };

// batch.jobs.<name>: a Kubernetes Job (k/website concepts/workloads/controllers/job.md).
struct JobSpec {
  std::string name;
  int pods = 1;                    // completions. Default 1 (Job spec)
  std::optional<int> parallelism;  // Default: `pods` (all at once)
  double start_s = 0;
  int priority = 0;  // PriorityClass value. Default 0 (no PriorityClass)
  ContainerResources resources;
  // Default Never: the usual choice for pilot jobs (a failed pilot is not rerun in place).
  JobRestartPolicy restart_policy = JobRestartPolicy::Never;
  int backoff_limit = 6;  // Default 6: backoffLimit (Job spec)
  PayloadSpec payload;
  SourceLocation where;
};

// batch.vacuum.<name>: a vacuum controller (models/k8s/vacuum.hpp). Its timing defaults are
// assumptions of ours.
struct VacuumSpec {
  std::string name;
  double budget_cpu_cores = 0;  // required: Σ CPU requests of its live pods stays under it
  int max_pods = 1000;          // Default 1000: a cap, assumption
  std::int64_t payloads = 0;    // payloads waiting in the experiment's queue at the start
  double start_s = 0;
  double interval_s = 60;  // Default 1 min: how often it starts pods. Assumption
  double no_work_s = 60;   // Default 1 min: a pilot's look for work that finds none. Assumption
  double backoff_s = 600;  // Default 10 min: first back-off. Assumption
  double backoff_max_s = 3600;  // Default 1 h: back-off cap. Assumption
  int priority = 0;
  ContainerResources resources;
  PayloadSpec payload;
  SourceLocation where;
};

struct BatchSpec {
  std::map<std::string, JobSpec> jobs;
  std::map<std::string, VacuumSpec> vacuum;
};

}  // namespace dlsim::scenario
