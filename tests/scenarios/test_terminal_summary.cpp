// What `dlsim run` prints per scenario kind (app/terminal_summary.hpp) and the cost/usage
// accounting of node pools (summary.json pools[]). Each TEST_CASE is one simulation in its
// own process; the numbers are derived in the comments.
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <stdexcept>
#include <string>

#include "app/run_wiring.hpp"
#include "app/terminal_summary.hpp"
#include "scenario/loader.hpp"

using namespace dlsim;

namespace {

struct Printed {
  sim::Summary summary;
  std::string text;  // the terminal summary
};

Printed run(const scenario::LoadedScenario& loaded) {
  auto result = sim::run_scenario(loaded.scenario);
  std::string text = sim::terminal_summary(loaded.scenario, result.summary);
  return {std::move(result.summary), std::move(text)};
}

Printed run_file(const std::string& file) {
  return run(scenario::load_scenario(file, {}));
}

bool shows(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// The first line of the terminal summary that starts with `head`, after the first line that
// starts with `after` when given.
std::string line_of(const std::string& text, const std::string& head,
                    const std::string& after = "") {
  std::size_t from = 0;
  if (!after.empty()) {
    from = text.find(after);
    if (from == std::string::npos) throw std::runtime_error("no '" + after + "' in:\n" + text);
  }
  for (std::size_t at = from; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (line.rfind(head, 0) == 0) return line;
    at = end == std::string::npos ? text.size() : end + 1;
  }
  throw std::runtime_error("no line starting with '" + head + "' in:\n" + text);
}

const sim::JobSummary& job(const sim::Summary& s, const std::string& name) {
  for (const auto& j : s.jobs)
    if (j.name == name) return j;
  throw std::runtime_error("no job " + name);
}

}  // namespace

TEST_CASE("terminal: harvester-packing shows its jobs and core-hours, no Rucio tables") {
  // No Rucio, no RSE: no service table, no transfers line, no queue table. Jobs: 96
  // single-core pods submitted 16 at a time (~1 h each, spread ±50 %) and 6 8-core pods from
  // 30 min, 2 at a time, on 4 nodes of 8 cores for 6 h (see test_k8s.cpp: the 8-core pods
  // wait behind the spread 1-core pods).
  // Allocatable: 4 nodes × 8 cores × 6 h = 192 core-hours, exactly (nothing reserved).
  // Requested: every job pod requests what it holds (1 or 8 cores) from binding to its end,
  // so requested core-hours = 1 × pod-hours(single-core) + 8 × pod-hours(multi-core) (a
  // container runs from binding to its end). Used: each payload keeps its cores busy, so
  // used ≈ requested, less a pod's last minute before it ends (1 min samples) and never more.
  const auto p = run_file("scenarios/harvester-packing.yaml");
  CHECK_FALSE(shows(p.text, "service "));
  CHECK_FALSE(shows(p.text, "transfers:"));
  CHECK_FALSE(shows(p.text, "queue table"));
  CHECK_FALSE(shows(p.text, "autoscaled service"));
  CHECK(shows(p.text, "wait p50"));
  REQUIRE(p.summary.pools.size() == 1);
  const auto& pool = p.summary.pools[0];
  CHECK(pool.capacity_type == "on-demand");
  CHECK(pool.node_hours == Approx(24));
  CHECK(pool.cpu_allocatable_core_hours == Approx(192));
  const auto& single = job(p.summary, "single-core");
  const auto& multi = job(p.summary, "multi-core");
  CHECK(pool.cpu_requested_core_hours ==
        Approx(single.pod_hours + 8 * multi.pod_hours).epsilon(1e-9));
  CHECK(pool.cpu_used_core_hours <= pool.cpu_requested_core_hours + 1e-6);
  // At most one sample interval (1 min) of each pod that ended is missing from the samples.
  const double ended = static_cast<double>(single.succeeded + multi.succeeded);
  CHECK(pool.cpu_used_core_hours >= pool.cpu_requested_core_hours - ended / 60.0 - 1e-6);
  // Mean requested fraction of the samples (about 0.5, test_k8s.cpp) × 192.
  CHECK(pool.cpu_requested_core_hours / 192 ==
        Approx(pool.cpu_requested_mean_fraction).margin(0.02));
  // The job rows: submitted, running, done, failed, pending as in jobs[].
  const std::string row = line_of(p.text, "single-core");
  CHECK(shows(row, fmt::format(" {} ", single.pods_created)));
  CHECK(shows(row, fmt::format(" {} ", single.succeeded)));
  CHECK(single.pods_max == 16);  // parallelism 16
  CHECK(multi.pods_max == 2);    // parallelism 2
  CHECK(multi.wait_p50_s <= multi.wait_p95_s);
  CHECK(multi.wait_p95_s <= multi.wait_max_s);
  CHECK(shows(line_of(p.text, "workers"), "192.0"));
}

TEST_CASE("terminal: vacuum-autoscale shows pilots, nodes over time and the cost") {
  // The cloud pool (8 cores, 0.40 per node-hour) goes from 0 to 4 nodes and back; base is 1
  // node of 2 cores for the 10 h. Cost = 0.40 × node-hours of cloud; allocatable core-hours =
  // 8 × node-hours; base: 10 node-hours, 20 core-hours, no price ("-"). Pilots: at most 8
  // live at once (budget 32 cores / 4), 40 payloads done.
  const auto p = run_file("scenarios/vacuum-autoscale.yaml");
  CHECK_FALSE(shows(p.text, "service "));
  CHECK_FALSE(shows(p.text, "transfers:"));
  CHECK_FALSE(shows(p.text, "queue table"));
  CHECK(shows(p.text, "pilots: 40 payloads done"));
  REQUIRE(p.summary.pools.size() == 2);
  const auto& base = p.summary.pools[0];
  const auto& cloud = p.summary.pools[1];
  CHECK(base.node_hours == Approx(10));
  CHECK(base.cpu_allocatable_core_hours == Approx(20));
  CHECK(cloud.nodes_min == 0);
  CHECK(cloud.nodes_max == 4);
  CHECK(cloud.cost == Approx(0.40 * cloud.node_hours));
  CHECK(cloud.cpu_allocatable_core_hours == Approx(8 * cloud.node_hours));
  // Every pilot requests 4 cores from binding to its end and only the cloud pool holds them:
  // requested core-hours = 4 × the pilots' pod-hours. 40 payloads of 1 h ± 30 % make at
  // least 0.7 × 160 of it.
  const auto& pilots = job(p.summary, "pilots");
  CHECK(cloud.cpu_requested_core_hours == Approx(4 * pilots.pod_hours).epsilon(1e-9));
  CHECK(cloud.cpu_requested_core_hours >= 0.7 * 160);
  CHECK(cloud.cpu_used_core_hours <= cloud.cpu_requested_core_hours + 1e-6);
  CHECK(pilots.pods_max == 8);
  const std::string row = line_of(p.text, "cloud");
  CHECK(shows(row, "0-4"));
  CHECK(shows(row, fmt::format("{:.2f}", cloud.cost)));
  CHECK(shows(line_of(p.text, "base"), " -"));
}

TEST_CASE("terminal: the FDR keeps its service, transfer and queue tables and adds its pool") {
  // The FDR has Rucio and RSEs and no batch work: services, transfers and queue tables as
  // before, no batch or autoscaled table. Its pool: 10 nodes × 24 h = 240 node-hours;
  // allocatable (8 − 0.5 reserved) × 240 = 1800 core-hours; at 0.34 per node-hour (the
  // scenario's assumed on-demand price) 240 × 0.34 = 81.60.
  const auto p = run_file("scenarios/fdr.yaml");
  CHECK(shows(p.text,
              "service                       pods  cpu mean   cpu max  mem ws max   OOM restarts "
              "throttled\n"));
  CHECK(shows(p.text, "transfers: "));
  CHECK(shows(p.text, "queue table"));
  CHECK_FALSE(shows(p.text, "wait p50"));
  CHECK_FALSE(shows(p.text, "autoscaled service"));
  REQUIRE(p.summary.pools.size() == 1);
  CHECK(p.summary.pools[0].node_hours == Approx(240));
  CHECK(p.summary.pools[0].cpu_allocatable_core_hours == Approx(1800));
  const std::string row = line_of(p.text, "default ");
  CHECK(shows(row, "on-demand"));
  CHECK(shows(row, "1800.0"));
  CHECK(p.summary.pools[0].cost == Approx(81.6));
  CHECK(row.size() > 5);
  CHECK(row.substr(row.size() - 5) == "81.60");
}

TEST_CASE("A spot pool is priced per node-hour, a job's core-hours are its requests × time") {
  // 2 spot nodes of 4 cores at 0.10 per node-hour for 1 h: 2 node-hours, cost 0.20, 8 core-
  // hours allocatable. One job pod requests 2 cores and runs 2 threads for 30 min from t = 0:
  // requested 2 × 0.5 = 1 core-hour exactly; used 1 core-hour less what falls after the pod's
  // last sample (1 min samples: at most 2 cores × 1 min = 0.033 core-hours). The job's pods
  // min-max over the samples: 1 while it runs, 0 after.
  const char* yaml = R"(
name: spot
duration: 1h
sample_interval: 1m
cluster:
  node_pools:
    cheap: {count: 2, cpu: 4, memory: 16Gi, price_per_node_hour: 0.10, capacity_type: spot}
batch:
  jobs:
    work:
      pods: 1
      resources: {requests: {cpu: 2, memory: 1Gi}, limits: {cpu: 2, memory: 1Gi}}
      run_time: 30m
)";
  const auto p = run(scenario::load_scenario_text(yaml, "spot.yaml", {}));
  REQUIRE(p.summary.pools.size() == 1);
  const auto& pool = p.summary.pools[0];
  CHECK(pool.capacity_type == "spot");
  CHECK(pool.price_per_node_hour == Approx(0.10));
  CHECK(pool.node_hours == Approx(2));
  CHECK(pool.cost == Approx(0.20));
  CHECK(pool.cpu_allocatable_core_hours == Approx(8));
  CHECK(pool.cpu_requested_core_hours == Approx(1));
  CHECK(pool.cpu_used_core_hours <= 1 + 1e-9);
  CHECK(pool.cpu_used_core_hours >= 1 - 2.0 / 60 - 1e-9);
  const auto& work = job(p.summary, "work");
  CHECK(work.pod_hours == Approx(0.5));
  CHECK(work.pods_min == 0);
  CHECK(work.pods_max == 1);
  CHECK(work.wait_p50_s == Approx(0));
  const std::string row = line_of(p.text, "cheap");
  CHECK(shows(row, "spot"));
  CHECK(shows(row, "0.20"));
}

TEST_CASE("terminal: an autoscaled daemon shows its replicas over the run") {
  // hermes under KEDA (min 0 by default) on MESSAGES, which nothing fills: it starts with its
  // 1 replica and is never active, so nothing holds it up (no last activity, no cooldown to
  // wait for): the first poll (t = 30 s, pollingInterval) scales it to 0 and the pod ends
  // after its 30 s termination grace: 60 s of one pod. Samples every 15 s see 1 pod at 15,
  // 30 and 45 s and none from 75 s on: replicas min 0, max 1.
  const char* yaml = R"(
name: keda
duration: 1h
sample_interval: 15s
cluster:
  node_pools:
    default: {count: 1, cpu: 8, memory: 16Gi}
rucio:
  daemons:
    hermes:
      replicas: 1
      autoscaling: {scaler: keda, max: 3, metric: table, table: MESSAGES, target: 1000}
)";
  const auto p = run(scenario::load_scenario_text(yaml, "keda.yaml", {}));
  REQUIRE(p.summary.services.size() == 1);
  const auto& hermes = p.summary.services[0];
  CHECK(hermes.pods_min == 0);
  CHECK(hermes.pods_max == 1);
  CHECK(hermes.pod_hours * 3600 == Approx(60));
  const std::string row = line_of(p.text, "hermes ", "autoscaled service");
  CHECK(shows(p.text, "autoscaled service"));
  CHECK_FALSE(shows(p.text, "wait p50"));
  CHECK_FALSE(shows(p.text, "transfers:"));  // no RSE, nothing submitted
  // replicas min 0, max 1, 60 s = 0.017 pod-hours
  CHECK(shows(row, "            0            1       0.02"));
  CHECK_FALSE(shows(p.text, "queue table"));  // no table received a row
}
