// Cluster Autoscaler scale-up estimation and scale-down planning; see cluster_autoscaler.hpp.
#include "models/k8s/cluster_autoscaler.hpp"

#include <algorithm>
#include <numeric>

namespace dlsim::models::k8s {

namespace {

void place(NodeView& node, const PodView& pod) {
  node.requested.cpu_cores += pod.cpu_request_cores.value_or(0.0);
  node.requested.mem_bytes += pod.mem_request_bytes.value_or(0.0);
  const CpuMem non_zero = non_zero_request(pod);
  node.non_zero_requested.cpu_cores += non_zero.cpu_cores;
  node.non_zero_requested.mem_bytes += non_zero.mem_bytes;
  ++node.pod_count;
}

NodeView template_node(const NodeGroupConfig& group) {
  NodeView n;
  n.name = "template";
  n.allocatable = group.template_allocatable;
  n.max_pods = group.template_max_pods;
  return n;
}

PodView as_pod_view(const PodOnNode& p) {
  PodView v;
  v.cpu_request_cores = p.cpu_request_cores;
  v.mem_request_bytes = p.mem_request_bytes;
  v.priority = p.priority;
  return v;
}

// binpacking_estimator.go: score = cpu/alloc + mem/alloc of the template, larger first.
double pack_score(const PodView& pod, const CpuMem& alloc) {
  double s = 0.0;
  if (alloc.cpu_cores > 0.0) s += pod.cpu_request_cores.value_or(0.0) / alloc.cpu_cores;
  if (alloc.mem_bytes > 0.0) s += pod.mem_request_bytes.value_or(0.0) / alloc.mem_bytes;
  return s;
}

}  // namespace

ScaleUpEstimate estimate_scale_up(std::span<const UnschedulablePod> pods,
                                  const NodeGroupConfig& group, std::vector<NodeView> upcoming,
                                  int max_new_nodes) {
  std::vector<std::size_t> order(pods.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return pack_score(pods[a].pod, group.template_allocatable) >
           pack_score(pods[b].pod, group.template_allocatable);
  });

  std::vector<NodeView> bins = std::move(upcoming);
  for (NodeView& b : bins) b.ready = true;  // they will be Ready when the pods get there
  const std::size_t n_upcoming = bins.size();
  const NodeView empty = template_node(group);
  ScaleUpEstimate est;
  for (std::size_t i : order) {
    const UnschedulablePod& p = pods[i];
    auto bin = std::find_if(bins.begin(), bins.end(),
                            [&](const NodeView& b) { return feasible(b, p.pod); });
    if (bin != bins.end()) {
      place(*bin, p.pod);
      const bool is_upcoming = static_cast<std::size_t>(bin - bins.begin()) < n_upcoming;
      (is_upcoming ? est.pods_on_upcoming_nodes : est.pods_on_new_nodes).push_back(p.id);
    } else if (feasible(empty, p.pod) && est.new_nodes < max_new_nodes) {
      bins.push_back(empty);
      place(bins.back(), p.pod);
      ++est.new_nodes;
      est.pods_on_new_nodes.push_back(p.id);
    } else {
      est.pods_not_helped.push_back(p.id);
    }
  }
  return est;
}

double node_utilization(const NodeView& node) {
  double u = 0.0;
  if (node.allocatable.cpu_cores > 0.0) {
    u = std::max(u, node.requested.cpu_cores / node.allocatable.cpu_cores);
  }
  if (node.allocatable.mem_bytes > 0.0) {
    u = std::max(u, node.requested.mem_bytes / node.allocatable.mem_bytes);
  }
  return u;
}

std::vector<std::size_t> find_unneeded_nodes(std::span<const NodeView> nodes,
                                             std::span<const NodeView> fixed_nodes,
                                             const CaConfig& config) {
  // Targets: the group's nodes then the fixed ones, without their pod lists (cheap copies).
  std::vector<NodeView> targets;
  for (auto span : {nodes, fixed_nodes}) {
    for (const NodeView& n : span) {
      targets.push_back(n);
      targets.back().pods.clear();
    }
  }
  std::vector<bool> removed(nodes.size(), false);
  std::vector<bool> received(targets.size(), false);  // got pods in this pass: keep it
  std::vector<std::size_t> unneeded;
  for (std::size_t c = 0; c < nodes.size(); ++c) {
    if (!nodes[c].ready || received[c] ||
        node_utilization(nodes[c]) >= config.scale_down_utilization_threshold) {
      continue;
    }
    std::vector<NodeView> trial = targets;
    std::vector<bool> trial_received = received;
    bool all_placed = true;
    for (const PodOnNode& pod : nodes[c].pods) {
      if (pod.priority < config.expendable_pods_priority_cutoff) continue;  // just killed
      const PodView view = as_pod_view(pod);
      bool placed = false;
      for (std::size_t t = 0; t < trial.size() && !placed; ++t) {
        if (t == c || (t < nodes.size() && removed[t]) || !feasible(trial[t], view)) continue;
        place(trial[t], view);
        trial_received[t] = true;
        placed = true;
      }
      if (!placed) {
        all_placed = false;
        break;
      }
    }
    if (!all_placed) continue;
    targets = std::move(trial);
    received = std::move(trial_received);
    removed[c] = true;
    unneeded.push_back(c);
  }
  return unneeded;
}

ClusterAutoscaler::ClusterAutoscaler(CaConfig config) : config_(std::move(config)) {}

CaDecision ClusterAutoscaler::step(double now_s, const ClusterSnapshot& snapshot) {
  std::set<std::string> present;
  for (const NodeView& n : snapshot.nodes) present.insert(n.name);
  const auto gone = [&](const std::string& name) { return !present.contains(name); };
  std::erase_if(being_deleted_, gone);
  std::erase_if(draining_, gone);
  std::erase_if(unneeded_since_, [&](const auto& entry) { return gone(entry.first); });

  CaDecision d;
  d.scale_up = plan_scale_up(snapshot);
  if (d.scale_up) {
    last_scale_up_s_ = now_s;  // static_autoscaler.go: no scale-down in this loop
    return d;
  }
  update_unneeded(now_s, snapshot);
  if (!in_cooldown(now_s)) d.scale_downs = plan_scale_down(now_s, snapshot);
  return d;
}

void ClusterAutoscaler::report_scale_down_failure(double now_s, const std::string& node_name) {
  being_deleted_.erase(node_name);
  draining_.erase(node_name);
  last_failure_s_ = now_s;
}

std::optional<ScaleUp> ClusterAutoscaler::plan_scale_up(const ClusterSnapshot& snapshot) {
  std::vector<UnschedulablePod> eligible;
  for (const UnschedulablePod& p : snapshot.unschedulable) {
    if (p.pod.priority >= config_.expendable_pods_priority_cutoff) eligible.push_back(p);
  }
  if (eligible.empty()) return std::nullopt;
  std::vector<NodeView> upcoming;
  for (const NodeView& n : snapshot.nodes) {
    if (!n.ready) upcoming.push_back(n);
  }
  for (int i = 0; i < snapshot.upcoming_nodes; ++i)
    upcoming.push_back(template_node(config_.group));
  const int target_size = static_cast<int>(snapshot.nodes.size()) + snapshot.upcoming_nodes;
  const int max_new = std::max(0, config_.group.max_size - target_size);
  ScaleUpEstimate est = estimate_scale_up(eligible, config_.group, std::move(upcoming), max_new);
  if (est.new_nodes == 0) return std::nullopt;
  return ScaleUp{est.new_nodes, std::move(est.pods_on_new_nodes)};
}

void ClusterAutoscaler::update_unneeded(double now_s, const ClusterSnapshot& snapshot) {
  std::vector<NodeView> live;
  for (const NodeView& n : snapshot.nodes) {
    if (!being_deleted_.contains(n.name)) live.push_back(n);
  }
  std::set<std::string> unneeded;
  for (std::size_t i : find_unneeded_nodes(live, snapshot.fixed_nodes, config_)) {
    unneeded.insert(live[i].name);
  }
  std::erase_if(unneeded_since_, [&](const auto& e) { return !unneeded.contains(e.first); });
  for (const std::string& name : unneeded) unneeded_since_.emplace(name, now_s);
}

std::vector<ScaleDown> ClusterAutoscaler::plan_scale_down(double now_s,
                                                          const ClusterSnapshot& snapshot) {
  int remaining = static_cast<int>(snapshot.nodes.size() - being_deleted_.size());
  int empties = 0;
  std::vector<ScaleDown> out;
  for (const NodeView& n : snapshot.nodes) {
    if (remaining <= config_.group.min_size) break;
    const auto since = unneeded_since_.find(n.name);
    if (being_deleted_.contains(n.name) || since == unneeded_since_.end() ||
        now_s - since->second < config_.scale_down_unneeded_time_s) {
      continue;
    }
    const bool empty = n.pod_count == 0;
    if (empty ? empties >= config_.max_empty_bulk_delete : !draining_.empty()) continue;
    ScaleDown sd{n.name, {}};
    for (const PodOnNode& p : n.pods) sd.pods_to_evict.push_back(p.id);
    if (empty) {
      ++empties;
    } else {
      draining_.insert(n.name);
    }
    being_deleted_.insert(n.name);
    unneeded_since_.erase(since);
    --remaining;
    out.push_back(std::move(sd));
  }
  return out;
}

bool ClusterAutoscaler::in_cooldown(double now_s) const {
  return (last_scale_up_s_ && now_s - *last_scale_up_s_ < config_.scale_down_delay_after_add_s) ||
         (last_failure_s_ && now_s - *last_failure_s_ < config_.scale_down_delay_after_failure_s);
}

}  // namespace dlsim::models::k8s
