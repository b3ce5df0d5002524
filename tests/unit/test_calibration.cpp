// Calibration: the NNLS solver and the recovery of known constants from synthetic work.
#include <catch2/catch.hpp>

#include "analysis/calibration.hpp"
#include "analysis/calibration_report.hpp"

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

namespace {
// A scenario with the named daemons (one replica, one thread each) and no idle CPU.
scenario::Scenario scenario_with(std::initializer_list<const char*> daemons) {
  scenario::Scenario s;
  s.rucio.model.cpu_idle_cores = 0;
  s.rucio.model.cpu_idle_server_cores = 0;
  for (const char* name : daemons) {
    scenario::ServiceSpec spec;
    spec.name = name;
    s.rucio.daemons[name] = spec;
  }
  return s;
}
}  // namespace

TEST_CASE("Calibration recovers the message cost that generated the observations") {
  // Two services over one day with one pod each. With statement 0.1 ms, row 20 µs (fixed)
  // and a message cost of 4 ms, service a does 86 400 × (100 statements, 0 rows, 10
  // messages)/s·day → 100·1e-4 + 10·4e-3 = 0.05 cores; service b 86 400 × (0, 1000, 20) →
  // 1000·2e-5 + 20·4e-3 = 0.1 cores. Fitting the message cost alone recovers 4 ms.
  scenario::Scenario s = scenario_with({"a", "b"});
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

TEST_CASE("Calibration fits the idle CPU per process and the FTS call cost together") {
  // One day, one pod each. a: idle only, observed 0.004 cores; b: 10 FTS calls/s, observed
  // 0.004 + 10 × 0.02 = 0.204 cores. The exact solution is idle 0.004 cores, 20 ms per call.
  scenario::Scenario s = scenario_with({"a", "b"});
  sim::Summary summary;
  summary.simulated_s = 86400;
  for (auto [name, calls] : {std::pair{"a", 0.0}, std::pair{"b", 10.0}}) {
    sim::ServiceSummary v;
    v.name = name;
    v.replicas = 1;
    v.work.fts_calls = calls * 86400;
    summary.services.push_back(v);
  }
  std::vector<analysis::Observation> obs = {{"a", 0.004, 0.004, std::nullopt},
                                            {"b", 0.204, 0.204, std::nullopt}};
  auto fit = analysis::calibrate(s, summary, obs,
                                 {analysis::CpuConstant::FtsCall, analysis::CpuConstant::Idle});
  CHECK(fit.constants.cpu_idle_cores == Approx(0.004));
  CHECK(fit.constants.cpu_per_fts_call_s == Approx(0.02));
}

TEST_CASE("Calibration leaves a service without modelled load out of the CPU fit") {
  // a: 100 messages/s observed at 0.5 cores → 5 ms per message; b: 1 message/s observed at
  // 0.5 cores too, i.e. 0.5 s per message if it were explained. Fitted on both with relative
  // weights (rows 200·c = 1 and 2·c = 1) the cost is 202 / 40 004 = 5.05 ms, which leaves b
  // at 0.005 cores, under a tenth of its 0.5: b is reported unexplained and the refit on a
  // alone gives exactly 5 ms.
  scenario::Scenario s = scenario_with({"a", "b"});
  sim::Summary summary;
  summary.simulated_s = 86400;
  for (auto [name, rate] : {std::pair{"a", 100.0}, std::pair{"b", 1.0}}) {
    sim::ServiceSummary v;
    v.name = name;
    v.replicas = 1;
    v.work.messages = rate * 86400;
    summary.services.push_back(v);
  }
  std::vector<analysis::Observation> obs = {{"a", 0.5, 0.5, std::nullopt},
                                            {"b", 0.5, 0.5, std::nullopt}};
  auto fit = analysis::calibrate(s, summary, obs, {analysis::CpuConstant::Message});
  CHECK(fit.constants.cpu_per_message_s == Approx(5e-3));
  CHECK_FALSE(fit.services[0].cpu_unexplained);
  CHECK(fit.services[1].cpu_unexplained);
}

TEST_CASE("Calibration fits a base memory per observed service and a global one") {
  // Heaps: a holds 20 MiB above its base, b 0; observed a 120 MiB, b 100 MiB with one
  // process each: each one's own base is 100 MiB, and so is the global base that fits both
  // exactly.
  const double mib = 1024.0 * 1024.0;
  scenario::Scenario s = scenario_with({"a", "b"});
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
  REQUIRE(fit.services[0].base_memory_bytes);
  CHECK(*fit.services[0].base_memory_bytes == Approx(100 * mib));
  CHECK(fit.services[0].mem_after_bytes == Approx(120 * mib));
}

TEST_CASE("Calibration takes a server's base per WSGI process, from the base it ran with") {
  // A server of 4 processes ran with its own base of 50 MiB per process and held 40 MiB of
  // heap: 240 MiB. Observed 440 MiB → (440 − 40) / 4 = 100 MiB per process. Servers do not
  // enter the global (daemon) base, which stays as given.
  const double mib = 1024.0 * 1024.0;
  scenario::Scenario s = scenario_with({});
  scenario::ServiceSpec server;
  server.name = "api";
  server.processes = 4;
  server.base_memory_bytes = 50 * mib;
  s.rucio.servers["api"] = server;
  sim::Summary summary;
  summary.simulated_s = 86400;
  sim::ServiceSummary v;
  v.name = "api";
  v.replicas = 1;
  v.mem_ws_max_bytes = 240 * mib;
  summary.services.push_back(v);
  std::vector<analysis::Observation> obs = {{"api", std::nullopt, std::nullopt, 440 * mib}};
  auto fit = analysis::calibrate(s, summary, obs, {});
  REQUIRE(fit.services.size() == 1);
  CHECK_FALSE(fit.services[0].daemon);
  CHECK(*fit.services[0].base_memory_bytes == Approx(100 * mib));
  CHECK(fit.constants.base_memory_bytes == s.rucio.model.base_memory_bytes);
}

TEST_CASE("Calibration keeps a constant that no observed service's work uses") {
  // One day, one pod: a does 10 statements/s and no request, observed 0.002 cores. Fitting
  // statement and request: the statement cost is 0.002 / 10 = 0.2 ms; no observed work
  // prices requests, so cpu_per_request stays the scenario's (not NNLS's 0).
  scenario::Scenario s = scenario_with({"a"});
  s.rucio.model.cpu_per_request_s = 0.05;
  sim::Summary summary;
  summary.simulated_s = 86400;
  sim::ServiceSummary v;
  v.name = "a";
  v.replicas = 1;
  v.work.statements = 10 * 86400;
  summary.services.push_back(v);
  std::vector<analysis::Observation> obs = {{"a", 0.002, 0.002, std::nullopt}};
  auto fit = analysis::calibrate(
      s, summary, obs, {analysis::CpuConstant::Statement, analysis::CpuConstant::Request});
  CHECK(fit.constants.cpu_per_statement_s == Approx(2e-4));
  CHECK(fit.constants.cpu_per_request_s == 0.05);
}

TEST_CASE("Calibration report: relative residuals and the overlay fragment") {
  // Observed 0.2-0.6 (middle 0.4), after 0.5: +25 %; memory observed 100, after 90: -10 %.
  analysis::ServiceFit f;
  f.service = "hermes";
  f.cpu_low_cores = 0.2;
  f.cpu_high_cores = 0.6;
  f.cpu_after_cores = 0.5;
  f.mem_observed_bytes = 100;
  f.mem_after_bytes = 90;
  f.base_memory_bytes = 146800640;
  CHECK(*analysis::cpu_residual(f) == Approx(0.25));
  CHECK(*analysis::mem_residual(f) == Approx(-0.1));
  analysis::ServiceFit unobserved;
  CHECK_FALSE(analysis::cpu_residual(unobserved));
  CHECK_FALSE(analysis::mem_residual(unobserved));
  analysis::Calibration c;
  c.constants.cpu_per_message_s = 0.00409;
  c.services = {f};
  const std::string yaml = analysis::overlay_yaml(c, "dlsim calibrate x.yaml");
  CHECK(yaml.find("rucio:\n  model:\n") != std::string::npos);
  CHECK(yaml.find("    cpu_per_message: 0.004090000s\n") != std::string::npos);
  CHECK(yaml.find("  daemons:\n    hermes:\n      base_memory: 146800640\n") != std::string::npos);
  CHECK(yaml.find("  servers:") == std::string::npos);  // no server observed
  CHECK(yaml.find("# hermes ") != std::string::npos);   // the fit table, commented
  CHECK(yaml.find("+25.0%") != std::string::npos);
  CHECK(yaml.find("-10.0%") != std::string::npos);
  CHECK(analysis::overlay_yaml(c, "x", false).find("# hermes") == std::string::npos);
}
