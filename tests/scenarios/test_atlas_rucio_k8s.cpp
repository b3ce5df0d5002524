// scenarios/atlas-rucio-k8s.yaml against scenarios/atlas-rucio-k8s-static.yaml: the ATLAS
// Rucio instance on Kubernetes with autoscaling, and on its static VMs (issue 13, item 1).
// Each TEST_CASE is one process (ctest); the runs are the scenario files as committed.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"

namespace dlsim {
namespace {

const char* const kK8s = "scenarios/atlas-rucio-k8s.yaml";
const char* const kStatic = "scenarios/atlas-rucio-k8s-static.yaml";

sim::RunResult run(const std::string& file, const std::vector<std::string>& sets = {}) {
  auto loaded = sim::load_scenario(file, sets);
  return sim::run_scenario(loaded.scenario);
}

std::vector<sim::Event> events_of(const sim::Recorder& r, const std::string& kind) {
  std::vector<sim::Event> out;
  for (const auto& e : r.events())
    if (e.kind == kind) out.push_back(e);
  return out;
}

double node_hours(const sim::Summary& s) {
  double h = 0;
  for (const auto& p : s.pools) h += p.node_hours;
  return h;
}

double pod_hours(const sim::Summary& s) {
  double h = 0;
  for (const auto& v : s.services) h += v.pod_hours;
  return h;
}

const sim::ServiceSummary& service(const sim::Summary& s, const std::string& name) {
  for (const auto& v : s.services)
    if (v.name == name) return v;
  throw std::runtime_error("no service " + name);
}

const sim::TableSummary& table(const sim::Summary& s, const std::string& name) {
  for (const auto& t : s.tables)
    if (t.name == name) return t;
  throw std::runtime_error("no table " + name);
}

double p99(const sim::Summary& s, const std::string& operation) {
  for (const auto& a : s.api)
    if (a.service == "server" && a.operation == operation) return a.p99_s;
  throw std::runtime_error("no operation " + operation);
}

std::string after_marker(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const auto at = all.find("# ---- From here on identical");
  REQUIRE(at != std::string::npos);
  return all.substr(at);
}

}  // namespace

TEST_CASE("atlas-rucio-k8s: the static and the Kubernetes files describe the same day") {
  // Both deployments must answer for the same workload, RSEs, FTS and cost constants: the
  // static file copies everything after the marker line verbatim.
  CHECK(after_marker(kK8s) == after_marker(kStatic));
}

}  // namespace dlsim
