// What monitoring shows of the cluster; see cluster_monitor.hpp.
#include "models/k8s/cluster_monitor.hpp"

#include <algorithm>
#include <cmath>

#include "models/k8s/cluster.hpp"

namespace dlsim::models::k8s {

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest-rank percentile.
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

bool in_cluster(const Node& n) {
  return n.state == NodeState::Ready || n.state == NodeState::NotReady;
}

}  // namespace

ClusterMonitor::ClusterMonitor(sim::ModelContext& ctx, const Cluster& cluster)
    : ctx_(ctx), cluster_(cluster) {
  pod_series_ = ctx_.recorder.declare_series(
      "pods", {"cpu_cores", "throttled_fraction", "mem_ws_bytes", "mem_rss_bytes", "restarts"});
  node_series_ = ctx_.recorder.declare_series(
      "nodes", {"cpu_used_cores", "mem_ws_bytes", "cpu_requested_cores", "mem_requested_bytes"});
  cluster_series_ = ctx_.recorder.declare_series(
      "cluster", {"nodes_ready", "nodes_not_ready", "nodes_provisioning", "pods_running",
                  "pods_pending", "cpu_allocatable_cores", "cpu_requested_cores", "cpu_used_cores",
                  "mem_allocatable_bytes", "mem_requested_bytes", "mem_ws_bytes"});
}

void ClusterMonitor::node_added(const scenario::NodePoolSpec& pool) {
  node_samples_.emplace_back();
  PoolSamples& samples = pool_samples_[pool.name];
  samples.capacity_type = std::string(scenario::to_string(pool.capacity_type));
  samples.price_per_node_hour = pool.price_per_node_hour;
}

void ClusterMonitor::pod_added() {
  pod_samples_.emplace_back();
}

void ClusterMonitor::sample(double interval_s) {
  const double t = sim::now();
  sample_owners();
  const NodeUse use = sample_pods(t, interval_s);
  std::map<std::string, PoolTotals> pools = sample_nodes(t, use);
  sample_pools(t, pools);
}

ClusterMonitor::NodeUse ClusterMonitor::sample_pods(double t, double interval_s) {
  const auto& pods = cluster_.pods();
  const std::size_t node_count = cluster_.nodes().size();
  NodeUse use{std::vector<double>(node_count, 0.0), std::vector<double>(node_count, 0.0),
              std::vector<double>(node_count, 0.0)};
  for (std::size_t i = 0; i < pods.size(); ++i) {
    Pod& p = *pods[i];
    if (!p.node_index()) continue;
    // cpu_core_seconds() makes simcalls during which other actors run: they may create pods
    // (pod_samples_ grows and moves) or unbind this one. The reference is taken after it.
    const double cpu_s = p.cpu_core_seconds();
    if (!p.node_index()) continue;
    PodSamples& s = pod_samples_[i];
    const double throttled_s = p.throttled_seconds();
    // A pod bound since the last sample has used CPU since its binding only.
    const double since = std::max(t - interval_s, p.scheduled_s());
    const double window = std::max(t - since, 1e-9);
    // Never above the quota: the idle load, counted outside the engine, cannot add to a
    // container already at its limit.
    const double cpu = std::min(std::max(0.0, cpu_s - s.last_cpu_core_seconds) / window,
                                p.resources().cpu_limit_cores.value_or(1e300));
    const double throttled =
        std::min(1.0, std::max(0.0, throttled_s - s.last_throttled_s) / window);
    s.last_cpu_core_seconds = cpu_s;
    s.last_throttled_s = throttled_s;
    const double ws = p.memory().working_set_bytes();
    const double rss = p.memory().rss_bytes();
    s.cpu_cores.push_back(cpu);
    s.throttled_sum += throttled;
    s.ws_max = std::max(s.ws_max, ws);
    s.rss_max = std::max(s.rss_max, rss);
    use.cpu_cores[*p.node_index()] += cpu;
    use.cpu_core_seconds[*p.node_index()] += cpu * window;
    use.ws_bytes[*p.node_index()] += ws;
    ctx_.recorder.sample(pod_series_, t, p.name(),
                         {cpu, throttled, ws, rss, static_cast<double>(p.restarts())});
  }
  return use;
}

std::map<std::string, ClusterMonitor::PoolTotals> ClusterMonitor::sample_nodes(double t,
                                                                               const NodeUse& use) {
  const auto& nodes = cluster_.nodes();
  std::map<std::string, PoolTotals> pools;
  for (const auto& [name, _] : pool_samples_) pools[name];
  for (std::size_t n = 0; n < use.cpu_cores.size(); ++n) {
    const Node& node = nodes[n];
    PoolTotals& pool = pools[node.pool];
    if (node.state == NodeState::Provisioning) pool.provisioning += 1;
    if (!in_cluster(node)) continue;
    (node.state == NodeState::Ready ? pool.ready : pool.not_ready) += 1;
    pool.allocatable.cpu_cores += node.allocatable.cpu_cores;
    pool.allocatable.mem_bytes += node.allocatable.mem_bytes;
    pool.requested.cpu_cores += node.requested.cpu_cores;
    pool.requested.mem_bytes += node.requested.mem_bytes;
    pool.cpu_used += use.cpu_cores[n];
    pool_samples_[node.pool].cpu_used_core_seconds += use.cpu_core_seconds[n];
    pool.mem_ws += use.ws_bytes[n];
    for (std::size_t p : node.pods) pool.running += cluster_.pods()[p]->running() ? 1 : 0;
    NodeSamples& s = node_samples_[n];
    s.cpu_sum += use.cpu_cores[n];
    s.cpu_max = std::max(s.cpu_max, use.cpu_cores[n]);
    s.ws_max = std::max(s.ws_max, use.ws_bytes[n]);
    ++s.count;
    ctx_.recorder.sample(
        node_series_, t, node.name,
        {use.cpu_cores[n], use.ws_bytes[n], node.requested.cpu_cores, node.requested.mem_bytes});
  }
  return pools;
}

void ClusterMonitor::sample_pools(double t, std::map<std::string, PoolTotals>& pools) {
  // Pending pods are not on a pool yet: counted on the cluster-wide row only.
  double pending = 0;
  for (std::size_t p : cluster_.pending_)
    pending += cluster_.pods()[p]->phase() == PodPhase::Pending ? 1 : 0;
  PoolTotals all;
  for (auto& [name, pool] : pools) {
    PoolSamples& s = pool_samples_[name];
    const int count = static_cast<int>(pool.ready + pool.not_ready);
    s.nodes_min = s.nodes_min < 0 ? count : std::min(s.nodes_min, count);
    s.nodes_max = std::max(s.nodes_max, count);
    if (pool.allocatable.cpu_cores > 0) {
      s.cpu_requested_fraction_sum += pool.requested.cpu_cores / pool.allocatable.cpu_cores;
      s.cpu_used_fraction_sum += pool.cpu_used / pool.allocatable.cpu_cores;
      ++s.count;
    }
    ctx_.recorder.sample(cluster_series_, t, name,
                         {pool.ready, pool.not_ready, pool.provisioning, pool.running, 0,
                          pool.allocatable.cpu_cores, pool.requested.cpu_cores, pool.cpu_used,
                          pool.allocatable.mem_bytes, pool.requested.mem_bytes, pool.mem_ws});
    all.ready += pool.ready;
    all.not_ready += pool.not_ready;
    all.provisioning += pool.provisioning;
    all.running += pool.running;
    all.allocatable.cpu_cores += pool.allocatable.cpu_cores;
    all.allocatable.mem_bytes += pool.allocatable.mem_bytes;
    all.requested.cpu_cores += pool.requested.cpu_cores;
    all.requested.mem_bytes += pool.requested.mem_bytes;
    all.cpu_used += pool.cpu_used;
    all.mem_ws += pool.mem_ws;
  }
  ctx_.recorder.sample(cluster_series_, t, "*",
                       {all.ready, all.not_ready, all.provisioning, all.running, pending,
                        all.allocatable.cpu_cores, all.requested.cpu_cores, all.cpu_used,
                        all.allocatable.mem_bytes, all.requested.mem_bytes, all.mem_ws});
}

void ClusterMonitor::sample_owners() {
  std::map<std::string, int> live;
  for (const auto& p : cluster_.pods()) {
    if (!p->ever_existed()) continue;  // an autoscaler's slot not used yet
    int& n = live[p->service()];
    const PodPhase phase = p->phase();
    if (phase != PodPhase::Absent && phase != PodPhase::Succeeded && phase != PodPhase::Failed) ++n;
  }
  for (const auto& [owner, n] : live) {
    OwnerSamples& s = owner_samples_[owner];
    s.pods_min = s.pods_min < 0 ? n : std::min(s.pods_min, n);
    s.pods_max = std::max(s.pods_max, n);
  }
}

std::optional<double> ClusterMonitor::last_cpu_cores(std::size_t pod) const {
  const auto& s = pod_samples_[pod].cpu_cores;
  if (s.empty() || !cluster_.pods()[pod]->running()) return std::nullopt;
  return s.back();
}
std::vector<sim::PodRecord> ClusterMonitor::pod_records() const {
  std::vector<sim::PodRecord> out;
  for (std::size_t i = 0; i < cluster_.pods().size(); ++i) {
    const Pod& p = *cluster_.pods()[i];
    if (!p.ever_existed()) continue;  // a Deployment slot never scaled up to
    const PodSamples& s = pod_samples_[i];
    sim::PodRecord r;
    r.name = p.name();
    r.service = p.service();
    r.node = p.last_node_name();
    r.qos = std::string(to_string(p.qos()));
    r.phase = std::string(to_string(p.phase()));
    r.resources = p.resources();
    r.scheduled_s = p.scheduled_s();
    r.bound_s = p.bound_seconds();
    r.restarts = p.restarts();
    r.oom_kills = p.oom_kills();
    r.evictions = p.evictions();
    double sum = 0;
    for (double c : s.cpu_cores) sum += c;
    auto n = static_cast<double>(s.cpu_cores.size());
    r.cpu_mean_cores = n > 0 ? sum / n : 0;
    r.cpu_p95_cores = percentile(s.cpu_cores, 0.95);
    r.cpu_max_cores =
        s.cpu_cores.empty() ? 0 : *std::max_element(s.cpu_cores.begin(), s.cpu_cores.end());
    r.mem_ws_max_bytes = s.ws_max;
    r.mem_rss_max_bytes = s.rss_max;
    r.throttled_fraction = n > 0 ? s.throttled_sum / n : 0;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<sim::NodeSummary> ClusterMonitor::node_summaries() const {
  std::vector<sim::NodeSummary> out;
  for (std::size_t i = 0; i < cluster_.nodes().size(); ++i) {
    const Node& n = cluster_.nodes()[i];
    if (!n.ever_in_cluster) continue;
    const NodeSamples& s = node_samples_[i];
    sim::NodeSummary r;
    r.name = n.name;
    r.pool = n.pool;
    r.cpu_allocatable_cores = n.allocatable.cpu_cores;
    r.mem_allocatable_bytes = n.allocatable.mem_bytes;
    r.cpu_requested_cores = n.requested.cpu_cores;
    r.mem_requested_bytes = n.requested.mem_bytes;
    r.cpu_used_mean_cores = s.count > 0 ? s.cpu_sum / s.count : 0;
    r.cpu_used_max_cores = s.cpu_max;
    r.mem_ws_max_bytes = s.ws_max;
    r.pods = static_cast<int>(n.pods.size());
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<sim::PoolSummary> ClusterMonitor::pool_summaries() const {
  std::vector<sim::PoolSummary> out;
  for (const auto& [name, s] : pool_samples_) {
    sim::PoolSummary r;
    r.name = name;
    r.nodes_min = std::max(0, s.nodes_min);
    r.nodes_max = s.nodes_max;
    r.capacity_type = s.capacity_type;
    r.price_per_node_hour = s.price_per_node_hour;
    for (const Node& n : cluster_.nodes()) {
      if (n.pool != name) continue;
      if (in_cluster(n)) ++r.nodes_final;
      const double open = n.in_cluster_since_s >= 0 ? sim::now() - n.in_cluster_since_s : 0.0;
      const double hours = (n.node_seconds + open) / 3600.0;
      r.node_hours += hours;
      r.cost += hours * n.price_per_hour;
      r.cpu_allocatable_core_hours += hours * n.allocatable.cpu_cores;
      r.cpu_requested_core_hours +=
          (n.requested_core_seconds + n.requested.cpu_cores * (sim::now() - n.requested_since_s)) /
          3600.0;
    }
    r.cpu_used_core_hours = s.cpu_used_core_seconds / 3600.0;
    r.cpu_requested_mean_fraction = s.count > 0 ? s.cpu_requested_fraction_sum / s.count : 0;
    r.cpu_used_mean_fraction = s.count > 0 ? s.cpu_used_fraction_sum / s.count : 0;
    out.push_back(std::move(r));
  }
  return out;
}

void ClusterMonitor::fill_pod_counts(sim::Summary& summary) const {
  // Pod-hours are bound time: what an owner's pods held of the cluster (requests on a node),
  // which is what node-hours and cost pay for.
  std::map<std::string, double> bound_s;
  for (const auto& p : cluster_.pods()) bound_s[p->service()] += p->bound_seconds();
  auto fill = [&](const std::string& owner, int& pods_min, int& pods_max, double& pod_hours) {
    if (auto it = owner_samples_.find(owner); it != owner_samples_.end()) {
      pods_min = std::max(0, it->second.pods_min);
      pods_max = it->second.pods_max;
    }
    if (auto it = bound_s.find(owner); it != bound_s.end()) pod_hours = it->second / 3600.0;
  };
  for (auto& v : summary.services) fill(v.name, v.pods_min, v.pods_max, v.pod_hours);
  for (auto& j : summary.jobs) fill(j.name, j.pods_min, j.pods_max, j.pod_hours);
  if (summary.transfers.fts)
    for (auto& v : summary.transfers.fts->services)
      fill(v.name, v.pods_min, v.pods_max, v.pod_hours);
}

}  // namespace dlsim::models::k8s
