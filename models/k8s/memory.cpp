// Container memory accounting with the CPython heap ratchet; see memory.hpp for the sources.
#include "models/k8s/memory.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace dlsim::models::k8s {

namespace {

// Takes up to `want` bytes out of `pool`; returns what was taken.
double take(double& pool, double want) {
  const double taken = std::clamp(want, 0.0, pool);
  pool -= taken;
  return taken;
}

}  // namespace

// The cgroup charges memory in whole pages and reports it in bytes (memory.current,
// memory.stat; cgroup-v2.rst): model amounts (rows × bytes per row, fitted bases) are
// charged as whole bytes, rounded up, so every reported RSS and working set is an integer.
ContainerMemory::ContainerMemory(double base_bytes) : base_bytes_(std::ceil(base_bytes)) {
  assert(base_bytes >= 0.0);
}

void ContainerMemory::set_heap_demand(double heap_bytes) {
  assert(heap_bytes >= 0.0);
  heap_demand_bytes_ = std::ceil(heap_bytes);
  heap_high_water_bytes_ = std::max(heap_high_water_bytes_, heap_demand_bytes_);
}

void ContainerMemory::add_page_cache(double bytes, CacheList list) {
  assert(bytes >= 0.0);
  (list == CacheList::Active ? active_file_bytes_ : inactive_file_bytes_) += std::ceil(bytes);
}

void ContainerMemory::drop_page_cache(double bytes) {
  bytes = std::ceil(bytes);
  const double from_inactive = take(inactive_file_bytes_, bytes);
  take(active_file_bytes_, bytes - from_inactive);
}

void ContainerMemory::activate_page_cache(double bytes) {
  active_file_bytes_ += take(inactive_file_bytes_, std::ceil(bytes));
}

void ContainerMemory::set_unreclaimable(double bytes) {
  assert(bytes >= 0.0);
  unreclaimable_bytes_ = std::ceil(bytes);
}

LimitOutcome ContainerMemory::enforce_limit(std::optional<double> limit_bytes) {
  LimitOutcome out;
  if (!limit_bytes || usage_bytes() <= *limit_bytes) return out;
  const double excess = usage_bytes() - *limit_bytes;
  const double from_inactive = take(inactive_file_bytes_, excess);
  const double from_active = take(active_file_bytes_, excess - from_inactive);
  out.reclaimed_bytes = from_inactive + from_active;
  out.oom_kill = non_reclaimable_bytes() > *limit_bytes;
  return out;
}

void ContainerMemory::restart() {
  child_process_bytes_ = 0.0;
  heap_demand_bytes_ = 0.0;
  heap_high_water_bytes_ = 0.0;
  active_file_bytes_ = 0.0;
  inactive_file_bytes_ = 0.0;
}

}  // namespace dlsim::models::k8s
