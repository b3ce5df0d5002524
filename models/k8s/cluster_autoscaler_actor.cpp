// Cluster Autoscaler actor over the autoscaled node pools; see cluster_autoscaler_actor.hpp.
#include "models/k8s/cluster_autoscaler_actor.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

namespace dlsim::models::k8s {

namespace {

bool in_cluster(const Node& n) {
  return n.state == NodeState::Ready || n.state == NodeState::NotReady;
}

}  // namespace

NodeAutoscaler::NodeAutoscaler(Cluster& cluster, std::vector<NodeGroupSetup> groups,
                               double scan_interval_s)
    : cluster_(cluster), scan_interval_s_(scan_interval_s) {
  for (NodeGroupSetup& setup : groups) {
    Group g{setup, ClusterAutoscaler(setup.ca), {}};
    for (std::size_t n = 0; n < cluster_.nodes().size(); ++n)
      if (cluster_.nodes()[n].pool == setup.pool) g.nodes.push_back(n);
    groups_.push_back(std::move(g));
  }
}

void NodeAutoscaler::start() {
  sim::spawn("cluster-autoscaler", cluster_.control_plane(), [this] {
    for (;;) {
      sim::sleep_for(scan_interval_s_);
      cluster_.run_exclusive([this] { scan(); });
    }
  });
}

void NodeAutoscaler::scan() {
  std::vector<UnschedulablePod> unschedulable;
  for (std::size_t p : cluster_.unschedulable_pods())
    unschedulable.push_back({std::to_string(p), cluster_.pod_view(cluster_.pod(p))});
  for (Group& g : groups_) {
    finish_drains(g);
    ClusterSnapshot snap;
    std::set<std::size_t> mine(g.nodes.begin(), g.nodes.end());
    for (std::size_t n : g.nodes) {
      const Node& node = cluster_.nodes()[n];
      if (node.state == NodeState::Provisioning) ++snap.upcoming_nodes;
      if (!in_cluster(node)) continue;
      snap.nodes.push_back(cluster_.node_view(n, true));
      // A node being drained is no capacity coming up: the CA tracks it as being deleted.
      if (node.cordoned) snap.nodes.back().ready = true;
    }
    for (std::size_t n = 0; n < cluster_.nodes().size(); ++n)
      if (!mine.contains(n) && in_cluster(cluster_.nodes()[n]) && !cluster_.nodes()[n].cordoned)
        snap.fixed_nodes.push_back(cluster_.node_view(n, false));
    snap.unschedulable = unschedulable;
    const CaDecision d = g.ca.step(sim::now(), snap);
    if (d.scale_up &&
        !scale_up(g, d.scale_up->node_count, d.scale_up->helped_pod_ids.size()).empty()) {
      const auto& helped = d.scale_up->helped_pod_ids;
      std::erase_if(unschedulable, [&](const UnschedulablePod& p) {
        return std::find(helped.begin(), helped.end(), p.id) != helped.end();
      });
    }
    for (const ScaleDown& sd : d.scale_downs) drain(g, sd);
  }
}

std::vector<std::string> NodeAutoscaler::scale_up(Group& g, int count, std::size_t pods) {
  std::vector<std::string> added;
  for (std::size_t n : g.nodes) {
    if (static_cast<int>(added.size()) == count) break;
    if (cluster_.nodes()[n].state != NodeState::Absent) continue;
    cluster_.mark_provisioning(n);
    added.push_back(cluster_.nodes()[n].name);
    sim::spawn("provision/" + cluster_.nodes()[n].name, cluster_.control_plane(),
               [this, n, delay = g.setup.provisioning_delay_s] {
                 sim::sleep_for(delay);
                 if (cluster_.nodes()[n].state == NodeState::Provisioning)
                   cluster_.provision_node(n);
               });
  }
  if (!added.empty())
    cluster_.context().recorder.event(
        sim::now(), "ScaledUp", g.setup.pool, "",
        fmt::format("+{} node(s) for {} unschedulable pod(s), ready in {:.0f} s", added.size(),
                    pods, g.setup.provisioning_delay_s));
  return added;
}

void NodeAutoscaler::drain(Group& g, const ScaleDown& sd) {
  const auto it = std::find_if(g.nodes.begin(), g.nodes.end(), [&](std::size_t n) {
    return cluster_.nodes()[n].name == sd.node_name;
  });
  if (it == g.nodes.end()) return;
  cluster_.cordon(*it);
  const double max_grace = g.setup.ca.max_graceful_termination_s;
  for (const std::string& id : sd.pods_to_evict) {
    const std::size_t p = std::stoul(id);
    cluster_.delete_pod(p, PodEndReason::Drained,
                        std::min(cluster_.pod(p).spec().termination_grace_s, max_grace));
  }
  finish_drains(g);
}

void NodeAutoscaler::finish_drains(Group& g) {
  for (std::size_t n : g.nodes) {
    const Node& node = cluster_.nodes()[n];
    if (!in_cluster(node) || !node.cordoned || !node.pods.empty()) continue;
    const std::string name = node.name;
    cluster_.remove_node(n);
    cluster_.context().recorder.event(sim::now(), "ScaledDown", g.setup.pool, name,
                                      fmt::format("-1 node: {} removed", name));
  }
}

}  // namespace dlsim::models::k8s
