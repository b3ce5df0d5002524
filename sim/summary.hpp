// The results of one run in the shape of summary.json (schema dlsim.summary/1, docs/design.md §5).
// Filled by app/run_wiring from the models' final state and the recorder's samples.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace dlsim::sim {

// What a Rucio process does, counted in the units the cost constants of rucio.model price
// (docs/design.md §3.3): a daemon's or server's CPU is its work times the global constants,
// so the same constants price every service and calibration has one linear system to solve.
// The models count their work in it (rucio::Work) and a service's summary holds the sum over
// its pods: the basis of its CPU, and of calibration.
struct WorkCounts {
  double statements = 0;   // SQL statements issued (ORM/driver work in the process, a round trip)
  double rows = 0;         // rows loaded into Python as ORM objects or dicts
  double dedup_pairs = 0;  // (row, unique row) comparisons of an in-Python de-duplication
  double messages = 0;     // messages built and sent (STOMP) or parsed
  double requests = 0;     // HTTP requests served (WSGI dispatch, auth hook, response)
  double fts_calls = 0;    // FTS REST calls made (job submissions, status queries)

  WorkCounts& operator+=(const WorkCounts& o) {
    statements += o.statements;
    rows += o.rows;
    dedup_pairs += o.dedup_pairs;
    messages += o.messages;
    requests += o.requests;
    fts_calls += o.fts_calls;
    return *this;
  }
};

inline WorkCounts operator*(double k, WorkCounts w) {
  w.statements *= k;
  w.rows *= k;
  w.dedup_pairs *= k;
  w.messages *= k;
  w.requests *= k;
  w.fts_calls *= k;
  return w;
}

struct ServiceSummary {
  std::string name;
  std::string kind;  // the daemon or server kind
  int replicas = 0;
  int threads = 0;
  scenario::ResourceSpec resources;
  // Per pod, as a dashboard shows them: means over the service's pods, peaks and
  // percentiles the maximum over its pods; counts summed over its pods.
  double cpu_mean_cores = 0;
  double cpu_p95_cores = 0;
  double cpu_max_cores = 0;
  double mem_ws_max_bytes = 0;
  double mem_rss_max_bytes = 0;
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
  std::int64_t evictions = 0;
  double throttled_fraction = 0;
  // Its pods over the run (an HPA or KEDA moves them): pods that exist (Pending, running or
  // restarting) at each sample, lowest and highest, and Σ over its pods of the time bound to a
  // node (holding its requests; Pending and Absent slots count nothing), in pod-hours.
  int pods_min = 0;
  int pods_max = 0;
  double pod_hours = 0;
  WorkCounts work;
  std::int64_t cycles = 0;  // daemon cycles completed (0 for servers)
};

struct TableSummary {
  std::string name;
  std::int64_t rows_max = 0;
  std::int64_t rows_final = 0;
  std::int64_t inserted = 0;
  std::int64_t drained = 0;
};

struct RseSummary {
  std::string name;
  std::int64_t files_final = 0;
  double bytes_final = 0;
  double quota_bytes = 0;
  std::int64_t replicas_max = 0;
  double bytes_read = 0;  // read by downloads
};

struct LinkSummary {
  std::string source;
  std::string destination;
  std::int64_t submitted = 0;
  std::int64_t done = 0;
  std::int64_t failed = 0;
  double bytes_done = 0;
};

// Time from a transfer's submission to FTS to the start of its url-copy, over the transfers
// started in the run (each hop of a multihop job counts as one).
struct QueueWaitSummary {
  std::int64_t started = 0;
  double mean_s = 0;
  double p50_s = 0;
  double p95_s = 0;
  double p99_s = 0;
  double max_s = 0;
};

// The FTS deployment of transfers.fts (absent without it). Memory figures are totals over the
// deployment: every VM's, or every pod's at the service's peak replicas.
struct FtsSummary {
  std::string deployment;         // "vm" or "k8s"
  int hosts_max = 0;              // VMs, or server pods at their peak
  int slots_per_host = 0;         // url-copy processes one host may run
  std::int64_t capacity_max = 0;  // Σ slots of the hosts up, at its peak
  std::int64_t running_max = 0;   // url-copy processes running at once, at the peak
  double pool_memory_bytes = 0;   // the pool's nodes: memory less their reservation
  double server_memory_bytes = 0;
  double rest_memory_bytes = 0;
  double monitoring_memory_bytes = 0;
  // pool memory − server − REST − monitoring: what is left for url-copy processes.
  double memory_for_transfers_bytes = 0;
  double url_copy_memory_max_bytes = 0;  // running_max × url_copy_memory
  double rest_calls = 0;
  double rest_calls_per_s_max = 0;       // over one minute
  double rest_calls_unserved = 0;        // arrived while no REST pod ran
  std::vector<ServiceSummary> services;  // k8s: fts-server, fts-rest, fts-monitoring
};

struct TransferSummary {
  std::int64_t submitted = 0;
  std::int64_t done = 0;
  std::int64_t failed = 0;
  double bytes_done = 0;
  std::vector<LinkSummary> links;
  QueueWaitSummary queue_wait;
  double done_per_hour_mean = 0;       // done ÷ simulated hours
  std::int64_t done_per_hour_max = 0;  // most done in one clock hour of the run
  std::optional<FtsSummary> fts;
};

struct NodeSummary {
  std::string name;
  std::string pool;
  double cpu_allocatable_cores = 0;
  double mem_allocatable_bytes = 0;
  double cpu_requested_cores = 0;
  double mem_requested_bytes = 0;
  double cpu_used_mean_cores = 0;
  double cpu_used_max_cores = 0;
  double mem_ws_max_bytes = 0;
  int pods = 0;
};

// One node pool over the run (from the samples every sample_interval).
struct PoolSummary {
  std::string name;
  int nodes_min = 0;  // nodes in the cluster (Ready or NotReady) at a sample
  int nodes_max = 0;
  int nodes_final = 0;
  std::string capacity_type;  // "on-demand" or "spot" (cluster.node_pools.*.capacity_type)
  double price_per_node_hour = 0;
  double node_hours = 0;  // time its nodes spent in the cluster
  double cost = 0;        // node_hours × price_per_node_hour
  // CPU core-hours of its nodes: allocatable while they were in the cluster and requested by
  // the pods bound to them (both exact, from every change), and used by those pods (from the
  // samples: what monitoring sees; a pod's CPU after its last sample is not counted).
  double cpu_allocatable_core_hours = 0;
  double cpu_requested_core_hours = 0;
  double cpu_used_core_hours = 0;
  // Mean over samples of Σ CPU requests / Σ allocatable CPU of its nodes, and of Σ CPU used.
  double cpu_requested_mean_fraction = 0;
  double cpu_used_mean_fraction = 0;
};

// One batch Job or vacuum pool (models/k8s/job.hpp, vacuum.hpp).
struct JobSummary {
  std::string name;
  std::string kind;  // "job" or "vacuum"
  std::int64_t pods_created = 0;
  std::int64_t succeeded = 0;  // pods that exited 0 (vacuum: with or without work)
  std::int64_t failed = 0;     // pods evicted, preempted, drained or killed for good
  std::int64_t running_final = 0;
  std::int64_t pending_final = 0;
  std::int64_t payloads_done = 0;
  std::int64_t no_work = 0;   // vacuum pods that found no payload
  std::int64_t backoffs = 0;  // vacuum back-off periods
  // Creation → first scheduling; pods still Pending at the end count with their wait so far.
  double wait_mean_s = 0;
  double wait_p50_s = 0;
  double wait_p95_s = 0;
  double wait_max_s = 0;
  double run_mean_s = 0;  // scheduling → success
  // Its pods over the run, as for a service: live pods at the samples, hours they ran.
  int pods_min = 0;
  int pods_max = 0;
  double pod_hours = 0;
};

struct ApiSummary {
  std::string service;
  std::string operation;
  std::int64_t requests = 0;
  double p50_s = 0;
  double p95_s = 0;
  double p99_s = 0;
};

// One row of pods.csv: a pod's placement, settings and what happened to it.
struct PodRecord {
  std::string name;
  std::string service;
  std::string node;  // empty while Pending
  std::string qos;
  std::string phase;  // Running, Pending, Failed, ...
  scenario::ResourceSpec resources;
  double scheduled_s = -1;
  double bound_s = 0;  // time bound to a node over all its bindings (summary only)
  std::int64_t restarts = 0;
  std::int64_t oom_kills = 0;
  std::int64_t evictions = 0;
  double cpu_mean_cores = 0;
  double cpu_p95_cores = 0;
  double cpu_max_cores = 0;
  double mem_ws_max_bytes = 0;
  double mem_rss_max_bytes = 0;
  double throttled_fraction = 0;
};

struct Summary {
  std::string scenario;
  std::uint64_t seed = 0;
  double simulated_s = 0;
  std::vector<ServiceSummary> services;
  std::vector<TableSummary> tables;
  std::vector<RseSummary> rses;
  TransferSummary transfers;
  std::vector<NodeSummary> nodes;
  std::vector<PoolSummary> pools;
  std::vector<JobSummary> jobs;
  std::vector<ApiSummary> api;
  std::vector<PodRecord> pods;
};

}  // namespace dlsim::sim
