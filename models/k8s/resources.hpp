// Container resources, QoS class and node allocatable: the admission-time arithmetic of
// Kubernetes (kubernetes.io pod-qos; k/k pkg/kubelet/cm/helpers_linux.go; cgroup v2 cpu.max).
//
// - A limit without a request copies the limit into the request (manage-resources-containers
//   page, "Kubernetes copies the limit").
// - QoS class Guaranteed / Burstable / BestEffort (k/website pod-qos.md).
// - cgroup v1 CPU shares from the request (k/k pkg/kubelet/cm/helpers_linux.go).
// - The scheduler's "non-zero" request defaults (k/k pkg/scheduler/util/pod_resources.go).
// - Node allocatable = capacity − kube-reserved − system-reserved − eviction hard threshold
//   (kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/).
// Units: CPU in cores, memory in bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace dlsim::models::k8s {

inline constexpr double kMiB = 1024.0 * 1024.0;

// Scheduler scoring counts an unset CPU request as 100 m (DefaultMilliCPURequest,
// k/k pkg/scheduler/util/pod_resources.go).
inline constexpr double kNonZeroCpuRequestCores = 0.1;
// Scheduler scoring counts an unset memory request as 200 MiB (DefaultMemoryRequest, same file).
inline constexpr double kNonZeroMemRequestBytes = 200.0 * kMiB;
// Kubelet hard eviction threshold memory.available<100Mi (node-pressure-eviction).
inline constexpr double kDefaultEvictionHardMemoryBytes = 100.0 * kMiB;
// cgroup v1 shares per core and minimum shares (helpers_linux.go).
inline constexpr std::int64_t kSharesPerCpu = 1024;
inline constexpr std::int64_t kMinShares = 2;

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

// Pod-level sums (kubernetes.io pod-qos): nullopt when no container sets that request, else the sum
// of the containers that do. Init/sidecar containers are not modelled.
struct PodRequests {
  std::optional<double> cpu_cores;
  std::optional<double> mem_bytes;
};
PodRequests pod_requests(std::span<const ContainerResources> containers);

enum class QosClass { Guaranteed, Burstable, BestEffort };

// kubernetes.io pod-qos (pod-qos.md). Applies apply_request_defaults first, as the API server does,
// so limits-only containers count as request = limit. A value of 0 counts as unset, as in GetPodQOS
// (k/k pkg/apis/core/v1/helper/qos/qos.go), which only counts positive quantities.
QosClass qos_class(std::span<const ContainerResources> containers);

// "Guaranteed", "Burstable", "BestEffort" (the strings of status.qosClass).
std::string_view to_string(QosClass qos);

// Requests used by the scheduler's Fit scorer: unset → 100 m CPU / 200 MiB (k/k noderesources score
// plugins).
double non_zero_cpu_request_cores(std::optional<double> cpu_request_cores);
double non_zero_mem_request_bytes(std::optional<double> mem_request_bytes);

// Non-zero requests of a pod for scoring: the defaults apply per container that lacks a
// request, and a pod without containers requests nothing (calculatePodResourceRequest loops
// over the containers calling GetNonzeroRequestForResource: k/k pkg/scheduler/framework/
// plugins/noderesources/resource_allocation.go#L122-L124 at 007f7ae7).
CpuMem non_zero_requests(std::span<const ContainerResources> containers);

// Integer millicores of a CPU amount (Kubernetes quantities are whole millicores).
std::int64_t to_millicores(double cores);

// cgroup v1 cpu.shares = max(2, ⌊mcores·1024/1000⌋); unset request → 2 (k/k helpers_linux.go).
std::int64_t cpu_shares(std::optional<double> cpu_request_cores);

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

}  // namespace dlsim::models::k8s
