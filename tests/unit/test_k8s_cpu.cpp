// Unit tests for models/k8s/cpu: CFS quota and throttling, weighted max-min fair share
// (k/k pkg/kubelet/cm/helpers_linux.go; cgroup v2 cpu.max).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/cpu.hpp"

using namespace dlsim::models::k8s;

TEST_CASE("CFS quota per 100 ms period", "[k8s][cpu]") {
  CHECK_FALSE(cfs_quota_s(std::nullopt).has_value());  // no limit → no quota
  CHECK(*cfs_quota_s(0.5) == Approx(0.05));            // 0.5 · 100 ms
  CHECK(*cfs_quota_s(0.005) == Approx(0.001));         // 0.5 ms raised to the 1 ms minimum
}

TEST_CASE("two runnable threads under a 0.5-core limit", "[k8s][cpu]") {
  const CfsThrottling t = cfs_throttling(2.0, 0.5);
  // Quota 50 ms of CPU, burnt by 2 threads in 25 ms of wall time, then stalled 75 ms.
  CHECK(t.throttled_period_fraction == Approx(1.0));
  CHECK(t.run_time_per_period_s == Approx(0.025));
  CHECK(t.throttled_time_per_period_s == Approx(0.075));
  CHECK(t.rate_cores == Approx(0.5));
}

TEST_CASE("no throttling at or below the limit, or without one", "[k8s][cpu]") {
  const CfsThrottling under = cfs_throttling(0.4, 0.5);
  CHECK(under.throttled_period_fraction == Approx(0.0));
  CHECK(under.throttled_time_per_period_s == Approx(0.0));
  CHECK(under.rate_cores == Approx(0.4));
  const CfsThrottling at = cfs_throttling(0.5, 0.5);  // p > lim is required to throttle
  CHECK(at.throttled_period_fraction == Approx(0.0));
  const CfsThrottling free = cfs_throttling(3.0, std::nullopt);
  CHECK(free.throttled_period_fraction == Approx(0.0));
  CHECK(free.rate_cores == Approx(3.0));
  // 5 m limit: quota 1 ms (minimum) → 1 thread runs 1 ms, stalls 99 ms, 0.01 core.
  const CfsThrottling tiny = cfs_throttling(1.0, 0.005);
  CHECK(tiny.run_time_per_period_s == Approx(0.001));
  CHECK(tiny.throttled_time_per_period_s == Approx(0.099));
  CHECK(tiny.rate_cores == Approx(0.01));
}

TEST_CASE("cpu.stat counters over intervals", "[k8s][cpu]") {
  CfsCounters c;
  c.add(10.0, cfs_throttling(2.0, 0.5));  // 100 periods, all throttled, 100 · 75 ms
  c.add(10.0, cfs_throttling(0.2, 0.5));  // 100 periods, none throttled
  CHECK(c.nr_periods == Approx(200.0));
  CHECK(c.nr_throttled == Approx(100.0));
  CHECK(c.throttled_time_s == Approx(7.5));
  CHECK(c.throttled_fraction() == Approx(0.5));  // 100 / 200
  CHECK(CfsCounters{}.throttled_fraction() == Approx(0.0));
}

TEST_CASE("rate cap = min(demand, limit, threads)", "[k8s][cpu]") {
  CHECK(cpu_cap_cores(3.0, 2.0, 4) == Approx(2.0));           // limit binds
  CHECK(cpu_cap_cores(5.0, std::nullopt, 4) == Approx(4.0));  // 4 threads bind
  CHECK(cpu_cap_cores(0.5, 2.0, 4) == Approx(0.5));           // demand binds
}

TEST_CASE("weighted max-min fair share (water-filling)", "[k8s][cpu]") {
  // 4 cores; A, B weight 1024 cap 3; C weight 2048 cap 0.5.
  // Level 4/4096 per share: C's fair 2 cores > cap 0.5 → C = 0.5; 3.5 left for A and B at
  // equal weight → 1.75 each (< cap 3). Total 4.
  const std::vector<CpuClaim> claims = {{1024, 3.0}, {1024, 3.0}, {2048, 0.5}};
  const std::vector<double> r = fair_share(4.0, claims);
  CHECK(r[0] == Approx(1.75));
  CHECK(r[1] == Approx(1.75));
  CHECK(r[2] == Approx(0.5));
  // Weights matter under contention: 3 cores at 2:1 → 2 and 1.
  const std::vector<double> w = fair_share(3.0, std::vector<CpuClaim>{{2048, 10}, {1024, 10}});
  CHECK(w[0] == Approx(2.0));
  CHECK(w[1] == Approx(1.0));
  // No contention: everyone gets its cap (1 + 2 < 8).
  const std::vector<double> idle = fair_share(8.0, std::vector<CpuClaim>{{2, 1.0}, {1024, 2.0}});
  CHECK(idle[0] == Approx(1.0));
  CHECK(idle[1] == Approx(2.0));
  // BestEffort (shares 2) next to 1 core of request (1024) on 1 core: 2/1026 vs 1024/1026.
  const std::vector<double> be = fair_share(1.0, std::vector<CpuClaim>{{2, 1.0}, {1024, 1.0}});
  CHECK(be[0] == Approx(2.0 / 1026.0));
  CHECK(be[1] == Approx(1024.0 / 1026.0));
}
