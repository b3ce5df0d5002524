// Kubelet node-pressure eviction and kernel node OOM; see eviction.hpp for the sources.
#include "models/k8s/eviction.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace dlsim::models::k8s {

double memory_available_bytes(double capacity_bytes, double system_working_set_bytes,
                              std::span<const PodMemoryView> pods) {
  double used = system_working_set_bytes;
  for (const PodMemoryView& p : pods) used += p.working_set_bytes;
  return capacity_bytes - used;
}

std::vector<std::size_t> eviction_order(std::span<const PodMemoryView> pods) {
  std::vector<std::size_t> order(pods.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto exceeds = [&](std::size_t i) {
    return pods[i].working_set_bytes > pods[i].mem_request_bytes;
  };
  auto over = [&](std::size_t i) { return pods[i].working_set_bytes - pods[i].mem_request_bytes; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (exceeds(a) != exceeds(b)) return exceeds(a);
    if (pods[a].priority != pods[b].priority) return pods[a].priority < pods[b].priority;
    return over(a) > over(b);
  });
  return order;
}

EvictionDecision check_node_pressure(double capacity_bytes, double system_working_set_bytes,
                                     std::span<const PodMemoryView> pods, double threshold_bytes) {
  EvictionDecision d;
  d.available_bytes = memory_available_bytes(capacity_bytes, system_working_set_bytes, pods);
  d.memory_pressure = d.available_bytes < threshold_bytes;
  if (d.memory_pressure && !pods.empty()) d.victim = eviction_order(pods).front();
  return d;
}

int oom_score_adj(QosClass qos, double mem_request_bytes, double node_ram_bytes) {
  assert(node_ram_bytes > 0.0);
  switch (qos) {
    case QosClass::Guaranteed:
      return kGuaranteedOomScoreAdj;
    case QosClass::BestEffort:
      return kBestEffortOomScoreAdj;
    case QosClass::Burstable:
      break;
  }
  const std::int64_t request = std::llround(mem_request_bytes);
  const std::int64_t ram = std::llround(node_ram_bytes);
  // 1000·request fits in int64 for requests below 9.2e15 bytes.
  const std::int64_t adj = 1000 - (1000 * request) / ram;
  return static_cast<int>(std::clamp<std::int64_t>(adj, 2, 999));
}

double oom_score(const ContainerOomView& c, double node_ram_bytes) {
  return 1000.0 * c.usage_bytes / node_ram_bytes +
         oom_score_adj(c.qos, c.mem_request_bytes, node_ram_bytes);
}

std::optional<std::size_t> node_oom_victim(std::span<const ContainerOomView> containers,
                                           double node_ram_bytes) {
  std::optional<std::size_t> victim;
  double best = 0.0;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const double s = oom_score(containers[i], node_ram_bytes);
    if (!victim || s > best) {
      victim = i;
      best = s;
    }
  }
  return victim;
}

}  // namespace dlsim::models::k8s
