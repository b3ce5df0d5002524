// Unit tests for the batch controllers' formulas: the Job controller's pod-failure back-off
// and a payload's default threads (models/k8s/job.hpp, controllers.hpp).
#include <catch2/catch.hpp>

#include <random>

#include "models/k8s/controllers.hpp"
#include "models/k8s/job.hpp"

using namespace dlsim::models::k8s;

TEST_CASE("Job pod-failure back-off: 10 s doubling, capped at 6 min", "[k8s][job]") {
  // job.md: "exponential back-off delay (10s, 20s, 40s ...) capped at six minutes".
  CHECK(job_failure_backoff_s(0) == 0);
  CHECK(job_failure_backoff_s(1) == 10);
  CHECK(job_failure_backoff_s(2) == 20);
  CHECK(job_failure_backoff_s(3) == 40);
  CHECK(job_failure_backoff_s(5) == 160);
  CHECK(job_failure_backoff_s(6) == 320);
  CHECK(job_failure_backoff_s(7) == 360);
  CHECK(job_failure_backoff_s(1000) == 360);
}

TEST_CASE("A payload uses as many threads as its CPU limit, else its request", "[k8s][job]") {
  CHECK(default_payload_threads({}) == 1);
  CHECK(default_payload_threads({8.0, 8.0, std::nullopt, std::nullopt}) == 8);
  CHECK(default_payload_threads({1.0, std::nullopt, std::nullopt, std::nullopt}) == 1);
  CHECK(default_payload_threads({0.5, 2.5, std::nullopt, std::nullopt}) == 3);  // limit, up
  CHECK(default_payload_threads({std::nullopt, 4.0, std::nullopt, std::nullopt}) == 4);
}

TEST_CASE("Run times are drawn in run_time × [1 − spread, 1 + spread]", "[k8s][job]") {
  std::mt19937_64 rng(7);
  PayloadConfig fixed{3600, 0, 1, 0};
  CHECK(draw_run_time(fixed, rng) == 3600);
  PayloadConfig spread{3600, 0.5, 1, 0};
  double lo = 1e9, hi = 0;
  for (int i = 0; i < 1000; ++i) {
    const double t = draw_run_time(spread, rng);
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  CHECK(lo >= 1800);
  CHECK(hi < 5400);
  CHECK(lo < 1900);  // the range is used, not a point
  CHECK(hi > 5300);
}
