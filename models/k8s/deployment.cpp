// Deployment scaling over pod slots; see deployment.hpp.
#include "models/k8s/deployment.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace dlsim::models::k8s {

Deployment::Deployment(Cluster& cluster, std::string name, std::vector<std::size_t> slots)
    : cluster_(cluster), name_(std::move(name)), slots_(std::move(slots)) {}

bool Deployment::active(std::size_t slot) const {
  const Pod& p = *cluster_.pods()[slot];
  return p.phase() != PodPhase::Absent && !cluster_.terminating(slot);
}

int Deployment::replicas() const {
  return static_cast<int>(
      std::count_if(slots_.begin(), slots_.end(), [&](std::size_t s) { return active(s); }));
}

int Deployment::running_pods() const {
  return static_cast<int>(std::count_if(slots_.begin(), slots_.end(), [&](std::size_t s) {
    return cluster_.pods()[s]->running() && !cluster_.terminating(s);
  }));
}

void Deployment::rolling_restart() {
  auto& recorder = cluster_.context().recorder;
  recorder.event(sim::now(), "RolloutRestart", name_, "",
                 fmt::format("{} pods, one at a time", replicas()));
  // Poll period while waiting for a pod to go and its replacement to run (the Deployment
  // controller reacts to watch events; 1 s is below any other time constant here).
  constexpr double kPoll_s = 1.0;
  for (std::size_t s : slots_) {
    if (!active(s)) continue;
    cluster_.delete_pod(s, PodEndReason::Deleted, cluster_.pods()[s]->spec().termination_grace_s);
    while (cluster_.pods()[s]->phase() != PodPhase::Absent) sim::sleep_for(kPoll_s);
    cluster_.start_pod(s);
    while (!cluster_.pods()[s]->running()) sim::sleep_for(kPoll_s);
  }
  recorder.event(sim::now(), "RolloutComplete", name_, "", "");
}

void Deployment::scale(int target, const std::string& why) {
  target = std::clamp(target, 0, max_replicas());
  const int current = replicas();
  if (target == current) return;
  cluster_.context().recorder.event(sim::now(), target > current ? "ScaledUp" : "ScaledDown", name_,
                                    "", fmt::format("{} → {} replicas; {}", current, target, why));
  if (target > current) {
    int missing = target - current;
    for (std::size_t s : slots_) {
      if (missing == 0) break;
      if (cluster_.pods()[s]->phase() != PodPhase::Absent) continue;
      cluster_.start_pod(s);
      --missing;
    }
    return;
  }
  // Pending pods first, then the highest slots.
  std::vector<std::size_t> victims;
  for (std::size_t s : slots_)
    if (active(s) && cluster_.pods()[s]->phase() == PodPhase::Pending) victims.push_back(s);
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it)
    if (active(*it) && cluster_.pods()[*it]->phase() != PodPhase::Pending) victims.push_back(*it);
  victims.resize(static_cast<std::size_t>(current - target));
  for (std::size_t s : victims) {
    cluster_.delete_pod(s, PodEndReason::Deleted, cluster_.pods()[s]->spec().termination_grace_s);
  }
}

}  // namespace dlsim::models::k8s
