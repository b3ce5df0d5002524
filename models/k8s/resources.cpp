// The scheduler's and the kubelet's resource arithmetic; see resources.hpp for the sources.
#include "models/k8s/resources.hpp"

#include <algorithm>
#include <cmath>

namespace dlsim::models::k8s {

namespace {

std::optional<double> add(std::optional<double> sum, std::optional<double> value) {
  if (!value) return sum;
  return sum.value_or(0.0) + *value;
}

}  // namespace

PodRequests pod_requests(std::span<const ContainerResources> containers) {
  PodRequests sum;
  for (const ContainerResources& raw : containers) {
    const ContainerResources c = apply_request_defaults(raw);
    sum.cpu_cores = add(sum.cpu_cores, c.cpu_request_cores);
    sum.mem_bytes = add(sum.mem_bytes, c.mem_request_bytes);
  }
  return sum;
}

double non_zero_cpu_request_cores(std::optional<double> cpu_request_cores) {
  return cpu_request_cores.value_or(kNonZeroCpuRequestCores);
}

double non_zero_mem_request_bytes(std::optional<double> mem_request_bytes) {
  return mem_request_bytes.value_or(kNonZeroMemRequestBytes);
}

CpuMem non_zero_requests(std::span<const ContainerResources> containers) {
  CpuMem sum;
  for (const ContainerResources& raw : containers) {
    const ContainerResources c = apply_request_defaults(raw);
    sum.cpu_cores += non_zero_cpu_request_cores(c.cpu_request_cores);
    sum.mem_bytes += non_zero_mem_request_bytes(c.mem_request_bytes);
  }
  return sum;
}

std::int64_t to_millicores(double cores) {
  return std::llround(cores * 1000.0);
}

std::int64_t cpu_shares(std::optional<double> cpu_request_cores) {
  if (!cpu_request_cores) return kMinShares;
  const std::int64_t shares = to_millicores(*cpu_request_cores) * kSharesPerCpu / 1000;
  return std::max(kMinShares, shares);
}

}  // namespace dlsim::models::k8s
