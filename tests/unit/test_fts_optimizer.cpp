// FTS3 optimizer decisions (models/transfer/fts_optimizer), cycle by cycle. Every expected value
// is derived in the comment beside it from fts3 3.14.4 OptimizerConnections.cpp: first value min +
// (max − min)/2, +2 per 60 s cycle in normal mode, −1 below 97 % success, EMA α = 0.1, 300 s steady
// interval.
#include <catch2/catch.hpp>

#include "models/transfer/fts_optimizer.hpp"

namespace tr = dlsim::models::transfer;
using tr::Reason;

namespace {

const tr::LinkKey kAB{"A", "B"};

// A 300 s window with the given success counts and throughput; 1 GB files; a long queue.
tr::LinkWindow window(int finished, int failed, double throughput_Bps, int queued = 1000,
                      double mean_file_bytes = 1e9) {
  tr::LinkWindow w;
  w.finished = finished;
  w.failed = failed;
  w.queued = queued;
  w.active = 10;
  w.window_s = 300;
  w.bytes = throughput_Bps * w.window_s;
  w.mean_file_bytes = mean_file_bytes;
  return w;
}

}  // namespace

TEST_CASE("success rate, EMA, measurement window and streams per transfer as FTS computes them") {
  CHECK(tr::success_rate_pct(0, 0) == 1);    // v3.9.5 OptimizerDataSource.cpp#L330: 1.0, i.e. 1 %
  CHECK(tr::success_rate_pct(2, 1) == 67);   // ceil(66.67)
  CHECK(tr::success_rate_pct(24, 1) == 96);  // 2400 / 25 = 96 exactly
  CHECK(tr::ema_update(2e8, 0.1, 1e8) == Approx(1.1e8));  // 0.1·2e8 + 0.9·1e8
  CHECK(tr::ema_update(0, 0.1, 1e8) == 1e8);              // zero samples do not update
  CHECK(tr::measurement_window_s(std::nullopt) == 1800);  // no finished transfer: 30 min
  CHECK(tr::measurement_window_s(10) == 300);             // (0, 30) s: 5 min
  CHECK(tr::measurement_window_s(30.9) == 1800);  // truncated to 30, not in (0,30)∪(30,900)
  CHECK(tr::measurement_window_s(31) == 900);     // (30, 900) s: 15 min
  CHECK(tr::measurement_window_s(900) == 1800);   // 900 s and over: 30 min
  using M = tr::OptimizerMode;
  CHECK(tr::streams_per_transfer(M::kConservative, 66, 2, 2, 16) == 1);  // conservative: 1
  CHECK(tr::streams_per_transfer(M::kNormal, 66, 2, 2, 16) == 16);       // floor(66 / 4) = 16
  CHECK(tr::streams_per_transfer(M::kNormal, 66, 1, 1, 16) == 16);       // 33 clamped to 16
  CHECK(tr::streams_per_transfer(M::kNormal, 2, 10, 10, 16) == 1);       // 0 raised to 1
}

TEST_CASE("working range comes from the link row, else the storage limits") {
  tr::OptimizerConfig config;
  config.links[{"A", "B"}] = tr::LinkConfig{5, 20, tr::OptimizerMode::kNormal};
  config.links[{"A", "C"}] = tr::LinkConfig{};  // a row without min/max
  config.storages["A"].outbound_max_active = 50;
  tr::FtsOptimizer opt(config);

  const auto defaults = opt.working_range({"X", "Y"});  // only the *→* row: [2, 130]
  CHECK(defaults.min == 2);
  CHECK(defaults.max == 130);
  CHECK_FALSE(defaults.configured);
  const auto ac = opt.working_range({"A", "C"});  // min 2 (WAN), max min(A out 50, C in 200)
  CHECK(ac.min == 2);
  CHECK(ac.max == 50);
  CHECK(ac.configured);
  CHECK(ac.from_storage);

  tr::OptimizerConfig bare;  // no link rows at all: conservative mode, LAN min 10
  bare.links.clear();
  bare.lan_links.insert({"A", "A2"});
  tr::FtsOptimizer bare_opt(bare);
  const auto lan = bare_opt.working_range({"A", "A2"});
  CHECK(lan.min == 10);
  CHECK(lan.max == 200);  // min(* out 200, * in 200)
  CHECK(lan.mode == tr::OptimizerMode::kConservative);
  CHECK(bare_opt.working_range({"A", "B"}).min == 2);
}

TEST_CASE("first decision: halfway by default, configured max for a configured link") {
  tr::OptimizerConfig config;
  config.links[{"A", "C"}] = tr::LinkConfig{5, 20, tr::OptimizerMode::kNormal};
  config.links[{"A", "D"}] = tr::LinkConfig{8, 8, tr::OptimizerMode::kNormal};
  tr::FtsOptimizer opt(config);

  const auto ab = opt.decide(kAB, window(10, 0, 1e8), 0);
  CHECK(ab.value == 66);  // 2 + (130 − 2) / 2
  CHECK(ab.reason == Reason::kStartHalfway);
  CHECK(opt.decide({"A", "C"}, window(10, 0, 1e8), 0).value == 20);   // configured max
  CHECK(opt.decide({"A", "D"}, window(10, 0, 1e8), 0).value == 8);    // max of [8, 8]
  const auto fixed = opt.decide({"A", "D"}, window(0, 10, 1e8), 60);  // 0 % success, still 8
  CHECK(fixed.value == 8);
  CHECK(fixed.reason == Reason::kRangeFixed);
}

TEST_CASE("100 % success and rising throughput: +2 per cycle up to the 130 cap (normal mode)") {
  tr::FtsOptimizer opt({});
  // Cycle k (t = 60·k s) measures (k + 1)·1e8 B/s, so the EMA rises every cycle.
  CHECK(opt.decide(kAB, window(10, 0, 1e8), 0).value == 66);  // halfway, EMA = 1e8
  const auto c1 = opt.decide(kAB, window(10, 0, 2e8), 60);    // EMA 0.1·2e8 + 0.9·1e8 = 1.1e8
  CHECK(c1.ema_Bps == Approx(1.1e8));
  CHECK(c1.value == 68);  // 66 + 2
  CHECK(c1.reason == Reason::kThroughputIncreasing);
  CHECK(opt.decide(kAB, window(10, 0, 3e8), 120).value == 70);  // EMA 1.29e8 > 1.1e8
  CHECK(opt.decide(kAB, window(10, 0, 4e8), 180).value == 72);  // EMA 1.561e8 > 1.29e8
  // 66 + 2·32 = 130 at cycle 32 (docs/design.md §3.4: at least 32 cycles from 66 to the cap).
  tr::Decision d;
  for (int k = 4; k <= 32; ++k) d = opt.decide(kAB, window(10, 0, (k + 1) * 1e8), 60.0 * k);
  CHECK(d.value == 130);
  d = opt.decide(kAB, window(10, 0, 34e8), 60.0 * 33);  // 132 clamped back to max
  CHECK(d.value == 130);
  CHECK(d.adjustment == tr::Adjustment::kHitUpperLimit);
}

TEST_CASE("conservative mode: +1 per cycle and never above the queue") {
  tr::OptimizerConfig config;
  config.links[{"*", "*"}].mode = tr::OptimizerMode::kConservative;
  tr::FtsOptimizer opt(config);
  CHECK(opt.decide(kAB, window(10, 0, 1e8), 0).value == 66);
  CHECK(opt.decide(kAB, window(10, 0, 2e8), 60).value == 67);   // +1
  CHECK(opt.decide(kAB, window(10, 0, 3e8), 120).value == 68);  // +1
  // Queue 68: not < 68, so no "queue emptying"; the rule asks for 69 but 68 queued < 69.
  const auto held = opt.decide(kAB, window(10, 0, 4e8, 68), 180);
  CHECK(held.value == 68);
  CHECK(held.adjustment == tr::Adjustment::kNotEnoughQueued);
}

TEST_CASE("a queue shorter than the current value holds it") {
  tr::FtsOptimizer opt({});
  opt.decide(kAB, window(10, 0, 1e8), 0);                      // 66
  const auto d = opt.decide(kAB, window(10, 0, 2e8, 10), 60);  // queue 10 < 66
  CHECK(d.value == 66);
  CHECK(d.reason == Reason::kQueueEmptying);
}

TEST_CASE("falling throughput: hold on a small drop, −1 when an order of magnitude is lost") {
  SECTION("small drop") {
    tr::FtsOptimizer opt({});
    opt.decide(kAB, window(10, 0, 3e8), 0);                  // 66, EMA 3e8, round(log10) = 8
    const auto d = opt.decide(kAB, window(10, 0, 2e8), 60);  // EMA 0.2e8 + 2.7e8 = 2.9e8 → 8
    CHECK(d.value == 66);
    CHECK(d.reason == Reason::kSmallThroughputDeterioration);
  }
  SECTION("order of magnitude lost, then a small drop") {
    tr::FtsOptimizer opt({});
    opt.decide(kAB, window(10, 0, 3.2e7), 0);          // 66, EMA 3.2e7, log10 7.505 → 8
    auto d = opt.decide(kAB, window(10, 0, 1e7), 60);  // EMA 1e6 + 2.88e7 = 2.98e7, 7.474 → 7
    CHECK(d.ema_Bps == Approx(2.98e7));
    CHECK(d.value == 65);
    CHECK(d.reason == Reason::kThroughputDeterioration);
    d = opt.decide(kAB, window(10, 0, 1e7), 120);  // EMA 1e6 + 2.682e7 = 2.782e7, still 7
    CHECK(d.value == 65);
    CHECK(d.reason == Reason::kSmallThroughputDeterioration);
  }
  SECTION("smaller files explain the drop: increase instead") {
    tr::FtsOptimizer opt({});
    opt.decide(kAB, window(10, 0, 3.2e7, 1000, 1e9), 0);                // files 1e9: magnitude 9
    const auto d = opt.decide(kAB, window(10, 0, 1e7, 1000, 1e8), 60);  // files 1e8: 8 < 9
    CHECK(d.value == 68);                                               // 66 + 2
    CHECK(d.reason == Reason::kFileSizeDecreasing);
  }
}

TEST_CASE("success rate under 97 %: back off by 1, hold only while improving from ≥ 96 %") {
  tr::FtsOptimizer opt({});
  // Throughput rises each cycle so that no pass is skipped; below 97 % it is ignored.
  CHECK(opt.decide(kAB, window(10, 0, 1e8), 0).value == 66);  // 100 %
  auto d = opt.decide(kAB, window(9, 1, 2e8), 60);            // 90 % < 100 %: worse
  CHECK(d.success_rate_pct == 90);
  CHECK(d.value == 65);
  CHECK(d.reason == Reason::kLowSuccessWorse);
  d = opt.decide(kAB, window(19, 1, 3e8), 120);  // 95 %: rising but < 96
  CHECK(d.value == 64);
  CHECK(d.reason == Reason::kLowSuccessNoChange);
  d = opt.decide(kAB, window(24, 1, 4e8), 180);  // 96 %: rising, ≥ 96, retries 0 ≤ 0: hold
  CHECK(d.value == 64);
  CHECK(d.reason == Reason::kLowSuccessImproving);
  d = opt.decide(kAB, window(24, 1, 5e8), 240);  // 96 % again: not rising, −1
  CHECK(d.value == 63);
  d = opt.decide(kAB, window(49, 1, 6e8), 300);  // 98 % ≥ 97: good again, EMA up: 63 + 2
  CHECK(d.value == 65);
}

TEST_CASE("rising retries cancel the 'improving' hold") {
  tr::FtsOptimizer opt({});
  opt.decide(kAB, window(10, 0, 1e8), 0);      // 66
  opt.decide(kAB, window(19, 1, 2e8), 60);     // 95 %: 65
  auto w = window(24, 1, 3e8);                 // 96 %, rising, ≥ 96 ...
  w.retries = 2;                               // ... but retries 2 > 0
  CHECK(opt.decide(kAB, w, 120).value == 64);  // so −1
}

TEST_CASE("back-off stops at the range minimum") {
  tr::OptimizerConfig config;
  config.links[{"A", "B"}] = tr::LinkConfig{2, 4, tr::OptimizerMode::kNormal};
  tr::FtsOptimizer opt(config);
  CHECK(opt.decide(kAB, window(10, 0, 1e8), 0).value == 4);   // configured max
  CHECK(opt.decide(kAB, window(0, 10, 2e8), 60).value == 3);  // 0 %: −1
  CHECK(opt.decide(kAB, window(0, 10, 3e8), 120).value == 2);
  const auto d = opt.decide(kAB, window(0, 10, 4e8), 180);  // 1 clamped to min 2
  CHECK(d.value == 2);
  CHECK(d.adjustment == tr::Adjustment::kHitLowerLimit);
}

TEST_CASE("unchanged success rate and EMA are skipped until the 300 s steady interval") {
  tr::FtsOptimizer opt({});
  CHECK(opt.decide(kAB, window(10, 0, 1e8), 0).value == 66);  // EMA 1e8
  for (double t : {60.0, 120.0, 180.0, 240.0}) {
    // No bytes: the EMA stays 1e8 exactly, success stays 100 %, t − 0 < 300: skip.
    const auto d = opt.decide(kAB, window(10, 0, 0), t);
    CHECK(d.reason == Reason::kSkippedSteady);
    CHECK(d.value == 66);
  }
  CHECK(opt.state(kAB)->decided_at_s == 0);               // skips store nothing
  const auto d = opt.decide(kAB, window(10, 0, 0), 300);  // 300 − 0 ≥ 300: run; EMA equal: +2
  CHECK(d.value == 68);
  CHECK(d.reason == Reason::kIncrement);
}

TEST_CASE("no throughput information holds the value") {
  tr::FtsOptimizer opt({});
  CHECK(opt.decide(kAB, window(1, 0, 0), 0).value == 66);  // EMA seeded with 0
  const auto d = opt.decide(kAB, window(1, 0, 0), 300);    // 100 %, EMA 0 after 300 s: hold
  CHECK(d.value == 66);
  CHECK(d.reason == Reason::kNoThroughputInformation);
}

TEST_CASE("v3.9.5: a window without terminal transfers reads as 1 % success and backs off") {
  // OptimizerDataSource.cpp#L327-L331 returns 1.0 when nothing terminated; 1 < 97 (rule 3):
  // not improving (1 == 1), so "no changes": 66 − 1 = 65, then 64 after the steady 300 s.
  tr::FtsOptimizer opt({});
  CHECK(opt.decide(kAB, window(0, 0, 0), 0).value == 66);
  const auto d = opt.decide(kAB, window(0, 0, 1e8), 60);  // EMA changes: not skipped
  CHECK(d.success_rate_pct == 1);
  CHECK(d.value == 65);
  CHECK(d.reason == Reason::kLowSuccessNoChange);
  CHECK(opt.decide(kAB, window(0, 0, 1e8), 360).value == 64);  // EMA 1e7 → 1.9e7: changed
}

TEST_CASE("v3.9.5: with nothing queued, the too-many-streams guard undoes a decrease too") {
  // OptimizerConnections.cpp#L305-L310 (normal mode): decision > queued × 16 → previous. 80 %
  // success (rule 3) asks 66 − 1 = 65, but 65 > 0 × 16: back to 66.
  tr::FtsOptimizer opt({});
  opt.decide(kAB, window(10, 0, 1e8), 0);
  const auto d = opt.decide(kAB, window(8, 2, 1e8, 0), 60);
  CHECK(d.value == 66);
  CHECK(d.adjustment == tr::Adjustment::kTooManyStreams);
  // With 5 queued (80 ≥ 65) the decrease stands.
  CHECK(opt.decide(kAB, window(7, 3, 1e8, 5), 120).value == 65);
}

TEST_CASE("v3.9.5: a window without file sizes counts as smaller files") {
  // filesizeAvg is 0 without transfers (OptimizerDataSource.cpp#L195); round(log10 0) = −inf
  // < 9, so a falling EMA with no size information raises by 2 (OptimizerConnections.cpp#L127).
  tr::FtsOptimizer opt({});
  opt.decide(kAB, window(10, 0, 1e9), 0);  // EMA 1e9, files 1e9
  tr::LinkWindow w = window(10, 0, 1e8);   // EMA 0.1·1e8 + 0.9·1e9 = 9.1e8 < 1e9
  w.mean_file_bytes.reset();
  const auto d = opt.decide(kAB, w, 60);
  CHECK(d.value == 68);
  CHECK(d.reason == Reason::kFileSizeDecreasing);
}

TEST_CASE("a storage over its throughput cap cuts its links by one step") {
  tr::OptimizerConfig config;
  config.storages["A"].outbound_max_throughput_Bps = 1e9;
  config.storages["B"].inbound_max_throughput_Bps = 5e8;
  tr::FtsOptimizer opt(config);
  opt.decide(kAB, window(10, 0, 1e8), 0);  // 66
  auto w = window(10, 0, 2e8);
  w.source_throughput_Bps = 2e9;  // A sends 2 GB/s > 1 GB/s
  auto d = opt.decide(kAB, w, 60);
  CHECK(d.value == 65);
  CHECK(d.reason == Reason::kSourceThroughputLimit);
  w = window(10, 0, 3e8);
  w.destination_throughput_Bps = 6e8;  // B receives 0.6 GB/s > 0.5 GB/s
  d = opt.decide(kAB, w, 120);
  CHECK(d.value == 64);
  CHECK(d.reason == Reason::kDestinationThroughputLimit);
}

TEST_CASE("endpoint caps share a storage's limit between its links") {
  tr::OptimizerConfig config;
  config.storages["C"].inbound_max_active = 100;
  config.storages["S"].outbound_max_active = 9;
  const tr::LinkKey ac{"A", "C"}, bc{"B", "C"}, sx{"S", "X"}, sy{"S", "Y"};

  // C takes 100 in total: one slot each in turn, A→C then B→C, gives 50 / 50.
  auto got = tr::apply_endpoint_caps({{ac, 66}, {bc, 66}}, config);
  CHECK(got[ac] == 50);
  CHECK(got[bc] == 50);
  // A→C wants only 30; B→C (wants 90) gets the rest of C's 100: 70.
  got = tr::apply_endpoint_caps({{ac, 30}, {bc, 90}}, config);
  CHECK(got[ac] == 30);
  CHECK(got[bc] == 70);
  // S sends 9 in total: S→X 5, S→Y 4 (the earlier link in (source, destination) order gets the
  // odd slot).
  got = tr::apply_endpoint_caps({{sx, 66}, {sy, 66}}, config);
  CHECK(got[sx] == 5);
  CHECK(got[sy] == 4);
  // Under the limits (200 / 200 by default) nothing changes.
  got = tr::apply_endpoint_caps({{{"A", "B"}, 66}, {{"B", "A"}, 66}}, config);
  CHECK(got[{"A", "B"}] == 66);
  CHECK(got[{"B", "A"}] == 66);
}
