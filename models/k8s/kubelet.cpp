// Kubelet node-pressure eviction, kernel node OOM and NotReady; see kubelet.hpp.
#include "models/k8s/kubelet.hpp"

#include <fmt/core.h>

#include "models/k8s/cluster.hpp"
#include "models/k8s/eviction.hpp"

namespace dlsim::models::k8s {

namespace {

std::string mib(double bytes) {
  return fmt::format("{:.0f}Mi", bytes / kMiB);
}

}  // namespace

void Kubelet::start() {
  sim::spawn("kubelets", cluster_.control_plane(), [this] {
    for (;;) {
      sim::sleep_for(kEvictionCheckPeriodS);
      for (std::size_t n = 0; n < cluster_.nodes().size(); ++n)
        cluster_.run_exclusive([this, n] { check(n); });
    }
  });
}

double Kubelet::non_reclaimable_bytes(std::size_t n) const {
  const Node& node = cluster_.nodes()[n];
  double total = node.system_mem_bytes;
  for (std::size_t p : node.pods) total += cluster_.pods()[p]->memory().non_reclaimable_bytes();
  return total;
}

void Kubelet::check(std::size_t n) {
  const Node& node = cluster_.nodes()[n];
  if (node.state != NodeState::Ready && node.state != NodeState::NotReady) return;
  std::vector<PodMemoryView> views;
  std::vector<std::size_t> indices;
  for (std::size_t p : node.pods) {
    const Pod& pod = *cluster_.pods()[p];
    views.push_back({pod.name(), pod.memory().working_set_bytes(),
                     pod.resources().mem_request_bytes.value_or(0.0), pod.priority()});
    indices.push_back(p);
  }
  const EvictionDecision d = check_node_pressure(node.capacity.mem_bytes, node.system_mem_bytes,
                                                 views, node.eviction_hard_bytes);
  update_pressure(n, d.memory_pressure, d.available_bytes);
  if (node.state == NodeState::NotReady) {
    if (!d.memory_pressure) {
      cluster_.node_ready_now(n, true, fmt::format("memory.available {}", mib(d.available_bytes)));
      return;
    }
    if (sim::now() - node.not_ready_since_s >= kNotReadyTolerationS) {
      // Taint-based eviction by the node lifecycle controller: every pod leaves.
      for (std::size_t p : indices)
        cluster_.evict_now(p, fmt::format("node NotReady for {:.0f} s", kNotReadyTolerationS));
      return;
    }
  }
  if (!d.victim) return;
  const PodMemoryView& v = views[*d.victim];
  cluster_.evict_now(indices[*d.victim],
                     fmt::format("memory.available {} < {}; working set {} request {}",
                                 mib(d.available_bytes), mib(node.eviction_hard_bytes),
                                 mib(v.working_set_bytes), mib(v.mem_request_bytes)));
}

void Kubelet::update_pressure(std::size_t n, bool pressure, double available_bytes) {
  Node& node = cluster_.node(n);
  const double t = sim::now();
  if (pressure) {
    node.pressure_observed_s = t;
    if (node.memory_pressure) return;
    node.memory_pressure = true;
    cluster_.context().recorder.event(t, "NodeHasInsufficientMemory", node.name, node.name,
                                      fmt::format("memory.available {} < {}", mib(available_bytes),
                                                  mib(node.eviction_hard_bytes)));
    return;
  }
  if (!node.memory_pressure || t - node.pressure_observed_s < kPressureTransitionS) return;
  node.memory_pressure = false;
  cluster_.context().recorder.event(
      t, "NodeHasSufficientMemory", node.name, node.name,
      fmt::format("memory.available {}; no pressure for {:.0f} s", mib(available_bytes),
                  t - node.pressure_observed_s));
  // BestEffort pods waiting for room may fit here again.
  cluster_.retry_pending();
}

void Kubelet::memory_grew(std::size_t n) {
  const double ram = cluster_.nodes()[n].capacity.mem_bytes;
  for (double used = non_reclaimable_bytes(n); used > ram; used = non_reclaimable_bytes(n)) {
    const Node& node = cluster_.nodes()[n];
    std::vector<ContainerOomView> containers;
    std::vector<std::size_t> indices;
    for (std::size_t p : node.pods) {
      const Pod& pod = *cluster_.pods()[p];
      if (!pod.running()) continue;
      containers.push_back({pod.name(), pod.memory().usage_bytes(),
                            pod.resources().mem_request_bytes.value_or(0.0), pod.qos()});
      indices.push_back(p);
    }
    const auto victim = node_oom_victim(containers, ram);
    if (!victim) return;  // only the system's memory is left
    const std::string node_name = node.name;
    cluster_.node_ready_now(n, false,
                            fmt::format("memory exhausted: {} of {} RAM", mib(used), mib(ram)));
    Pod& pod = cluster_.pod(indices[*victim]);
    pod.kill_container("OOMKilled",
                       fmt::format("node OOM on {}: {} in use, RAM {}; oom_score {:.0f}", node_name,
                                   mib(used), mib(ram), oom_score(containers[*victim], ram)));
  }
}

}  // namespace dlsim::models::k8s
