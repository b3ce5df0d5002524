// The FTS v3.9.5 optimizer's inputs (models/transfer/fts_window) computed as
// src/db/mysql/OptimizerDataSource.cpp of cern-fts/fts3 v3.9.5 computes them from t_file;
// every expected value is derived in the comment beside it.
#include <catch2/catch.hpp>

#include "models/transfer/fts_window.hpp"

namespace tr = dlsim::models::transfer;

TEST_CASE("the window is 5, 15 or 30 min by the mean duration of the last 30 min") {
  // getAverageDuration (#L271-L283): FINISHED after now − 30 min with tx_duration > 0.
  std::deque<tr::TerminalTransfers> ended;
  CHECK_FALSE(tr::mean_finished_duration_s(ended, 2000).has_value());
  ended.push_back({100, 110, 3, 0, 0, 1e6});  // ended at 110 < 2000 − 1800 = 200: too old
  ended.push_back({900, 920, 2, 0, 0, 1e6});  // 2 files of 20 s
  ended.push_back({900, 940, 0, 5, 0, 1e6});  // failures: not in the average
  ended.push_back({950, 960, 2, 0, 0, 1e6});  // 2 files of 10 s
  // (2·20 + 2·10) / 4 = 15 s → calculateTimeFrame: (0, 30) → 5 min.
  CHECK(*tr::mean_finished_duration_s(ended, 2000) == Approx(15));
  tr::LinkHistory h;
  for (const auto& t : ended) h.record(t);
  CHECK(h.measure(2000, {}, 0, 10).window_s == 300);
  CHECK(h.size() == 3);  // the transfer that ended at 110 is forgotten (older than 30 min)
  tr::LinkHistory slow;
  slow.record({1000, 1060, 4, 0, 0, 1e6});  // 60 s → (30, 900) → 15 min
  CHECK(slow.measure(2000, {}, 0, 10).window_s == 900);
  tr::LinkHistory none;
  CHECK(none.measure(2000, {}, 0, 10).window_s == 1800);  // no FINISHED: 30 min
}

TEST_CASE("throughput pro-rates finished and active transfers by their time in the window") {
  // now 2000; durations 60 s → 15 min window, start 1100 (getThroughputInfo #L190-L269).
  tr::LinkHistory h;
  // A: 10 files of 60e6 B over 1040..1100: inside the window for 1100 − 1100 = 0 s → 0 B, but
  // finish_time ≥ window start, so its sizes count; its success does not (finish > start).
  h.record({1040, 1100, 10, 0, 0, 60e6});
  // B: 5 files of 60e6 B over 1500..1560, wholly inside: 5 · 60e6 = 3e8 B.
  h.record({1500, 1560, 5, 0, 0, 60e6});
  // C: 2 recoverable and 3 other failures at 1600: 2 failures for the success rate.
  h.record({1550, 1600, 0, 2, 3, 60e6});
  // D: 4 files of 1e8 B running since 1000, 2e8 B moved: 2e8/1000 B/s · (2000 − 1100) s
  // = 1.8e8 B.
  const std::vector<tr::ActiveTransfers> running = {{1000, 4, 1e8, 2e8}};
  const tr::LinkWindow w = h.measure(2000, running, 4, 7);
  CHECK(w.window_s == 900);  // (10·60 + 5·60) / 15 = 60 s
  CHECK(w.bytes == Approx(3e8 + 1.8e8));
  CHECK(w.finished == 5);                                   // B only
  CHECK(w.failed == 2);                                     // C's recoverable ones
  CHECK(tr::success_rate_pct(w.finished, w.failed) == 72);  // ceil(500 / 7) = ceil(71.4)
  // Sizes of A, B and D: (10·60e6 + 5·60e6 + 4·1e8) / 19 = 1.3e9 / 19.
  REQUIRE(w.mean_file_bytes.has_value());
  CHECK(*w.mean_file_bytes == Approx(1.3e9 / 19));
  CHECK(w.active == 4);
  CHECK(w.queued == 7);
}

TEST_CASE("a transfer of zero duration counts whole; a running one without progress, nothing") {
  // #L243-L245: duration ≤ 0 → the whole file size; #L231-L234: duration 0 → 0 B.
  tr::LinkHistory h;
  h.record({1990, 1990, 2, 0, 0, 5e6});  // 2 · 5e6 = 1e7 B
  const tr::LinkWindow w = h.measure(2000, {{2000, 3, 1e6, 0}}, 3, 0);
  CHECK(w.bytes == Approx(1e7));
  CHECK(w.window_s == 1800);  // no duration > 0 → no average → 30 min
}

TEST_CASE("only recoverable failures reach the optimizer") {
  // heuristics.cpp retryTransfer (v3.9.5): no space, missing file, checksum and permission
  // errors are not recoverable; anything else is.
  CHECK(tr::recoverable(tr::FailureClass::kRecoverable));
  CHECK_FALSE(tr::recoverable(tr::FailureClass::kNoSpace));
  CHECK_FALSE(tr::recoverable(tr::FailureClass::kMissingFile));
  CHECK_FALSE(tr::recoverable(tr::FailureClass::kChecksum));
  CHECK_FALSE(tr::recoverable(tr::FailureClass::kPermission));
  // 98 finished and 2 "no space" failures: 100 %, where counting every failure gives 98 %;
  // 2 recoverable failures instead: ceil(9800 / 100) = 98.
  tr::LinkHistory h;
  h.record({1000, 1010, 98, 0, 2, 1e6});
  CHECK(tr::success_rate_pct(h.measure(1100, {}, 0, 0).finished,
                             h.measure(1100, {}, 0, 0).failed) == 100);
  tr::LinkHistory r;
  r.record({1000, 1010, 98, 2, 0, 1e6});
  const tr::LinkWindow w = r.measure(1100, {}, 0, 0);
  CHECK(tr::success_rate_pct(w.finished, w.failed) == 98);
}
