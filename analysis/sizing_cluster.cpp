// Node count of a recommendation: its pods placed one by one with kube-scheduler's filter and
// scores (models/k8s/scheduler, the scenario's scoring strategy), onto nodes added as the
// cluster autoscaler adds them — only when no node in the cluster can take the pod
// (k/autoscaler cluster-autoscaler/FAQ.md) — from the first pool, by name, whose empty node holds
// it. Allocatable is capacity − reserved − eviction threshold (models/k8s/resources).
// Not modelled: DaemonSets (the scenario has none; their requests belong in `reserved`).
#include <algorithm>
#include <map>
#include <optional>
#include <random>

#include <fmt/core.h>

#include "analysis/sizing.hpp"
#include "models/k8s/resources.hpp"
#include "models/k8s/scheduler.hpp"

namespace dlsim::analysis {
namespace {

namespace k8s = models::k8s;

k8s::NodeView empty_node(const scenario::NodePoolSpec& pool, int index) {
  k8s::NodeView n;
  n.name = fmt::format("{}-{}", pool.name, index);
  k8s::NodeReservations reserved;
  reserved.system_reserved = {pool.reserved_cpu_cores, pool.reserved_mem_bytes};
  reserved.eviction_hard_mem_bytes = pool.eviction_hard_bytes;
  n.allocatable = k8s::node_allocatable({pool.cpu_cores, pool.mem_bytes}, reserved);
  n.max_pods = pool.max_pods;
  return n;
}

k8s::PodView pod_view(const PodRequest& p) {
  k8s::PodView v;
  v.cpu_request_cores = p.cpu_cores;
  v.mem_request_bytes = p.mem_bytes;
  v.qos = k8s::QosClass::Burstable;
  v.may_preempt = false;
  return v;
}

void bind(k8s::NodeView& n, const PodRequest& p) {
  n.requested.cpu_cores += p.cpu_cores;
  n.requested.mem_bytes += p.mem_bytes;
  n.non_zero_requested.cpu_cores += k8s::non_zero_cpu_request_cores(p.cpu_cores);
  n.non_zero_requested.mem_bytes += k8s::non_zero_mem_request_bytes(p.mem_bytes);
  ++n.pod_count;
}

struct Packing {
  std::vector<k8s::NodeView> nodes;
  std::map<std::string, int> count;  // nodes per pool
};

// The node the scheduler picks, or a new node of the first pool that can hold the pod.
std::optional<std::size_t> place(Packing& k, const PodRequest& p,
                                 const scenario::ClusterSpec& cluster,
                                 const k8s::SchedulerConfig& config, std::mt19937_64& rng) {
  const auto view = pod_view(p);
  if (auto chosen = k8s::select_node(k.nodes, view, config, rng)) return chosen;
  for (const auto& [name, pool] : cluster.node_pools) {
    if (pool.max_nodes && k.count[name] >= *pool.max_nodes) continue;
    auto n = empty_node(pool, k.count[name]);
    if (!k8s::feasible(n, view)) continue;
    k.nodes.push_back(n);
    ++k.count[name];
    return k.nodes.size() - 1;
  }
  return std::nullopt;
}

void price(ClusterSizing& out, const Packing& k, const scenario::ClusterSpec& cluster) {
  double cost_per_hour = 0;
  bool priced = true;
  for (const auto& [name, pool] : cluster.node_pools) {
    const auto n = empty_node(pool, 0);
    const auto it = k.count.find(name);
    PoolNodes pn{name,
                 it == k.count.end() ? 0 : it->second,
                 n.allocatable.cpu_cores,
                 n.allocatable.mem_bytes,
                 pool.price_per_node_hour,
                 std::string(scenario::to_string(pool.capacity_type))};
    out.nodes += pn.nodes;
    if (pn.nodes > 0 && pool.price_per_node_hour <= 0) priced = false;
    cost_per_hour += pn.nodes * pool.price_per_node_hour;
    out.pools.push_back(pn);
  }
  if (priced) out.cost_per_day = 24 * cost_per_hour;
}

}  // namespace

ClusterSizing pack_nodes(const std::vector<PodRequest>& pods, const scenario::ClusterSpec& cluster,
                         std::uint64_t seed) {
  k8s::SchedulerConfig config;
  config.strategy = cluster.scheduler_strategy;
  std::mt19937_64 rng(seed);
  Packing k;
  ClusterSizing out;
  for (const auto& p : pods) {
    auto chosen = place(k, p, cluster, config, rng);
    if (!chosen) {
      out.unplaced.push_back(p.name);
      continue;
    }
    bind(k.nodes[*chosen], p);
    ++out.pods;
    out.cpu_requested_cores += p.cpu_cores;
    out.mem_requested_bytes += p.mem_bytes;
  }
  price(out, k, cluster);
  return out;
}

}  // namespace dlsim::analysis
