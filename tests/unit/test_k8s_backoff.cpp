// Unit tests for models/k8s/backoff: CrashLoopBackOff schedule, reset and δ
// (k/k pkg/kubelet/kubelet.go, client-go util/flowcontrol/backoff.go).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/backoff.hpp"

using namespace dlsim::models::k8s;

namespace {

// A container that crashes `run_s` after every restart; returns the waits before restarts.
std::vector<double> crash_loop(RestartBackoff& b, int crashes, double run_s) {
  std::vector<double> waits;
  double t = 0.0;  // first exit at 0
  for (int i = 0; i < crashes; ++i) {
    const double restart = b.on_exit(t);
    waits.push_back(restart - t - b.config().detection_latency_s);
    CHECK(b.last_wait_s() == Approx(waits.back()));
    t = restart + run_s;
  }
  return waits;
}

}  // namespace

TEST_CASE("default back-off: 0, 10, 20, 40, 80, 160, 300, 300 s", "[k8s][backoff]") {
  RestartBackoff b;
  const std::vector<double> waits = crash_loop(b, 9, 5.0);
  const std::vector<double> expected = {0, 10, 20, 40, 80, 160, 300, 300, 300};
  REQUIRE(waits.size() == expected.size());
  for (std::size_t i = 0; i < waits.size(); ++i) CHECK(waits[i] == Approx(expected[i]));
  CHECK(b.restart_count() == 9);
}

TEST_CASE("exact restart times of a crash loop", "[k8s][backoff]") {
  RestartBackoff b;
  CHECK(b.on_exit(0.0) == Approx(0.0));    // first crash: at once; b := 10
  CHECK(b.on_exit(5.0) == Approx(15.0));   // 5 + 10; b := 20
  CHECK(b.on_exit(20.0) == Approx(40.0));  // 20 + 20; b := 40
  CHECK(b.next_backoff_s() == Approx(40.0));
  CHECK(b.last_restart_s() == Approx(40.0));
}

TEST_CASE("back-off resets after more than 600 s of running", "[k8s][backoff]") {
  RestartBackoff b;
  crash_loop(b, 8, 5.0);  // waits up to 300; restarts at 0, 15, 40, 85, 170, 335, 640, 945
  REQUIRE(b.last_restart_s() == Approx(945.0));
  // Ran 601 s since the restart at 945: 601 > 600 → like a first crash.
  CHECK(b.on_exit(1546.0) == Approx(1546.0));
  CHECK(b.last_wait_s() == Approx(0.0));
  CHECK(b.next_backoff_s() == Approx(10.0));
  // Exactly 600 s is not more than 600 s: the back-off of 10 s applies.
  CHECK(b.on_exit(2146.0) == Approx(2156.0));
  CHECK(b.restart_count() == 10);
}

TEST_CASE("detection latency delays every restart", "[k8s][backoff]") {
  BackoffConfig cfg;
  cfg.detection_latency_s = 1.0;
  RestartBackoff b(cfg);
  CHECK(b.on_exit(100.0) == Approx(101.0));  // 100 + δ; τ = 101
  CHECK(b.on_exit(102.0) == Approx(113.0));  // 102 + 10 + δ
}

TEST_CASE("feature-gated back-off variants", "[k8s][backoff]") {
  RestartBackoff reduced(BackoffConfig::reduced_decay());  // 1 s initial, 60 s max
  const std::vector<double> waits = crash_loop(reduced, 9, 1.0);
  const std::vector<double> expected = {0, 1, 2, 4, 8, 16, 32, 60, 60};
  for (std::size_t i = 0; i < waits.size(); ++i) CHECK(waits[i] == Approx(expected[i]));

  BackoffConfig capped;
  capped.max_s = 5.0;  // KubeletCrashLoopBackOffMax = 5 s → initial min(10, 5) = 5
  RestartBackoff c(capped);
  const std::vector<double> w = crash_loop(c, 3, 1.0);
  CHECK(w[0] == Approx(0.0));
  CHECK(w[1] == Approx(5.0));
  CHECK(w[2] == Approx(5.0));
}
