// FTS hosts' url-copy slots and the queue-wait / per-hour statistics, without an engine.
#include <catch2/catch.hpp>

#include "models/k8s/memory.hpp"
#include "models/transfer/fts_deployment.hpp"
#include "models/transfer/fts_stats.hpp"

using namespace dlsim::models;

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

TEST_CASE("A VM runs the url-copy processes its memory holds above MinRequiredFreeRAM") {
  // 3840 MiB − 1824 MiB of other services − 50 MB (47.68 MiB) = 1968.3 MiB: 78 of 25 MiB.
  CHECK(transfer::vm_slots(3840 * kMiB, 1824 * kMiB, 50e6, 25 * kMiB, 400) == 78);
  // A big VM is held by MaxUrlCopyProcesses instead.
  CHECK(transfer::vm_slots(64 * 1024 * kMiB, 1824 * kMiB, 50e6, 25 * kMiB, 400) == 400);
  // Not even one process fits.
  CHECK(transfer::vm_slots(1890 * kMiB, 1824 * kMiB, 50e6, 25 * kMiB, 400) == 0);
}

TEST_CASE("Waves take the free slots of the up hosts with the most free, and hold their memory") {
  // Three hosts of 10 slots, host 2 down; 25 MiB a process.
  bool up2 = false;
  std::vector<double> held(3, 0.0);
  std::vector<transfer::UrlCopyHost> hosts;
  for (int h = 0; h < 3; ++h)
    hosts.push_back({[h, &up2] { return h != 2 || up2; },
                     [h, &held](double bytes) { held[static_cast<std::size_t>(h)] = bytes; }});
  transfer::UrlCopyHosts u(std::move(hosts), 10, 25 * kMiB);
  CHECK(u.capacity() == 20);
  CHECK(u.free_slots() == 20);
  // 14 files: host 0 (10 free, lowest index among equals) takes 10, then host 1 takes 4.
  auto a = u.start(14);
  REQUIRE(a.size() == 2);
  CHECK(a[0] == std::pair<std::size_t, std::int64_t>{0, 10});
  CHECK(a[1] == std::pair<std::size_t, std::int64_t>{1, 4});
  CHECK(held[0] == 250 * kMiB);
  CHECK(held[1] == 100 * kMiB);
  CHECK(u.free_slots() == 6);
  // Host 2 comes up: 16 free, 20 asked, 16 given: host 2's 10 (the most free), then host
  // 1's 6.
  up2 = true;
  auto b = u.start(20);
  REQUIRE(b.size() == 2);
  CHECK(b[0] == std::pair<std::size_t, std::int64_t>{2, 10});
  CHECK(b[1] == std::pair<std::size_t, std::int64_t>{1, 6});
  CHECK(u.running() == 30);
  CHECK(u.free_slots() == 0);
  u.end(a);
  CHECK(held[0] == 0);
  CHECK(held[1] == 150 * kMiB);
  CHECK(u.running() == 16);
  CHECK(u.running_peak() == 30);
  CHECK(u.host_peak() == 10);
}

TEST_CASE("Queue-wait percentiles are weighted by files; done counts by clock hour") {
  transfer::TransferStats s;
  s.started(10, 90);   // 90 files waited 10 s
  s.started(100, 9);   // 9 waited 100 s
  s.started(1000, 1);  // 1 waited 1000 s
  const auto q = s.queue_wait();
  CHECK(q.started == 100);
  CHECK(q.mean_s == Approx((90 * 10 + 9 * 100 + 1000) / 100.0));  // 28 s
  CHECK(q.p50_s == 10);
  CHECK(q.p95_s == 100);  // 99 files wait 100 s or less, 90 wait 10 s or less
  CHECK(q.p99_s == 100);
  CHECK(q.max_s == 1000);
  s.done(100, 5);
  s.done(3599, 5);
  s.done(3600, 7);  // the second hour
  CHECK(s.done_per_hour_max() == 10);
}

TEST_CASE("Queue-wait percentiles come from a bounded histogram 2^-8 of a binade wide") {
  transfer::TransferStats s;
  // 1000 s = 1.953125 × 2^9: mantissa fraction 0.953125 = 244 / 256, so its bucket is
  // [1000, 1002) s (2^9 / 256 = 2 s wide); 1001.5 s shares it, 1002 s starts the next one.
  s.started(1000, 1);
  s.started(1001.5, 1);
  s.started(1002, 2);
  s.started(-1, 1);  // a negative wait (clock rounding) counts as 0 s
  auto q = s.queue_wait();
  CHECK(q.started == 5);
  CHECK(q.mean_s == Approx((1000 + 1001.5 + 2 * 1002) / 5.0));  // exact: 801.1 s
  CHECK(q.max_s == 1002);
  // p50: 2.5 of 5 files; 0 s (1 file) then the bucket [1000, 1002) (2 files) reach 3 ≥ 2.5:
  // the bucket's largest wait, 1001.5 s, for an exact 1000 s: 0.15 % above, under 2^-8.
  CHECK(q.p50_s == 1001.5);
  CHECK(q.p50_s <= 1000 * (1 + 1.0 / 256));
  CHECK(q.p95_s == 1002);
  // A million distinct waits from 1 s to 10^6 s fill at most 20 binades × 256 buckets: the
  // memory is bounded; every file is still counted.
  for (int i = 1; i <= 1000000; ++i) s.started(static_cast<double>(i) + 0.25, 1);
  q = s.queue_wait();
  CHECK(q.started == 1000005);
  // Exact p50: the ⌈0.5 × 1 000 005⌉ = 500 003rd smallest wait. The 5 earlier waits are all
  // below 1003 s, so it is the 499 998th of the new ones, 499 998.25 s; the reported one is
  // the largest wait of its bucket: not below it, at most 2^-8 above it.
  CHECK(q.p50_s >= 499998.25);
  CHECK(q.p50_s <= 499998.25 * (1 + 1.0 / 256));
}

TEST_CASE("Child processes' memory is counted while they run and freed when they exit") {
  k8s::ContainerMemory m(300 * kMiB);
  m.set_child_process_bytes(60 * 25 * kMiB);
  CHECK(m.working_set_bytes() == 1800 * kMiB);
  CHECK_FALSE(m.enforce_limit(1800 * kMiB).oom_kill);
  m.set_child_process_bytes(0);  // no ratchet: the processes are gone
  CHECK(m.working_set_bytes() == 300 * kMiB);
  m.set_child_process_bytes(61 * 25 * kMiB);
  CHECK(m.enforce_limit(1800 * kMiB).oom_kill);
  m.restart();
  CHECK(m.child_process_bytes() == 0);
}
