// Capacity planning from one finished run (docs/design.md §5, docs/outputs.md "Sizing"):
// per Rucio service the CPU and memory requests and limits (VPA- or KRR-style:
// k/autoscaler vertical-pod-autoscaler/pkg/recommender/; KRR's simple strategy), the replicas
// and threads that keep each queue table drained, the
// server workers for the request rate and latency targets, then the nodes that hold the
// recommended requests under the scenario's scheduler, and their cost per day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/recorder.hpp"
#include "sim/summary.hpp"

namespace dlsim::analysis {

// --- rules (sizing_rules.cpp) -----------------------------------------------------------

// Nearest-rank percentile (p in 0..1) of `values`; 0 for no values.
double percentile(std::vector<double> values, double p);

// Cores rounded up to whole millicores; bytes rounded up to whole MiB.
double round_up_millicores(double cores);
double round_up_mib(double bytes);

// What the run showed of one service's CPU: every sample of every pod, and how throttled.
struct CpuObserved {
  // Of the samples pooled over the service's pods (VPA aggregates so): nearest-rank P90, max.
  double p90_cores = 0;
  double peak_cores = 0;
  std::vector<double> pod_p95_cores;  // per pod (KRR takes the max over pods)
  double throttled_fraction = 0;      // service mean (summary.json)
};

struct CpuAdvice {
  double request_cores = 0;
  std::optional<double> limit_cores;  // nullopt = leave unset (KRR)
  bool clipped = false;               // throttled: the samples do not show the demand
  std::string reason;
};

CpuAdvice size_cpu(const CpuObserved& seen, const scenario::ResourceSpec& now,
                   const scenario::SizingSpec& spec);

struct MemObserved {
  double ws_peak_bytes = 0;  // maximum working set over the service's pods
  std::int64_t oom_kills = 0;
  std::int64_t evictions = 0;
};

struct MemAdvice {
  double request_bytes = 0;
  double limit_bytes = 0;
  bool clipped = false;  // OOMKilled or evicted: the peak is not the demand
  std::string reason;
};

MemAdvice size_memory(const MemObserved& seen, const scenario::ResourceSpec& now,
                      const scenario::SizingSpec& spec);

// --- queue tables and servers (sizing_tables.cpp) ----------------------------------------

// A queue table over the run, from timeseries/tables.csv: rows and cumulative counters.
struct TableSeries {
  std::vector<double> times_s;
  std::vector<double> rows;
  std::vector<double> inserted;
  std::vector<double> drained;
};

struct TableFlow {
  double inflow_mean_rows_s = 0;
  double inflow_peak_rows_s = 0;            // highest mean over any peak_window
  std::optional<double> drain_busy_rows_s;  // drained per second while rows > 0
  double busy_s = 0;                        // time with rows > 0 throughout an interval
  double rows_max = 0;
  double rows_final = 0;
  double rows_window_before_end = 0;  // rows growing_window before the end
  bool growing = false;
};

TableFlow table_flow(const TableSeries& t, const scenario::SizingSpec& spec);

struct TableDrain {
  std::string table;
  std::string service;       // the daemon that drains it ("" if none in the scenario)
  std::string partitioning;  // per-thread, per-process, none
  TableFlow flow;
  bool on_demand = false;  // a stock, not a backlog (non-greedy reaper)
  // REQUESTS_SUBMITTED whose rows at the end are all transfers FTS has not finished: the
  // poller is not what holds them (more replicas cannot help).
  bool transfer_bound = false;
  int workers_now = 0;
  int workers_needed = 0;
  int replicas_recommended = 0;
  std::string verdict;
};

struct ApiLatency {
  std::string service;
  std::string operation;
  std::int64_t requests = 0;
  double rate_per_s = 0;
  double p50_s = 0;
  double p99_s = 0;
  std::optional<double> target_p99_s;
  bool met = true;
};

// --- the whole recommendation ------------------------------------------------------------

struct ServiceSizing {
  std::string service;
  bool daemon = true;
  int replicas = 0;
  int threads = 0;
  int processes = 1;
  CpuAdvice cpu;
  MemAdvice mem;
  std::string replicas_reason;
  // Outcomes of the run for this service (dlsim check compares them with the baseline).
  std::int64_t oom_kills = 0;
  std::int64_t evictions = 0;
  std::vector<std::string> growing_tables;
  std::string reason() const;  // the sizing.csv reason column
};

struct PoolNodes {
  std::string pool;
  int nodes = 0;
  double node_cpu_cores = 0;  // allocatable per node
  double node_mem_bytes = 0;
  double price_per_node_hour = 0;  // 0 = not given
  std::string capacity_type;       // "on-demand" or "spot"
  // nodes × 24 h × price_per_node_hour; nullopt when the pool has no price.
  std::optional<double> cost_per_day() const {
    if (price_per_node_hour <= 0) return std::nullopt;
    return nodes * 24 * price_per_node_hour;
  }
};

struct ClusterSizing {
  std::vector<PoolNodes> pools;
  int nodes = 0;
  int pods = 0;
  double cpu_requested_cores = 0;
  double mem_requested_bytes = 0;
  std::optional<double> cost_per_day;  // nullopt: a pool in use has no price
  std::vector<std::string> unplaced;   // pods that fit no node of any pool
};

struct SizingResult {
  std::string method;
  double simulated_s = 0;
  std::vector<ServiceSizing> services;
  std::vector<TableDrain> tables;
  std::vector<ApiLatency> api;
  ClusterSizing cluster;
  std::int64_t pods_pending_final = 0;
  // Why the run does not verify the deployment: OOM kills, evictions, growing tables, unmet
  // latency targets, pods left Pending. Empty = the run verifies it.
  std::vector<std::string> failures;
};

// Pods to place: name, requests (cores, bytes).
struct PodRequest {
  std::string name;
  double cpu_cores = 0;
  double mem_bytes = 0;
};

// Packs pods with kube-scheduler's filter and scores (models/k8s/scheduler) onto nodes
// added one at a time from the first pool (by name) that can hold the pod, as the cluster
// autoscaler would.
ClusterSizing pack_nodes(const std::vector<PodRequest>& pods, const scenario::ClusterSpec& cluster,
                         std::uint64_t seed);

// `transfers_unfinished`: transfers submitted to FTS and neither done nor failed at the end
// (summary.json transfers: submitted − done − failed), when the run has transfers.
std::vector<TableDrain> size_tables(const scenario::Scenario& s, const sim::Recorder& r,
                                    std::optional<double> transfers_unfinished = std::nullopt);
std::vector<ApiLatency> api_latencies(const scenario::Scenario& s, const sim::Summary& summary);

SizingResult size_run(const scenario::Scenario& s, const sim::Summary& summary,
                      const sim::Recorder& recorder);

// --- outputs (sizing_output.cpp) ---------------------------------------------------------

std::string sizing_csv(const SizingResult& r);
std::string sizing_json(const SizingResult& r);
std::string sizing_md(const SizingResult& r, const std::string& scenario_name);

}  // namespace dlsim::analysis
