// CPU limits and sharing of one node: CFS bandwidth control (quota per 100 ms period and the
// throttling it causes) and the weighted max-min fair share of cores among containers
// (k/k pkg/kubelet/cm/helpers_linux.go; cgroup v2 cpu.max).
//
// Sources: k/k pkg/kubelet/cm/helpers_linux.go (MilliCPUToQuota: period 100 ms, quota
// m·100 ms/1000, minimum 1 ms); Linux Documentation/scheduler/sched-bwc.rst (nr_periods,
// nr_throttled, throttled_time). The engine shares CPU with SimGrid (Exec priority = shares,
// bound = limit); fair_share() is the same fluid model in closed form, for reports and checks.
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace dlsim::models::k8s {

// CFS period, cfs_period_us default 100 ms (helpers_linux.go, sched-bwc).
inline constexpr double kCfsPeriodS = 0.1;
// Minimum quota 1 ms (MinQuotaPeriod in helpers_linux.go).
inline constexpr double kCfsMinQuotaS = 0.001;

// CPU time a container may use per period: max(limit·100 ms, 1 ms); nullopt (no quota) when
// there is no limit (k/k helpers_linux.go). A limit of 0 also means no quota, as in
// MilliCPUToQuota.
std::optional<double> cfs_quota_s(std::optional<double> cpu_limit_cores);

// Throttling of a container with constant runnable parallelism over whole periods (k/k
// helpers_linux.go).
struct CfsThrottling {
  double throttled_period_fraction = 0.0;    // share of periods with nr_throttled += 1 (0 or 1)
  double run_time_per_period_s = 0.0;        // wall time it runs in each period
  double throttled_time_per_period_s = 0.0;  // 100 ms − run time, when throttled
  double rate_cores = 0.0;                   // average CPU rate = min(p, quota/period)
};

// p runnable threads (may be fractional: average parallelism), limit in cores. If
// p > quota/period the group burns its quota in quota/p wall time and stalls for the rest.
CfsThrottling cfs_throttling(double runnable_parallelism, std::optional<double> cpu_limit_cores);

// cpu.stat-like counters accumulated over intervals of constant parallelism.
struct CfsCounters {
  double nr_periods = 0.0;
  double nr_throttled = 0.0;
  double throttled_time_s = 0.0;

  void add(double duration_s, const CfsThrottling& t);
  // nr_throttled / nr_periods (0 if no period elapsed): the "throttled fraction" reported.
  double throttled_fraction() const;
};

// Cap on a container's rate: min(demand, limit, threads) in cores (k/k helpers_linux.go).
double cpu_cap_cores(double demand_cores, std::optional<double> cpu_limit_cores, int threads);

// One runnable container competing for the node's cores.
struct CpuClaim {
  double weight = 2.0;     // cpu.shares (cpu_shares() in resources.hpp); must be > 0
  double cap_cores = 0.0;  // cpu_cap_cores()
};

// Weighted max-min fair share (water-filling) of capacity_cores: each container gets
// min(cap, λ·weight) with the level λ raised until the capacity is used or every container is
// at its cap. Returns one rate per claim, in cores, in the same order.
std::vector<double> fair_share(double capacity_cores, std::span<const CpuClaim> claims);

}  // namespace dlsim::models::k8s
