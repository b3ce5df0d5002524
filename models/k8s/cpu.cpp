// CFS quota/throttling and water-filling fair share; see cpu.hpp for the sources.
#include "models/k8s/cpu.hpp"

#include <algorithm>
#include <cassert>

namespace dlsim::models::k8s {

std::optional<double> cfs_quota_s(std::optional<double> cpu_limit_cores) {
  if (!cpu_limit_cores || *cpu_limit_cores <= 0.0) return std::nullopt;
  return std::max(*cpu_limit_cores * kCfsPeriodS, kCfsMinQuotaS);
}

CfsThrottling cfs_throttling(double runnable_parallelism, std::optional<double> cpu_limit_cores) {
  assert(runnable_parallelism >= 0.0);
  CfsThrottling t;
  const std::optional<double> quota_s = cfs_quota_s(cpu_limit_cores);
  const double limit_cores = quota_s ? *quota_s / kCfsPeriodS : 0.0;
  if (!quota_s || runnable_parallelism <= limit_cores) {
    t.run_time_per_period_s = runnable_parallelism > 0.0 ? kCfsPeriodS : 0.0;
    t.rate_cores = runnable_parallelism;
    return t;
  }
  t.throttled_period_fraction = 1.0;
  t.run_time_per_period_s = *quota_s / runnable_parallelism;
  t.throttled_time_per_period_s = kCfsPeriodS - t.run_time_per_period_s;
  t.rate_cores = limit_cores;
  return t;
}

void CfsCounters::add(double duration_s, const CfsThrottling& t) {
  assert(duration_s >= 0.0);
  const double periods = duration_s / kCfsPeriodS;
  nr_periods += periods;
  nr_throttled += periods * t.throttled_period_fraction;
  throttled_time_s += periods * t.throttled_time_per_period_s;
}

double CfsCounters::throttled_fraction() const {
  return nr_periods > 0.0 ? nr_throttled / nr_periods : 0.0;
}

double cpu_cap_cores(double demand_cores, std::optional<double> cpu_limit_cores, int threads) {
  double cap = std::min(demand_cores, static_cast<double>(threads));
  if (cpu_limit_cores) cap = std::min(cap, *cpu_limit_cores);
  return std::max(0.0, cap);
}

std::vector<double> fair_share(double capacity_cores, std::span<const CpuClaim> claims) {
  std::vector<double> rates(claims.size(), 0.0);
  std::vector<std::size_t> open;  // claims not yet at their cap
  for (std::size_t i = 0; i < claims.size(); ++i) {
    assert(claims[i].weight > 0.0);
    if (claims[i].cap_cores > 0.0) open.push_back(i);
  }
  double remaining = std::max(0.0, capacity_cores);
  // Each round either saturates at least one claim or shares the rest by weight and stops.
  while (!open.empty() && remaining > 0.0) {
    double weight_sum = 0.0;
    for (std::size_t i : open) weight_sum += claims[i].weight;
    const double level = remaining / weight_sum;  // cores per unit of weight
    std::vector<std::size_t> still_open;
    for (std::size_t i : open) {
      if (claims[i].cap_cores <= level * claims[i].weight) {
        rates[i] = claims[i].cap_cores;
        remaining -= claims[i].cap_cores;
      } else {
        still_open.push_back(i);
      }
    }
    if (still_open.size() == open.size()) {
      for (std::size_t i : open) rates[i] = level * claims[i].weight;
      break;
    }
    open = std::move(still_open);
  }
  return rates;
}

}  // namespace dlsim::models::k8s
