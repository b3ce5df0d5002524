// Node-level memory exhaustion: kubelet node-pressure eviction and the kernel's node OOM
// killer (kubernetes.io node-pressure-eviction, pod-qos).
//
// Sources: k/website node-pressure-eviction.md (signal memory.available = capacity − node
// working set, hard threshold 100Mi, ranking, oom_score_adj values, "Node out of memory
// behavior"); k/k pkg/kubelet/eviction/eviction_manager.go (at most one pod per 10 s cycle,
// evictionMonitoringPeriod in kubelet.go) and helpers.go (rankMemoryPressure).
// Not modelled: soft thresholds, eviction-pressure-transition-period, system-node-critical.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/k8s/resources.hpp"

namespace dlsim::models::k8s {

// Kubelet eviction check period, evictionMonitoringPeriod = 10 s (kubelet.go).
inline constexpr double kEvictionCheckPeriodS = 10.0;
// oom_score_adj of Guaranteed pods (node-pressure-eviction).
inline constexpr int kGuaranteedOomScoreAdj = -997;
// oom_score_adj of BestEffort pods (same source).
inline constexpr int kBestEffortOomScoreAdj = 1000;

// A pod as the kubelet's eviction manager sees it.
struct PodMemoryView {
  std::string id;
  double working_set_bytes = 0.0;  // Σ containers' working set
  double mem_request_bytes = 0.0;  // Σ containers' memory requests (unset = 0)
  int priority = 0;
};

struct EvictionDecision {
  double available_bytes = 0.0;       // memory.available = capacity − Σ WS − system WS
  bool memory_pressure = false;       // available < threshold
  std::optional<std::size_t> victim;  // index into the pods span; set iff memory_pressure
};

// memory.available of kubernetes.io node-pressure-eviction.
double memory_available_bytes(double capacity_bytes, double system_working_set_bytes,
                              std::span<const PodMemoryView> pods);

// Eviction ranking of kubernetes.io node-pressure-eviction (rankMemoryPressure): pods whose WS
// exceeds their request first, then by priority (low first), then by WS − request (largest first);
// ties keep input order. Returns indices into `pods`, first = evicted first.
std::vector<std::size_t> eviction_order(std::span<const PodMemoryView> pods);

// One kubelet eviction cycle: under pressure, evict the first pod of eviction_order()
// (at most one pod per cycle, 0 s grace for hard thresholds).
EvictionDecision check_node_pressure(double capacity_bytes, double system_working_set_bytes,
                                     std::span<const PodMemoryView> pods,
                                     double threshold_bytes = kDefaultEvictionHardMemoryBytes);

// A container as the kernel's node OOM killer sees it.
struct ContainerOomView {
  std::string id;
  double usage_bytes = 0.0;             // memory charged to the container
  double mem_request_bytes = 0.0;       // the container's own memory request (unset = 0)
  QosClass qos = QosClass::BestEffort;  // of its pod
};

// oom_score_adj set by the kubelet (kubernetes.io node-pressure-eviction): −997 Guaranteed, 1000
// BestEffort, Burstable min(max(2, 1000 − 1000·request div RAM), 999) in integer arithmetic on
// bytes.
int oom_score_adj(QosClass qos, double mem_request_bytes, double node_ram_bytes);

// oom_score = 1000·usage/RAM + adj (kubernetes.io node-pressure-eviction).
double oom_score(const ContainerOomView& c, double node_ram_bytes);

// Container killed by a node OOM: highest oom_score, first in input order on ties;
// nullopt if there are no containers.
std::optional<std::size_t> node_oom_victim(std::span<const ContainerOomView> containers,
                                           double node_ram_bytes);

}  // namespace dlsim::models::k8s
