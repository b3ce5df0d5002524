// What monitoring shows of the cluster: every sample_interval (15 s, Prometheus' scrape
// interval; metrics-server's resolution for the HPA) one sample of each pod's CPU, throttling
// and memory, each node's use and requests, and each pool's nodes and pods, recorded as the
// pods, nodes and cluster series (docs/outputs.md); and the summary figures built from the
// samples taken (pod records, node and pool summaries, pods per owner).
//
// The monitor observes a Cluster, which owns it and tells it of each node and pod it adds;
// it reads the cluster's state and changes none of it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/resources.hpp"
#include "scenario/scenario.hpp"
#include "sim/recorder.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::k8s {

class Cluster;

class ClusterMonitor {
 public:
  // Declares the pods, nodes and cluster series on `ctx`'s recorder.
  ClusterMonitor(sim::ModelContext& ctx, const Cluster& cluster);

  // The cluster added a node of `pool` (last in Cluster::nodes()), or a pod (last in
  // Cluster::pods()).
  void node_added(const scenario::NodePoolSpec& pool);
  void pod_added();

  // Records one sample of every pod, node and pool; `interval_s` since the previous one.
  void sample(double interval_s);
  // CPU of the pod in the last sample, cores; nullopt if it has none or is not running (the
  // HPA's CPU metric).
  std::optional<double> last_cpu_cores(std::size_t pod) const;
  // Per-pod, per-node and per-pool figures for the summary, from the samples taken.
  std::vector<sim::PodRecord> pod_records() const;
  std::vector<sim::NodeSummary> node_summaries() const;
  std::vector<sim::PoolSummary> pool_summaries() const;
  // Fills pods_min, pods_max and pod_hours of the services and jobs named in `summary`.
  void fill_pod_counts(sim::Summary& summary) const;

 private:
  // Use of one sample per node (indices into Cluster::nodes()), from the pods bound there.
  struct NodeUse {
    std::vector<double> cpu_cores, ws_bytes, cpu_core_seconds;
  };
  // Totals of one pool at one sample.
  struct PoolTotals {
    double ready = 0, not_ready = 0, provisioning = 0, running = 0, pending = 0;
    CpuMem allocatable, requested;
    double cpu_used = 0, mem_ws = 0;
  };
  struct PodSamples {
    double last_cpu_core_seconds = 0;
    double last_throttled_s = 0;
    std::vector<double> cpu_cores;
    double throttled_sum = 0;
    double ws_max = 0;
    double rss_max = 0;
  };
  struct NodeSamples {
    double cpu_sum = 0;
    double cpu_max = 0;
    double ws_max = 0;
    int count = 0;
  };
  struct PoolSamples {
    std::string capacity_type;
    double price_per_node_hour = 0;
    double cpu_used_core_seconds = 0;  // Σ over samples of each pod's CPU × its window
    int nodes_min = -1;
    int nodes_max = 0;
    double cpu_requested_fraction_sum = 0;
    double cpu_used_fraction_sum = 0;
    int count = 0;  // samples with at least one node
  };
  struct OwnerSamples {  // pods of one service, job or vacuum pool
    int pods_min = -1;
    int pods_max = 0;
  };

  void sample_owners();  // live pods per owner, for fill_pod_counts()
  NodeUse sample_pods(double t, double interval_s);
  std::map<std::string, PoolTotals> sample_nodes(double t, const NodeUse& use);
  void sample_pools(double t, std::map<std::string, PoolTotals>& pools);

  sim::ModelContext& ctx_;
  const Cluster& cluster_;
  std::vector<PodSamples> pod_samples_;    // per pod index
  std::vector<NodeSamples> node_samples_;  // per node index
  std::map<std::string, PoolSamples> pool_samples_;
  std::map<std::string, OwnerSamples> owner_samples_;
  sim::Recorder::SeriesId pod_series_ = 0;
  sim::Recorder::SeriesId node_series_ = 0;
  sim::Recorder::SeriesId cluster_series_ = 0;
};

}  // namespace dlsim::models::k8s
