// Spot interruptions with the two-minute notice; see spot.hpp.
#include "models/k8s/spot.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "sim/rng.hpp"

namespace dlsim::models::k8s {

namespace {

bool in_cluster(const Node& n) {
  return n.state == NodeState::Ready || n.state == NodeState::NotReady;
}

}  // namespace

SpotInterruptions::SpotInterruptions(Cluster& cluster, std::vector<SpotPoolSetup> pools)
    : cluster_(cluster), pools_(std::move(pools)) {}

void SpotInterruptions::start() {
  interrupted_.assign(cluster_.nodes().size(), false);
  for (const SpotPoolSetup& setup : pools_)
    if (setup.rate_per_node_hour > 0)
      sim::spawn("spot/" + setup.pool, cluster_.control_plane(), [this, &setup] { run(setup); });
}

void SpotInterruptions::run(const SpotPoolSetup& setup) {
  std::vector<std::size_t> hosts;
  for (std::size_t n = 0; n < cluster_.nodes().size(); ++n)
    if (cluster_.nodes()[n].pool == setup.pool) hosts.push_back(n);
  if (hosts.empty()) return;
  auto& rng = cluster_.context().rng.stream("spot." + setup.pool);
  // Thinning: candidates at rate × hosts, each on a uniform host; one that is not in the
  // cluster (or already under notice) is skipped, so each node in the cluster is reclaimed
  // at `rate_per_node_hour`.
  const double rate_per_s = setup.rate_per_node_hour * static_cast<double>(hosts.size()) / 3600;
  for (;;) {
    sim::sleep_for(-std::log(1.0 - sim::uniform01(rng)) / rate_per_s);
    const std::size_t n = hosts[sim::uniform_index(rng, hosts.size())];
    if (!in_cluster(cluster_.nodes()[n]) || interrupted_[n]) continue;
    interrupt(setup, n);
  }
}

void SpotInterruptions::interrupt(const SpotPoolSetup& setup, std::size_t n) {
  interrupted_[n] = true;
  cluster_.run_exclusive([this, n] {
    const Node& node = cluster_.nodes()[n];
    cluster_.context().recorder.event(
        sim::now(), "SpotInterruption", node.name, node.name,
        fmt::format("reclaimed in {:.0f} s; {} pod(s) drained", kSpotNoticeS, node.pods.size()));
    cluster_.cordon(n);
    const std::vector<std::size_t> pods = node.pods;  // a copy: deletions edit it
    for (std::size_t p : pods)
      cluster_.delete_pod(p, PodEndReason::Drained,
                          std::min(cluster_.pod(p).spec().termination_grace_s, kSpotNoticeS));
  });
  sim::spawn("spot/" + cluster_.nodes()[n].name, cluster_.control_plane(), [this, &setup, n] {
    sim::sleep_for(kSpotNoticeS);
    reclaim(setup, n);
  });
}

void SpotInterruptions::reclaim(const SpotPoolSetup& setup, std::size_t n) {
  cluster_.run_exclusive([this, n] {
    // The instance is gone: whatever still runs there ends with it.
    const std::vector<std::size_t> pods = cluster_.nodes()[n].pods;
    for (std::size_t p : pods) cluster_.delete_pod(p, PodEndReason::Drained, 0);
  });
  // Queued behind the deletions (operations run in order, at this time); this actor sleeps
  // meanwhile, so `removed` outlives the operation.
  bool removed = false;
  cluster_.run_exclusive([this, n, &removed] {
    // A node the Cluster Autoscaler removed during the notice is not the cloud's to replace.
    if (!in_cluster(cluster_.nodes()[n]) || !cluster_.nodes()[n].pods.empty()) return;
    cluster_.remove_node(n);
    cluster_.mark_provisioning(n);
    removed = true;
  });
  sim::sleep_for(setup.provisioning_delay_s);
  interrupted_[n] = false;
  if (removed) cluster_.provision_node(n);
}

}  // namespace dlsim::models::k8s
