// scenarios/atlas-rucio-k8s.yaml against scenarios/atlas-rucio-k8s-static.yaml: the ATLAS
// Rucio instance on Kubernetes with autoscaling, and on its static VMs (issue 13, item 1).
// Each TEST_CASE is one process (ctest); the runs are the scenario files as committed.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/run_wiring.hpp"
#include "scenario/loader.hpp"

namespace dlsim {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

const char* const kK8s = "scenarios/atlas-rucio-k8s.yaml";
const char* const kStatic = "scenarios/atlas-rucio-k8s-static.yaml";
const char* const kNodeOom = "scenarios/atlas-rucio-k8s-node-oom.yaml";

sim::RunResult run(const std::string& file, const std::vector<std::string>& sets = {}) {
  auto loaded = scenario::load_scenario(file, sets);
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

TEST_CASE("atlas-rucio-k8s-static: 40 VMs for 24 h, no call waits for a worker") {
  // One simulation per process (SimGrid runs one engine per process): the Kubernetes run is
  // the next test, compared with the figures derived here.
  // 40 VMs (15 server, 25 daemon), one pod each, never scaled: 40 × 24 = 960 node-hours and
  // 960 pod-hours, exactly. No call waits for a worker (12 pods × 16 workers for at most a
  // few calls at once): list_replicas costs its CPU, 194 ms per request + 3 × 0.22 ms +
  // 2 × 50 rows × 0.02 ms = 196.7 ms, reported as the upper edge of its 2 % histogram bucket.
  const auto vms = run(kStatic);
  CHECK(node_hours(vms.summary) == Approx(960));
  CHECK(pod_hours(vms.summary) == Approx(960));
  CHECK(p99(vms.summary, "list_replicas") == Approx(0.1967).epsilon(0.02));
  // The deletion campaign: each of its 200 000 files is tombstoned once by the undertaker
  // and deleted by the reaper by the end.
  CHECK(table(vms.summary, "REPLICAS_TOMBSTONED").inserted == 200000);
  CHECK(table(vms.summary, "REPLICAS_TOMBSTONED").rows_final == 0);
}

TEST_CASE("atlas-rucio-k8s: Kubernetes holds fewer node-hours and pod-hours than the 40 VMs") {
  // Bounds from the scenario: at every service's autoscaling max the requests sum to 27
  // cores for the servers (12 × 2 + 3 × 1) and 17 for the daemons, 44 cores on nodes of 7.5
  // allocatable: at most 6 nodes by CPU (memory: 63 GiB on 13.8 GiB, 5 nodes), one more
  // while the autoscaler lags: ≤ 7 × 24 = 168 node-hours, against the VMs' 960 (previous
  // test). Pod-hours: at least the minimum replicas all day (19 pods × 24 h = 456), fewer
  // than the VMs' 960 (the maxima sum to 38 pods and are reached only in the spike).
  const auto k8s = run(kK8s);
  CHECK(node_hours(k8s.summary) <= 168);
  CHECK(pod_hours(k8s.summary) >= 456 - 1);
  CHECK(pod_hours(k8s.summary) < 960);
  // The HPA keeps every operation's p99 under its 1 s target.
  for (const char* op : {"list_replicas", "list_dids", "upload", "add_dataset", "add_rule"})
    CHECK(p99(k8s.summary, op) < 1.0);
  CHECK(table(k8s.summary, "REPLICAS_TOMBSTONED").inserted == 200000);
  CHECK(table(k8s.summary, "REPLICAS_TOMBSTONED").rows_final == 0);
  // judge-evaluator runs 1 of its 3 KEDA pod slots all day (UPDATED_DIDS stays far under the
  // 10 000-row target): its 3 threads are the only live heartbeats, so every row hashes to a
  // running worker and the table ends empty (counting the never-started slots as workers left
  // the spike's last 100 attach rows in it).
  CHECK(table(k8s.summary, "UPDATED_DIDS").rows_final == 0);
  // The HPA and KEDA did scale, and the autoscaler removed nodes.
  CHECK(!events_of(*k8s.recorder, "ScaledUp").empty());
  CHECK(!events_of(*k8s.recorder, "NodeRemoved").empty());
  // judge-injector (no memory limit): each of the spike's rules holds 100 000 files × 25 KB
  // = 2.5e9 B in the thread applying it, on top of the 100 MiB process, one rule at a time
  // (they reach RULES_INJECT at most two at once, each applied in one cycle): 2.6049e9 B.
  // That fits its 16 GB node beside the others: no node OOM, no NotReady on this day.
  CHECK(service(k8s.summary, "judge-injector").mem_ws_max_bytes ==
        Approx(2.5e9 + 100.0 * 1024 * 1024).epsilon(0.01));
  CHECK(events_of(*k8s.recorder, "NodeNotReady").empty());
}

// What scenarios/atlas-rucio-k8s-node-oom.yaml's judge-evaluator holds: one ATTACH evaluation
// at a time, at most one whole 100 000-file dataset of the spike under the container's two
// rules, on top of its 100 fetched rows and the 108 MiB process:
// 100 000 × (1 500 + 2 × 25 000) + 100 × 1 500 + 108 MiB = 5.263e9 B.
constexpr double kEvaluatorHoldMaxBytes = 100000.0 * (1500 + 2 * 25000) + 100 * 1500 + 108 * kMiB;

TEST_CASE("atlas-rucio-k8s-node-oom: judge-evaluator without a limit holds its spike, fits") {
  // The spike's clients attach their files in chunks of up to 96 000 (each client's uploads
  // lag its schedule), so the largest evaluation is about 96 000 × 51 500 B = 4.9 GB + the
  // process: between the 2 GiB it would have as a limit and kEvaluatorHoldMaxBytes. Its node
  // has 16e9 B: no kernel node OOM, no node condition, nobody killed or evicted; the node
  // would need memory.available < 100 Mi, i.e. more than 16e9 − 1 GiB (reserved) − 100 Mi =
  // 14.82e9 B of working sets.
  const auto r = run(kNodeOom);
  const auto& evaluator = service(r.summary, "judge-evaluator");
  CHECK(evaluator.mem_ws_max_bytes > 2.0 * 1024 * kMiB);
  CHECK(evaluator.mem_ws_max_bytes <= kEvaluatorHoldMaxBytes);
  for (const auto& n : r.summary.nodes) CHECK(n.mem_ws_max_bytes < 14.82e9);
  CHECK(events_of(*r.recorder, "NodeNotReady").empty());
  CHECK(events_of(*r.recorder, "NodeHasInsufficientMemory").empty());
  CHECK(events_of(*r.recorder, "OOMKilled").empty());
  CHECK(events_of(*r.recorder, "Evicted").empty());
}

TEST_CASE(
    "atlas-rucio-k8s-node-oom with the 2 Gi limit: only judge-evaluator is killed, in a loop") {
  // The same evaluations above 2 GiB (any chunk above (2 GiB − 108 MiB) / 51 500 B ≈ 39 500
  // files) exceed the cgroup limit: exit 137 in the pod's own cgroup, restart after the
  // back-off (10, 20, … 300 s), the same UPDATED_DIDS row fetched again, killed again. No
  // node sees pressure, no other pod is killed or evicted.
  const auto r = run(kNodeOom, {"rucio.daemons.judge-evaluator.resources.limits.memory=2Gi"});
  const auto killed = events_of(*r.recorder, "OOMKilled");
  REQUIRE(!killed.empty());
  for (const auto& e : killed) {
    CHECK(e.object.rfind("judge-evaluator-", 0) == 0);
    CHECK(e.detail.find("over limit 2147483648 B") != std::string::npos);
  }
  CHECK(service(r.summary, "judge-evaluator").restarts >=
        static_cast<std::int64_t>(killed.size()) - 1);
  CHECK(events_of(*r.recorder, "NodeNotReady").empty());
  CHECK(events_of(*r.recorder, "NodeHasInsufficientMemory").empty());
  CHECK(events_of(*r.recorder, "Evicted").empty());
}

TEST_CASE("atlas-rucio-k8s on spot nodes: interruptions drain nodes, the API keeps its p99") {
  // The workers pool as spot at 0.10 per node-hour, each node reclaimed at 0.05 per node-hour
  // (a bad market; an assumption). Over the 80-90 node-hours of the day about 4 notices are
  // expected (Poisson: at least one with probability 1 − e^-4 = 98 %, and this seed's draws
  // are fixed). Each notice removes its node 120 s later; the drained pods are replaced on the
  // other nodes, so every API operation keeps its p99 under the HPA's 1 s target as in the
  // on-demand run. The cost is the node-hours at the spot price.
  const auto r = run(kK8s, {"cluster.node_pools.workers.capacity_type=spot",
                            "cluster.node_pools.workers.interruptions_per_node_hour=0.05",
                            "cluster.node_pools.workers.price_per_node_hour=0.10"});
  const auto notices = events_of(*r.recorder, "SpotInterruption");
  CHECK(!notices.empty());
  CHECK(events_of(*r.recorder, "NodeRemoved").size() >= notices.size());
  for (const char* op : {"list_replicas", "list_dids", "upload", "add_dataset", "add_rule"})
    CHECK(p99(r.summary, op) < 1.0);
  REQUIRE(r.summary.pools.size() == 1);
  CHECK(r.summary.pools[0].capacity_type == "spot");
  CHECK(r.summary.pools[0].cost == Approx(0.10 * r.summary.pools[0].node_hours));
}

}  // namespace dlsim
