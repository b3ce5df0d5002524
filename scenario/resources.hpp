// The Kubernetes vocabulary a scenario names for a container and a node: a `resources:` block
// (requests and limits, as quantities), the QoS class it puts the pod in, and a node pool's
// reservations; with the admission-time arithmetic on them that both the scenario's checks
// and the Kubernetes model apply (models/k8s/resources.hpp adds the scheduler's and the
// kubelet's arithmetic and uses these names as its own).
//
// - A limit without a request copies the limit into the request (manage-resources-containers
//   page, "Kubernetes copies the limit").
// - QoS class Guaranteed / Burstable / BestEffort (k/website pod-qos.md).
// - Node allocatable = capacity − kube-reserved − system-reserved − eviction hard threshold
//   (kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/).
// Units: CPU in cores, memory in bytes.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace dlsim::scenario {

// Kubelet hard eviction threshold memory.available<100Mi (node-pressure-eviction).
inline constexpr double kDefaultEvictionHardMemoryBytes = 100.0 * 1024.0 * 1024.0;

// A CPU and memory amount (requests, allocatable, capacity …).
struct CpuMem {
  double cpu_cores = 0.0;
  double mem_bytes = 0.0;
};

// One container's `resources:` block; std::nullopt = not set in the manifest.
struct ContainerResources {
  std::optional<double> cpu_request_cores;
  std::optional<double> cpu_limit_cores;
  std::optional<double> mem_request_bytes;
  std::optional<double> mem_limit_bytes;
};

// Requests and limits as the kubelet applies them: CPU rounded up to whole millicores
// (Quantity.MilliValue = ceil(q·1000), apimachinery pkg/api/resource/quantity.go#L820) and
// memory up to whole bytes (Quantity.Value, rounded up away from 0, quantity.go#L814;
// apimachinery eed236ce). "0.3Gi" is 322122547.2 B in the manifest and 322122548 B in force.
ContainerResources resolve_quantities(ContainerResources c);
// Whole millicores (ceil) and whole bytes (ceil) of one amount; see resolve_quantities().
double ceil_millicores(double cores);
double ceil_bytes(double bytes);

// kubernetes.io pod-qos: for each resource with a limit and no request, request := limit.
ContainerResources apply_request_defaults(ContainerResources c);

enum class QosClass { Guaranteed, Burstable, BestEffort };

// kubernetes.io pod-qos (pod-qos.md). Applies apply_request_defaults first, as the API server does,
// so limits-only containers count as request = limit. A value of 0 counts as unset, as in GetPodQOS
// (k/k pkg/apis/core/v1/helper/qos/qos.go), which only counts positive quantities.
QosClass qos_class(std::span<const ContainerResources> containers);

// "Guaranteed", "Burstable", "BestEffort" (the strings of status.qosClass).
std::string_view to_string(QosClass qos);

// Reservations subtracted from a node's capacity (kubernetes.io pod-qos). Defaults: nothing
// reserved (kubelet defaults for kubeReserved/systemReserved are empty), eviction hard 100 MiB.
struct NodeReservations {
  CpuMem kube_reserved;    // Default: 0, kubelet config default.
  CpuMem system_reserved;  // Default: 0, kubelet config default.
  // Default: 100 MiB, evictionHard memory.available (node-pressure-eviction).
  double eviction_hard_mem_bytes = kDefaultEvictionHardMemoryBytes;
};

// A_n = capacity − kubeReserved − systemReserved − evictionHard (memory only), floored at 0.
// Scenario validation should reject reservations larger than the capacity.
CpuMem node_allocatable(const CpuMem& capacity, const NodeReservations& reserved = {});

}  // namespace dlsim::scenario
