// The scheduler's and the kubelet's resource arithmetic, on the container resources, QoS
// class and node allocatable of scenario/resources.hpp, whose names the Kubernetes model
// uses as its own (the using-declarations below).
//
// - cgroup v1 CPU shares from the request (k/k pkg/kubelet/cm/helpers_linux.go).
// - The scheduler's "non-zero" request defaults (k/k pkg/scheduler/util/pod_resources.go).
// - Pod-level sums of the containers' requests (kubernetes.io pod-qos).
// Units: CPU in cores, memory in bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "scenario/resources.hpp"

namespace dlsim::models::k8s {

using scenario::ContainerResources;
using scenario::CpuMem;
using scenario::NodeReservations;
using scenario::QosClass;

using scenario::apply_request_defaults;
using scenario::ceil_bytes;
using scenario::ceil_millicores;
using scenario::kDefaultEvictionHardMemoryBytes;
using scenario::node_allocatable;
using scenario::qos_class;
using scenario::resolve_quantities;
using scenario::to_string;

inline constexpr double kMiB = 1024.0 * 1024.0;

// Scheduler scoring counts an unset CPU request as 100 m (DefaultMilliCPURequest,
// k/k pkg/scheduler/util/pod_resources.go).
inline constexpr double kNonZeroCpuRequestCores = 0.1;
// Scheduler scoring counts an unset memory request as 200 MiB (DefaultMemoryRequest, same file).
inline constexpr double kNonZeroMemRequestBytes = 200.0 * kMiB;
// cgroup v1 shares per core and minimum shares (helpers_linux.go).
inline constexpr std::int64_t kSharesPerCpu = 1024;
inline constexpr std::int64_t kMinShares = 2;

// Pod-level sums (kubernetes.io pod-qos): nullopt when no container sets that request, else the sum
// of the containers that do. Init/sidecar containers are not modelled.
struct PodRequests {
  std::optional<double> cpu_cores;
  std::optional<double> mem_bytes;
};
PodRequests pod_requests(std::span<const ContainerResources> containers);

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

}  // namespace dlsim::models::k8s
