// Admission-time resource arithmetic; see resources.hpp for the sources.
#include "scenario/resources.hpp"

#include <algorithm>
#include <cmath>

namespace dlsim::scenario {

namespace {

// GetPodQOS (k/k pkg/apis/core/v1/helper/qos) only counts positive quantities.
bool positive(std::optional<double> v) {
  return v && *v > 0.0;
}

bool is_guaranteed_container(const ContainerResources& c) {
  return positive(c.cpu_limit_cores) && positive(c.mem_limit_bytes) &&
         c.cpu_request_cores == c.cpu_limit_cores && c.mem_request_bytes == c.mem_limit_bytes;
}

bool sets_anything(const ContainerResources& c) {
  return positive(c.cpu_request_cores) || positive(c.cpu_limit_cores) ||
         positive(c.mem_request_bytes) || positive(c.mem_limit_bytes);
}

}  // namespace

double ceil_millicores(double cores) {
  // The amount came from decimal text through a double: 0.35 cores is 350.00000000000006 m.
  // A billionth of a millicore of slack keeps such values on their intended millicore.
  return std::ceil(cores * 1000.0 - 1e-9) / 1000.0;
}

double ceil_bytes(double bytes) {
  return std::ceil(bytes - 1e-9);
}

ContainerResources resolve_quantities(ContainerResources c) {
  for (auto* cpu : {&c.cpu_request_cores, &c.cpu_limit_cores})
    if (*cpu) **cpu = ceil_millicores(**cpu);
  for (auto* mem : {&c.mem_request_bytes, &c.mem_limit_bytes})
    if (*mem) **mem = ceil_bytes(**mem);
  return c;
}

ContainerResources apply_request_defaults(ContainerResources c) {
  if (!c.cpu_request_cores && c.cpu_limit_cores) c.cpu_request_cores = c.cpu_limit_cores;
  if (!c.mem_request_bytes && c.mem_limit_bytes) c.mem_request_bytes = c.mem_limit_bytes;
  return c;
}

QosClass qos_class(std::span<const ContainerResources> containers) {
  bool all_guaranteed = !containers.empty();
  bool any_set = false;
  for (const ContainerResources& raw : containers) {
    const ContainerResources c = apply_request_defaults(raw);
    all_guaranteed = all_guaranteed && is_guaranteed_container(c);
    any_set = any_set || sets_anything(c);
  }
  if (!any_set) return QosClass::BestEffort;
  return all_guaranteed ? QosClass::Guaranteed : QosClass::Burstable;
}

std::string_view to_string(QosClass qos) {
  switch (qos) {
    case QosClass::Guaranteed:
      return "Guaranteed";
    case QosClass::Burstable:
      return "Burstable";
    case QosClass::BestEffort:
      return "BestEffort";
  }
  return "BestEffort";
}

CpuMem node_allocatable(const CpuMem& capacity, const NodeReservations& reserved) {
  const double cpu =
      capacity.cpu_cores - reserved.kube_reserved.cpu_cores - reserved.system_reserved.cpu_cores;
  const double mem = capacity.mem_bytes - reserved.kube_reserved.mem_bytes -
                     reserved.system_reserved.mem_bytes - reserved.eviction_hard_mem_bytes;
  return CpuMem{std::max(0.0, cpu), std::max(0.0, mem)};
}

}  // namespace dlsim::scenario
