// Calibration: the NNLS solver and the recovery of known constants from synthetic work.
#include <catch2/catch.hpp>

#include "analysis/calibration.hpp"

using namespace dlsim;

TEST_CASE("NNLS solves an unconstrained-feasible system exactly") {
  // x = (1, 2) satisfies A x = b exactly and is non-negative.
  Eigen::MatrixXd a(3, 2);
  a << 1, 0, 0, 1, 1, 1;
  Eigen::VectorXd b(3);
  b << 1, 2, 3;
  auto x = analysis::nnls(a, b);
  CHECK(x(0) == Approx(1.0));
  CHECK(x(1) == Approx(2.0));
}

TEST_CASE("NNLS clamps a coefficient that least squares would make negative") {
  // Unconstrained least squares of b = (1, -1) on A = I gives x = (1, -1); with x ≥ 0 the
  // second coefficient is 0 and the first stays 1.
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(2, 2);
  Eigen::VectorXd b(2);
  b << 1, -1;
  auto x = analysis::nnls(a, b);
  CHECK(x(0) == Approx(1.0));
  CHECK(x(1) == 0.0);
}

TEST_CASE("Calibration recovers the message cost that generated the observations") {
  // Two services over one day with one pod each. With statement 0.1 ms, row 20 µs (fixed)
  // and a message cost of 4 ms, service a does 86 400 × (100 statements, 0 rows, 10
  // messages)/s·day → 100·1e-4 + 10·4e-3 = 0.05 cores; service b 86 400 × (0, 1000, 20) →
  // 1000·2e-5 + 20·4e-3 = 0.1 cores. Fitting the message cost alone recovers 4 ms.
  sim::Scenario s;
  sim::Summary summary;
  summary.simulated_s = 86400;
  auto service = [&](const char* name, double st, double rows, double msgs) {
    sim::ServiceSummary v;
    v.name = name;
    v.replicas = 1;
    v.work.statements = st * 86400;
    v.work.rows = rows * 86400;
    v.work.messages = msgs * 86400;
    v.mem_ws_max_bytes = s.rucio.model.base_memory_bytes;
    summary.services.push_back(v);
  };
  service("a", 100, 0, 10);
  service("b", 0, 1000, 20);
  std::vector<analysis::Observation> obs = {{"a", 0.05, 0.05, std::nullopt},
                                            {"b", 0.1, 0.1, std::nullopt}};
  auto fit = analysis::calibrate(s, summary, obs, {analysis::CpuConstant::Message});
  CHECK(fit.constants.cpu_per_message_s == Approx(4e-3));
  CHECK(fit.constants.cpu_per_statement_s == Approx(1e-4));  // fixed
  REQUIRE(fit.services.size() == 2);
  CHECK(fit.services[0].cpu_after_cores == Approx(0.05));
  CHECK(fit.services[1].cpu_after_cores == Approx(0.1));
}

TEST_CASE("Calibration fits the base memory of processes to the observed working sets") {
  // Heaps: a holds 20 MiB above its base, b 0; observed a 120 MiB, b 100 MiB with one
  // process each: base = 100 MiB fits both exactly.
  const double mib = 1024.0 * 1024.0;
  sim::Scenario s;
  s.rucio.model.base_memory_bytes = 80 * mib;
  sim::Summary summary;
  summary.simulated_s = 86400;
  for (auto [name, heap] : {std::pair{"a", 20 * mib}, std::pair{"b", 0.0}}) {
    sim::ServiceSummary v;
    v.name = name;
    v.replicas = 1;
    v.mem_ws_max_bytes = 80 * mib + heap;
    summary.services.push_back(v);
  }
  std::vector<analysis::Observation> obs = {{"a", std::nullopt, std::nullopt, 120 * mib},
                                            {"b", std::nullopt, std::nullopt, 100 * mib}};
  auto fit = analysis::calibrate(s, summary, obs, {});
  CHECK(fit.constants.base_memory_bytes == Approx(100 * mib));
  CHECK(fit.services[0].mem_after_bytes == Approx(120 * mib));
}
