// Unit tests for models/k8s/memory: CPython heap ratchet, page cache, working set and the
// OOM test against the limit (docs/design.md §3.2, kubernetes.io manage-resources-containers;
// cgroup v2 memory.max).
#include <catch2/catch.hpp>

#include "models/k8s/memory.hpp"
#include "models/k8s/resources.hpp"

using namespace dlsim::models::k8s;

TEST_CASE("RSS follows the heap high-water mark until a restart", "[k8s][memory]") {
  ContainerMemory m(100 * kMiB);
  CHECK(m.rss_bytes() == Approx(100 * kMiB));  // fresh process: base only
  m.set_heap_demand(100 * kMiB);
  CHECK(m.rss_bytes() == Approx(200 * kMiB));  // base + 100
  m.set_heap_demand(50 * kMiB);                // the cycle frees half its heap …
  CHECK(m.heap_demand_bytes() == Approx(50 * kMiB));
  CHECK(m.rss_bytes() == Approx(200 * kMiB));  // … but RSS stays at base + 100 (ratchet)
  m.set_heap_demand(150 * kMiB);
  CHECK(m.rss_bytes() == Approx(250 * kMiB));  // new high-water mark: base + 150
  m.restart();
  CHECK(m.rss_bytes() == Approx(100 * kMiB));  // only a restart goes back to base
  CHECK(m.heap_high_water_bytes() == Approx(0.0));
}

TEST_CASE("usage, working set and the non-reclaimable OOM quantity", "[k8s][memory]") {
  ContainerMemory m(100 * kMiB);
  m.set_heap_demand(100 * kMiB);                           // anon 200
  m.add_page_cache(300 * kMiB);                            // inactive 300 (default list)
  m.add_page_cache(200 * kMiB, CacheList::Active);         // active 200
  m.set_unreclaimable(50 * kMiB);                          // tmpfs 50
  CHECK(m.usage_bytes() == Approx(750 * kMiB));            // 200 + 50 + 200 + 300
  CHECK(m.working_set_bytes() == Approx(450 * kMiB));      // 750 − inactive 300
  CHECK(m.non_reclaimable_bytes() == Approx(250 * kMiB));  // anon 200 + unreclaimable 50
  m.activate_page_cache(100 * kMiB);                   // touched again: inactive 200, active 300
  CHECK(m.working_set_bytes() == Approx(550 * kMiB));  // 750 − 200
  m.drop_page_cache(250 * kMiB);  // inactive 200 → 0, then active 300 → 250
  CHECK(m.inactive_file_bytes() == Approx(0.0));
  CHECK(m.active_file_bytes() == Approx(250 * kMiB));
  m.restart();  // cache goes with the old cgroup; the pod's tmpfs stays
  CHECK(m.page_cache_bytes() == Approx(0.0));
  CHECK(m.usage_bytes() == Approx(150 * kMiB));  // base 100 + tmpfs 50
}

TEST_CASE("page cache alone never OOMs: it is reclaimed", "[k8s][memory]") {
  ContainerMemory m(100 * kMiB);
  m.set_heap_demand(100 * kMiB);  // anon 200
  m.add_page_cache(500 * kMiB);   // usage 700 > limit 400
  const LimitOutcome out = m.enforce_limit(400 * kMiB);
  CHECK_FALSE(out.oom_kill);
  CHECK(out.reclaimed_bytes == Approx(300 * kMiB));  // 700 − 400
  CHECK(m.inactive_file_bytes() == Approx(200 * kMiB));
  CHECK(m.usage_bytes() == Approx(400 * kMiB));
}

TEST_CASE("reclaim takes inactive before active pages", "[k8s][memory]") {
  ContainerMemory m(100 * kMiB);
  m.set_heap_demand(100 * kMiB);                         // anon 200
  m.add_page_cache(100 * kMiB);                          // inactive 100
  m.add_page_cache(300 * kMiB, CacheList::Active);       // active 300 → usage 600
  const LimitOutcome out = m.enforce_limit(400 * kMiB);  // excess 200
  CHECK_FALSE(out.oom_kill);
  CHECK(m.inactive_file_bytes() == Approx(0.0));       // 100 taken first
  CHECK(m.active_file_bytes() == Approx(200 * kMiB));  // then 100 of 300
  CHECK(m.working_set_bytes() == Approx(400 * kMiB));
  CHECK_FALSE(m.enforce_limit(std::nullopt).oom_kill);  // no limit: nothing to enforce
}

TEST_CASE("OOM when anon + unreclaimable exceeds the limit", "[k8s][memory]") {
  ContainerMemory m(100 * kMiB);
  m.set_heap_demand(100 * kMiB);
  m.add_page_cache(100 * kMiB);
  CHECK_FALSE(m.enforce_limit(400 * kMiB).oom_kill);  // usage 300 ≤ 400
  m.set_heap_demand(350 * kMiB);                      // anon 450 > 400: cache reclaimed in vain
  const LimitOutcome out = m.enforce_limit(400 * kMiB);
  CHECK(out.oom_kill);
  CHECK(out.reclaimed_bytes == Approx(100 * kMiB));
  CHECK(m.page_cache_bytes() == Approx(0.0));

  ContainerMemory t(100 * kMiB);
  t.set_heap_demand(100 * kMiB);    // anon 200
  t.set_unreclaimable(250 * kMiB);  // 200 + 250 = 450 > 400
  CHECK(t.enforce_limit(400 * kMiB).oom_kill);
  // Exactly at the limit is not over it: 200 + 200 = 400.
  t.set_unreclaimable(200 * kMiB);
  CHECK_FALSE(t.enforce_limit(400 * kMiB).oom_kill);
}

TEST_CASE("memory is charged in whole bytes, rounded up", "[k8s][memory]") {
  // The cgroup reports whole bytes (memory.current): a base of 80.5 B charges 81 B, a heap of
  // 1000 rows × 236.84602668 B = 236846.02668 B charges 236847 B; cache 10.2 B → 11 B, of
  // which dropping 0.5 B (→ 1 B) leaves 10 B.
  ContainerMemory m(80.5);
  CHECK(m.base_bytes() == 81.0);
  m.set_heap_demand(1000 * 236.84602668);
  CHECK(m.rss_bytes() == 81.0 + 236847.0);
  m.add_page_cache(10.2, CacheList::Active);
  m.drop_page_cache(0.5);
  CHECK(m.page_cache_bytes() == 10.0);
  CHECK(m.working_set_bytes() == 81.0 + 236847.0 + 10.0);
}
