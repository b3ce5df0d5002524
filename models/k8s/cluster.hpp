// The cluster: node pools as SimGrid hosts, pods placed by the scheduler (scheduler.hpp) and
// run as VMs bound to their CPU limit (DESIGN.md §2, §3.1), and the per-pod and per-node
// samples that monitoring would show.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/k8s/pod.hpp"
#include "models/k8s/scheduler.hpp"
#include "sim/scenario.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::k8s {

struct Node {
  std::string name;
  std::string pool;
  sim::Host* host = nullptr;
  CpuMem capacity;
  CpuMem allocatable;
  CpuMem requested;
  CpuMem non_zero_requested;
  int max_pods = kDefaultMaxPods;
  std::vector<std::size_t> pods;  // indices into Cluster::pods()
  double price_per_hour = 0;
};

class Cluster {
 public:
  Cluster(sim::ModelContext& ctx, SchedulerConfig scheduler);

  // Adds a node backed by an existing host.
  void add_node(const sim::NodePoolSpec& pool, const std::string& name, sim::Host* host);
  // Creates a pod and tries to schedule it now; Pending (and an Unschedulable event) if no
  // node fits. Returns the pod's index.
  std::size_t create_pod(const std::string& name, const std::string& service,
                         const ContainerResources& resources, double base_memory_bytes,
                         int priority = 0);

  Pod& pod(std::size_t i) { return *pods_[i]; }
  const std::vector<std::unique_ptr<Pod>>& pods() const { return pods_; }
  const std::vector<Node>& nodes() const { return nodes_; }

  // Records one sample of every pod and node (called every sample_interval).
  void sample(double interval_s);
  // Per-pod and per-node figures for the summary, from the samples taken.
  std::vector<sim::PodRecord> pod_records() const;
  std::vector<sim::NodeSummary> node_summaries() const;

 private:
  bool try_schedule(std::size_t pod_index);
  std::vector<NodeView> node_views() const;

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

  sim::ModelContext& ctx_;
  SchedulerConfig scheduler_;
  std::vector<Node> nodes_;
  std::vector<std::unique_ptr<Pod>> pods_;
  std::vector<PodSamples> pod_samples_;
  std::vector<NodeSamples> node_samples_;
  sim::Recorder::SeriesId pod_series_ = 0;
  sim::Recorder::SeriesId node_series_ = 0;
};

}  // namespace dlsim::models::k8s
