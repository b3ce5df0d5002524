// Small simulations with answers derived on paper. catch_discover_tests runs every TEST_CASE
// in its own process: one SimGrid engine per process (docs/references.md#simgrid).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <fmt/core.h>

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "app/run_wiring.hpp"
#include "models/k8s/cluster.hpp"
#include "scenario/loader.hpp"

using namespace dlsim;

namespace {

// One 8-core node, one pod with the given resources; `body` runs on the pod.
struct OnePod {
  sim::Engine engine{"test"};
  sim::Recorder recorder;
  sim::RngStreams rng{1};
  sim::ModelContext ctx{recorder, rng, 1e6};
  models::k8s::Cluster cluster{ctx, {}};
  models::k8s::Pod* pod = nullptr;

  explicit OnePod(const models::k8s::ContainerResources& r, double base_memory_bytes = 0) {
    auto* zone = simgrid::s4u::create_full_zone("z");
    auto* host = zone->create_host("node-1", sim::kCoreSpeed)->set_core_count(8);
    zone->seal();
    scenario::NodePoolSpec pool;
    pool.name = "default";
    pool.cpu_cores = 8;
    pool.mem_bytes = 16e9;
    cluster.add_node(pool, "node-1", host);
    pod = &cluster.pod(cluster.create_pod("p-0", "p", r, base_memory_bytes));
  }
};

}  // namespace

TEST_CASE("A pod capped at 0.5 CPU does 1 core-second of work in 2 s") {
  // CFS quota = 0.5 core: 1 core-second / 0.5 core = 2 s.
  OnePod world({0.5, 0.5, std::nullopt, std::nullopt});
  double done_at = -1;
  sim::spawn_clock_keeper("work", world.pod->vm(), [&] {
    world.pod->compute(1.0);
    done_at = sim::now();
  });
  world.engine.run();
  CHECK(done_at == Approx(2.0));
  CHECK(world.pod->cpu_core_seconds() == Approx(1.0));
}

TEST_CASE("Two threads of a pod limited to 1 CPU share it") {
  // Two threads of 1 core-second each under a 1-core quota: both end at t = 2 s; the pod
  // is throttled the whole time (p = 2 > limit = 1).
  OnePod world({1.0, 1.0, std::nullopt, std::nullopt});
  double a = -1, b = -1;
  sim::spawn("a", world.pod->vm(), [&] {
    world.pod->compute(1.0);
    a = sim::now();
  });
  sim::spawn_clock_keeper("b", world.pod->vm(), [&] {
    world.pod->compute(1.0);
    b = sim::now();
    sim::sleep_for(1.0);
  });
  world.engine.run();
  CHECK(a == Approx(2.0));
  CHECK(b == Approx(2.0));
  CHECK(world.pod->throttled_seconds() == Approx(2.0));
}

TEST_CASE("A heap over the memory limit OOM-kills the container and it restarts at once") {
  // Limit 200 MiB, base 80 MiB: a 100 MiB heap fits (180 MiB), 130 MiB does not (210 MiB):
  // OOMKilled at t = 1 s; first restart has no back-off (0 s) → Running again at t = 1 s.
  const double mib = 1024.0 * 1024.0;
  OnePod world({0.7, 0.7, 200 * mib, 200 * mib}, 80 * mib);
  bool first = false, second = true;
  sim::spawn_clock_keeper("work", world.pod->vm(), [&] {
    first = world.pod->hold_heap(0, 100 * mib);
    sim::sleep_for(1.0);
    second = world.pod->hold_heap(0, 130 * mib);
    sim::sleep_for(1.0);
  });
  world.engine.run();
  CHECK(first);
  CHECK_FALSE(second);
  CHECK(world.pod->oom_kills() == 1);
  CHECK(world.pod->restarts() == 1);
  CHECK(world.pod->running());
  // RSS back to base after the restart (the ratchet is reset only by a restart).
  CHECK(world.pod->memory().rss_bytes() == Approx(80 * mib));
  REQUIRE(world.recorder.events().size() == 4);  // Scheduled, Started, OOMKilled, Restarted
  CHECK(world.recorder.events()[2].kind == "OOMKilled");
  CHECK(world.recorder.events()[2].time_s == Approx(1.0));
  CHECK(world.recorder.events()[3].kind == "Restarted");
}

TEST_CASE("A small replication scenario moves every file once") {
  // 1000 files of 1 MB uploaded to A over 30 min in 10 datasets of 100, each replicated once
  // to B. With 50 transfers per link, 2 s setup each, all 1000 transfers finish well before
  // the poller's 300 s idle sleep and the finisher's 30 s cycle bring them home within 1 h:
  // B ends with 1000 files = 1e9 bytes, A keeps its 1000. UPDATED_COL_REP gets one row per
  // file done (finisher) plus one rse-NULL row per dataset when the rule creates its
  // collection replica (rucio 1.23.10 lib/rucio/core/lock.py#L322-334): 1000 + 10 = 1010.
  const char* yaml = R"(
name: tiny
duration: 1h
cluster: {node_pools: {default: {count: 2, cpu: 8, memory: 16GB}}}
rucio:
  servers: {server: {replicas: 1}}
  daemons:
    conveyor-submitter: {options: {sleep_time: 10s}}
    conveyor-poller: {}
    conveyor-finisher: {}
    abacus-collection-replica: {}
rses:
  A: {site: S1, quota: 1TB}
  B: {site: S2, quota: 1TB}
workload:
  injections:
    exp: {files: 1000, file_size: 1MB, rse: A, end: 30m, files_per_dataset: 100,
          rules: [{rse_expression: B}]}
)";
  auto loaded = scenario::load_scenario_text(yaml, "tiny.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  CHECK(s.transfers.submitted == 1000);
  CHECK(s.transfers.done == 1000);
  CHECK(s.transfers.bytes_done == Approx(1e9));
  REQUIRE(s.rses.size() == 2);
  CHECK(s.rses[0].files_final == 1000);  // A
  CHECK(s.rses[1].files_final == 1000);  // B
  CHECK(s.rses[1].bytes_final == Approx(1e9));
  for (const auto& t : s.tables)
    if (t.name == "UPDATED_COL_REP") CHECK(t.inserted == 1010);
}

TEST_CASE("An API client population calls at the rate its think time sets") {
  // 10 clients, exponential think time of mean 60 s, get_did calls served in a few ms:
  // about 10 × 3600 / 60 = 600 calls in the hour (Poisson: sd ≈ √600 ≈ 25, so 500-700 is
  // > 3.9 sd wide). Each call costs 2 statements (0.1 ms), 1 row (20 µs) and the request
  // (2 ms): 2.22 ms of server CPU, recorded as 1 request of work each. Every client takes
  // one auth token in the hour: 10 token requests.
  const char* yaml = R"(
name: clients
duration: 1h
cluster: {node_pools: {default: {count: 1, cpu: 8, memory: 16GB}}}
rucio:
  servers: {server: {replicas: 1}, server-auth: {replicas: 1}}
rses: {A: {site: S1, quota: 1TB}}
workload:
  clients:
    users: {clients: 10, interval: 60s, operation: get_did}
)";
  auto loaded = scenario::load_scenario_text(yaml, "clients.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  std::int64_t calls = 0, tokens = 0;
  for (const auto& a : s.api) {
    if (a.operation == "get_did") calls = a.requests;
    if (a.operation == "auth_token") tokens = a.requests;
  }
  CHECK(calls >= 500);
  CHECK(calls <= 700);
  CHECK(tokens == 10);
  for (const auto& v : s.services)
    if (v.name == "server") {
      CHECK(v.work.requests == Approx(static_cast<double>(calls)));
      CHECK(v.work.statements == Approx(2.0 * static_cast<double>(calls)));
    }
}

TEST_CASE("An expired container rule tombstones its replicas in every dataset of the container") {
  // 40 files in 4 datasets of 10, uploaded to A over 10 min and attached to one container
  // with an asynchronous container rule to B living 40 min. judge-injector applies the rule
  // to the datasets present, judge-evaluator to those attached later; every file reaches B
  // well before the rule expires at t = 40 min. judge-cleaner then tombstones B's 40
  // replicas (4 datasets × 10); nothing needs space, so the reaper leaves them: the table
  // ends with 40 rows and B keeps its 40 files.
  const char* yaml = R"(
name: container-expiry
duration: 1h
cluster: {node_pools: {default: {count: 2, cpu: 8, memory: 16GB}}}
rucio:
  servers: {server: {replicas: 1}}
  daemons:
    conveyor-submitter: {options: {sleep_time: 10s}}
    conveyor-poller: {options: {sleep_time: 10s}}
    conveyor-finisher: {options: {sleep_time: 10s}}
    judge-injector: {options: {sleep_time: 10s}}
    judge-evaluator: {options: {sleep_time: 10s}}
    judge-cleaner: {options: {sleep_time: 10s}}
    reaper: {}
rses:
  A: {site: S1, quota: 1TB}
  B: {site: S2, quota: 1TB}
workload:
  injections:
    exp: {files: 40, file_size: 1MB, rse: A, end: 10m, files_per_dataset: 10, container: "c",
          rules: [{rse_expression: B, level: container, asynchronous: true, lifetime: 40m}]}
)";
  auto loaded = scenario::load_scenario_text(yaml, "container-expiry.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  CHECK(s.transfers.done == 40);
  REQUIRE(s.rses.size() == 2);
  CHECK(s.rses[1].files_final == 40);
  for (const auto& t : s.tables) {
    if (t.name == "REPLICAS_TOMBSTONED") CHECK(t.rows_final == 40);
    if (t.name == "RULES_EXPIRED") CHECK(t.drained == 1);
  }
}

TEST_CASE("A rolling restart replaces a Deployment's pods one at a time") {
  // abacus-account with 2 replicas, `kubectl rollout restart` at 10 min (maxSurge 0,
  // maxUnavailable 1): pod 0 is deleted at 600 s and gone after its 30 s grace period, its
  // replacement starts at once in its slot; then pod 1 goes the same way (the controller
  // polls every second): RolloutComplete at 600 + 2 × 30 s = 660 s, plus at most 1 s of
  // polling per pod. Each pod starts twice: 4 Started events.
  const char* yaml = R"(
name: rollout
duration: 1h
cluster: {node_pools: {default: {count: 1, cpu: 8, memory: 16GB}}}
rucio:
  daemons:
    abacus-account: {replicas: 2, rollout_restarts: [10m]}
rses: {A: {site: S1, quota: 1TB}}
)";
  auto loaded = scenario::load_scenario_text(yaml, "rollout.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  double restart_at = -1, complete_at = -1;
  int started = 0;
  for (const auto& e : result.recorder->events()) {
    if (e.kind == "RolloutRestart") restart_at = e.time_s;
    if (e.kind == "RolloutComplete") complete_at = e.time_s;
    if (e.kind == "Started") ++started;
  }
  CHECK(restart_at == Approx(600));
  CHECK(complete_at >= 660);
  CHECK(complete_at <= 662);
  CHECK(started == 4);
}

namespace {
// 100 files of 1 MB at A in one dataset, replicated to C; A has no usable link to C; B may
// be an intermediate (and keeps nothing: its min_free is its whole quota).
std::string multihop_yaml(bool multihop) {
  return fmt::format(R"(
name: multihop
duration: 1h
cluster: {{node_pools: {{default: {{count: 2, cpu: 8, memory: 16GB}}}}}}
rucio:
  servers: {{server: {{replicas: 1}}}}
  daemons:
    conveyor-submitter: {{options: {{sleep_time: 10s}}}}
    conveyor-poller: {{options: {{sleep_time: 10s}}}}
    conveyor-finisher: {{options: {{sleep_time: 10s}}}}
    reaper: {{}}
rses:
  A: {{site: S1, quota: 1TB, no_link_to: [C]}}
  B: {{site: S2, quota: 1TB, min_free: 1TB, multihop: true}}
  C: {{site: S3, quota: 1TB}}
transfers: {{multihop: {}}}
workload:
  injections:
    exp: {{files: 100, file_size: 1MB, rse: A, end: 10m, files_per_dataset: 100,
          rules: [{{rse_expression: C}}]}}
)",
                     multihop);
}
}  // namespace

TEST_CASE("Without a direct link, multi-hop goes through an intermediate RSE") {
  // With transfers.multihop and B available for multihop, the submitter's path A → C is
  // A → B → C (get_hops: no direct link, the only intermediate). FTS runs both hops: 100
  // transfers on each link, 200 in all. The 100 copies on B are temporary replicas,
  // tombstoned at once; B needs all its quota free (min_free = quota), so the reaper deletes
  // them within its 60 s cycles: B ends empty, REPLICAS_TOMBSTONED inserted and drained 100.
  // C ends with the 100 files, A keeps its 100.
  auto loaded = scenario::load_scenario_text(multihop_yaml(true), "multihop.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  CHECK(s.transfers.submitted == 200);
  CHECK(s.transfers.done == 200);
  std::map<std::string, std::int64_t> done;
  for (const auto& l : s.transfers.links) done[l.source + ">" + l.destination] = l.done;
  CHECK(done["A>B"] == 100);
  CHECK(done["B>C"] == 100);
  CHECK(done.count("A>C") == 0);
  REQUIRE(s.rses.size() == 3);
  CHECK(s.rses[0].files_final == 100);  // A
  CHECK(s.rses[1].files_final == 0);    // B: intermediate copies deleted
  CHECK(s.rses[2].files_final == 100);  // C
  for (const auto& t : s.tables)
    if (t.name == "REPLICAS_TOMBSTONED") {
      CHECK(t.inserted == 100);
      CHECK(t.drained == 100);
    }
}

TEST_CASE("Without a direct link nor multi-hop, the requests end NO_SOURCES and the locks STUCK") {
  // Same, multi-hop off (Rucio's default): no path A → C, so no transfer reaches FTS; the
  // finisher never retries NO_SOURCES, so each of the 100 locks goes STUCK after one pass
  // (one RULES_STUCK row per file, rucio 1.23.10 lib/rucio/core/request.py#L53-70). C stays empty.
  auto loaded = scenario::load_scenario_text(multihop_yaml(false), "no-multihop.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  CHECK(s.transfers.submitted == 0);
  CHECK(s.transfers.done == 0);
  REQUIRE(s.rses.size() == 3);
  CHECK(s.rses[2].files_final == 0);
  for (const auto& t : s.tables)
    if (t.name == "RULES_STUCK") CHECK(t.inserted == 100);
}

TEST_CASE("Downloads list the replicas on the server and read the file from an RSE") {
  // 10 clients from t = 5 min, exponential think time of mean 60 s, each call a
  // list_replicas of one file (3 statements, 2 rows) then a read of 100 MB from the RSE that
  // holds files (A: 10 files uploaded in the first minute). About 10 × 3300 / 60 = 550 calls
  // (Poisson, sd ≈ 23: 450-650 is over 4 sd wide); every call reads, so A's bytes_read is
  // exactly calls × 1e8, and the API server did 3 statements per call.
  const char* yaml = R"(
name: downloads
duration: 1h
cluster: {node_pools: {default: {count: 1, cpu: 8, memory: 16GB}}}
rucio:
  servers: {server: {replicas: 1}, server-auth: {replicas: 1}}
rses: {A: {site: S1, quota: 1TB}}
workload:
  injections:
    exp: {files: 10, file_size: 1MB, rse: A, end: 1m, files_per_dataset: 10}
  clients:
    readers: {clients: 10, interval: 60s, operation: download, file_size: 100MB, start: 5m}
)";
  auto loaded = scenario::load_scenario_text(yaml, "downloads.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& s = result.summary;
  std::int64_t calls = 0;
  for (const auto& a : s.api)
    if (a.operation == "download") calls = a.requests;
  CHECK(calls >= 450);
  CHECK(calls <= 650);
  REQUIRE(s.rses.size() == 1);
  CHECK(s.rses[0].bytes_read == Approx(static_cast<double>(calls) * 1e8));
}
