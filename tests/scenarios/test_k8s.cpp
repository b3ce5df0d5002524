// Kubernetes mechanisms on small clusters, each answer derived on paper in a comment.
// catch_discover_tests runs every TEST_CASE in its own process: one SimGrid engine per process
// (docs/references.md#simgrid).
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "app/run_wiring.hpp"
#include "models/k8s/cluster.hpp"
#include "models/k8s/deployment.hpp"
#include "models/k8s/hpa_actor.hpp"
#include "models/k8s/spot.hpp"
#include "scenario/loader.hpp"

using namespace dlsim;
namespace k8s = dlsim::models::k8s;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;

// A cluster of identical nodes built directly on SimGrid (no scenario file).
struct World {
  sim::Engine engine{"test"};
  sim::Recorder recorder;
  sim::RngStreams rng{1};
  sim::ModelContext ctx{recorder, rng, 1e6};
  std::unique_ptr<k8s::Cluster> cluster;

  World(int nodes, double cpu, double mem_bytes,
        k8s::ScoringStrategy strategy = k8s::ScoringStrategy::LeastAllocated) {
    auto* zone = simgrid::s4u::create_full_zone("z");
    std::vector<sim::Host*> hosts;
    for (int i = 1; i <= nodes; ++i)
      hosts.push_back(zone->create_host("node-" + std::to_string(i), sim::kCoreSpeed)
                          ->set_core_count(static_cast<int>(cpu)));
    zone->seal();
    k8s::SchedulerConfig scheduler;
    scheduler.strategy = strategy;
    cluster = std::make_unique<k8s::Cluster>(ctx, scheduler);
    scenario::NodePoolSpec pool;
    pool.name = "pool";
    pool.count = nodes;
    pool.cpu_cores = cpu;
    pool.mem_bytes = mem_bytes;
    for (auto* h : hosts) cluster->add_node(pool, h->get_name(), h);
  }

  k8s::Pod& pod(const std::string& name, const k8s::ContainerResources& r, int priority = 0,
                double base_memory_bytes = 0) {
    k8s::PodSpec spec;
    spec.name = name;
    spec.owner = "test";
    spec.resources = r;
    spec.priority = priority;
    spec.base_memory_bytes = base_memory_bytes;
    return cluster->pod(cluster->create_pod(spec));
  }

  std::vector<sim::Event> events(const std::string& kind, const std::string& object = "") const {
    std::vector<sim::Event> out;
    for (const auto& e : recorder.events())
      if (e.kind == kind && (object.empty() || e.object == object)) out.push_back(e);
    return out;
  }
};

k8s::ContainerResources cores(double cpu, double mem_bytes) {
  return {cpu, cpu, mem_bytes, mem_bytes};
}

std::vector<sim::Event> events_of(const sim::Recorder& r, const std::string& kind) {
  std::vector<sim::Event> out;
  for (const auto& e : r.events())
    if (e.kind == kind) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE(
    "A heap growing by 30 MiB per 10 s cycle is OOMKilled every 50 s of running and its "
    "restarts follow the back-off 0 10 20 40 80 160 300 300 s") {
  // Limit 200 MiB, base 80 MiB. The worker adds 30 MiB of heap every 10 s after each start:
  // after k cycles RSS = 80 + 30k MiB, over the limit when 30k > 120, i.e. k = 5: the
  // container dies 50 s after each start. Starts s_0 = 0, kills k_n = s_(n−1) + 50, restarts
  // s_n = k_n + w_n with w = 0, 10, 20, 40, 80, 160, 300, 300 (no reset: each run lasts 50 s,
  // under 600 s):
  //   kills    50, 100, 160, 230, 320, 450, 660, 1010
  //   restarts 50, 110, 180, 270, 400, 610, 960, 1310
  World world(1, 8, 16 * kGiB);
  k8s::Pod& pod = world.pod("leaky-0", cores(1, 200 * kMiB), 0, 80 * kMiB);
  sim::spawn("worker", pod.vm(), [&] {
    for (;;) {
      pod.wait_until_running();
      for (int k = 1;; ++k) {
        sim::sleep_for(10);
        if (!pod.hold_heap(0, 30 * k * kMiB)) break;
      }
    }
  });
  sim::spawn_clock_keeper("clock", pod.vm(), [] { sim::sleep_until(1350); });
  world.engine.run();

  const std::vector<double> kills = {50, 100, 160, 230, 320, 450, 660, 1010};
  const std::vector<double> restarts = {50, 110, 180, 270, 400, 610, 960, 1310};
  const auto killed = world.events("OOMKilled");
  const auto restarted = world.events("Restarted");
  REQUIRE(killed.size() == kills.size());
  REQUIRE(restarted.size() == restarts.size());
  for (std::size_t i = 0; i < kills.size(); ++i) {
    CHECK(killed[i].time_s == Approx(kills[i]));
    CHECK(restarted[i].time_s == Approx(restarts[i]));
  }
  // BackOff is announced for every restart that waits: the 2nd to the 8th.
  const auto backoffs = world.events("BackOff");
  REQUIRE(backoffs.size() == 7);
  CHECK(backoffs[0].detail == "restart in 10 s");
  CHECK(backoffs[6].detail == "restart in 300 s");
  CHECK(pod.oom_kills() == 8);
  CHECK(pod.restarts() == 8);
}

TEST_CASE(
    "A container whose base RSS is above its limit is OOMKilled as it starts, at every start, "
    "and its work never runs") {
  // Limit 50 MiB, base RSS 80 MiB: every start is killed at its own instant (issue 9: the
  // FDR with a 30 MiB undertaker was first killed 3661 s in, at the daemon's first cycle).
  // Starts and kills with waits 0, 10, 20, 40, 80 s (back-off after consecutive crashes):
  //   kill 1 at 0 → restart at 0 (first crash) → kill 2 at 0 → restart 10 → kill 3 at 10
  //   → restart 30 → kill 4 at 30 → restart 70 → kill 5 at 70 → restart 150 (after the run).
  World world(1, 8, 16 * kGiB);
  k8s::Pod& pod = world.pod("fat-0", cores(1, 50 * kMiB), 0, 80 * kMiB);
  int cycles = 0;
  sim::spawn("worker", world.cluster->control_plane(), [&] {
    pod.wait_until_running();
    ++cycles;
  });
  sim::spawn_clock_keeper("clock", world.cluster->control_plane(), [] { sim::sleep_until(100); });
  world.engine.run();

  const std::vector<double> kills = {0, 0, 10, 30, 70};
  const std::vector<double> restarts = {0, 10, 30, 70};
  const auto killed = world.events("OOMKilled");
  const auto restarted = world.events("Restarted");
  REQUIRE(killed.size() == kills.size());
  REQUIRE(restarted.size() == restarts.size());
  for (std::size_t i = 0; i < kills.size(); ++i) CHECK(killed[i].time_s == Approx(kills[i]));
  for (std::size_t i = 0; i < restarts.size(); ++i)
    CHECK(restarted[i].time_s == Approx(restarts[i]));
  CHECK(killed[0].detail == "exit 137 at start; rss 83886080 B over limit 52428800 B");
  // Each kill is one OOMKilled row and each restart is stamped before the kill it runs into:
  // OOMKilled 0, Restarted 0, OOMKilled 0, BackOff 0, Restarted 10, OOMKilled 10, BackOff 10 …
  std::vector<std::string> order;
  for (const auto& e : world.recorder.events())
    if (e.object == "fat-0" && e.time_s <= 10) order.push_back(e.kind);
  CHECK(order == std::vector<std::string>{"Scheduled", "Started", "OOMKilled", "Restarted",
                                          "OOMKilled", "BackOff", "Restarted", "OOMKilled",
                                          "BackOff"});
  CHECK(cycles == 0);  // the worker never saw the container running
  CHECK(pod.oom_kills() == 5);
}

TEST_CASE(
    "LeastAllocated spreads eight 1-core pods 4 + 4 over two 8-core nodes: no room for an "
    "8-core pod") {
  // Pods: 1 core, 2 GiB; nodes 8 cores, 32 GiB. After one pod on node A, placing the second:
  //   A: fit = ((8000−2000)·100/8000 + (32−4)·100/32) / 2 = (75 + 87) / 2 = 81,
  //      balanced = (1 − |2/8 − 4/32| / 2)·100 = 93 → 174;
  //   B: fit = (87 + 93) / 2 = 90, balanced = (1 − |1/8 − 2/32| / 2)·100 = 96 → 186.
  // The emptier node always wins, so pods alternate: 4 on each node, 4 cores free on each,
  // and an 8-core pod fits nowhere (Unschedulable).
  World world(2, 8, 32 * kGiB, k8s::ScoringStrategy::LeastAllocated);
  for (int i = 0; i < 8; ++i) world.pod("single-" + std::to_string(i), cores(1, 2 * kGiB));
  k8s::Pod& multi = world.pod("multi", cores(8, 16 * kGiB));
  world.engine.run();
  CHECK(world.cluster->nodes()[0].pods.size() == 4);
  CHECK(world.cluster->nodes()[1].pods.size() == 4);
  CHECK(multi.phase() == k8s::PodPhase::Pending);
  REQUIRE(world.events("Unschedulable", "multi").size() == 1);
}

TEST_CASE("MostAllocated packs eight 1-core pods on one 8-core node: the 8-core pod fits") {
  // Same pods and nodes. After one pod on A, placing the second:
  //   A: fit = (2000·100/8000 + 4·100/32) / 2 = (25 + 12) / 2 = 18, balanced 93 → 111;
  //   B: fit = (12 + 6) / 2 = 9, balanced 96 → 105.
  // The fuller node wins (it stays ahead: fit grows by ~9 per pod, balanced falls by ~3), so
  // all eight go to one node and the 8-core pod takes the other.
  World world(2, 8, 32 * kGiB, k8s::ScoringStrategy::MostAllocated);
  for (int i = 0; i < 8; ++i) world.pod("single-" + std::to_string(i), cores(1, 2 * kGiB));
  k8s::Pod& multi = world.pod("multi", cores(8, 16 * kGiB));
  world.engine.run();
  const auto& n = world.cluster->nodes();
  CHECK(std::max(n[0].pods.size(), n[1].pods.size()) == 8);
  CHECK(multi.phase() == k8s::PodPhase::Running);
  CHECK(world.events("Unschedulable").empty());
}

TEST_CASE(
    "An HPA on a backlog growing by 10 rows/s with 100 rows per replica scales "
    "1→2→3→5→6→8→9→10") {
  // AverageValue target 100 per replica, syncs every 15 s from t = 15, backlog 10·t:
  //   t    backlog  current  ratio = backlog/(100·current)  desired = ceil(backlog/100)
  //   15   150      1        1.50                            2
  //   30   300      2        1.50                            3
  //   45   450      3        1.50                            5
  //   60   600      5        1.20                            6
  //   75   750      6        1.25                            8
  //   90   900      8        1.125 (> 1.1 tolerance)         9
  //   105  1050     9        1.17                            11 → max 10
  //   120  1200     10       1.20                            12 → max 10, no change
  // The default up-rate limit max(2·current, current + 4) per 15 s never binds here.
  World world(1, 64, 256 * kGiB);
  std::vector<std::size_t> slots;
  for (int i = 0; i < 10; ++i) {
    k8s::PodSpec spec;
    spec.name = "worker-" + std::to_string(i);
    spec.owner = "worker";
    spec.resources = cores(1, 1 * kGiB);
    slots.push_back(world.cluster->create_pod(spec, i == 0));
  }
  k8s::Deployment deployment(*world.cluster, "worker", slots);
  k8s::PodAutoscalerConfig config;
  config.target_per_replica = 100;
  config.metric_name = "backlog";
  config.hpa.min_replicas = 1;
  config.hpa.max_replicas = 10;
  k8s::PodAutoscaler hpa(*world.cluster, deployment, config, [] { return 10.0 * sim::now(); });
  hpa.start();
  sim::spawn_clock_keeper("clock", world.cluster->control_plane(), [] { sim::sleep_until(130); });
  world.engine.run();

  const auto scaled = world.events("ScaledUp", "worker");
  const std::vector<double> times = {15, 30, 45, 60, 75, 90, 105};
  const std::vector<std::string> steps = {"1 → 2", "2 → 3", "3 → 5", "5 → 6",
                                          "6 → 8", "8 → 9", "9 → 10"};
  REQUIRE(scaled.size() == times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    CHECK(scaled[i].time_s == Approx(times[i]));
    CHECK(scaled[i].detail.rfind(steps[i] + " replicas", 0) == 0);
  }
  CHECK(deployment.replicas() == 10);
  CHECK(deployment.running_pods() == 10);
}

TEST_CASE(
    "The cluster autoscaler's node arrives after the provisioning delay and leaves after "
    "10 min unneeded") {
  // A 3-core job pod fits only on the autoscaled pool (4-core nodes, 0 at the start, delay
  // 120 s). Unschedulable at t = 0; the CA scans every 10 s from t = 10: scale-up at t = 10,
  // node Ready and the pod Scheduled at 10 + 120 = 130. The pod runs 65 s and ends at 195;
  // the next scan (t = 200) finds the node empty and unneeded; it is removed once unneeded
  // for 10 min (and 10 min after the scale-up): at 200 + 600 = 800.
  const char* yaml = R"(
name: ca
duration: 20m
cluster:
  node_pools:
    base: {count: 1, cpu: 2, memory: 8Gi}
    cloud: {count: 0, min: 0, max: 2, cpu: 4, memory: 16Gi, provisioning_delay: 2m}
batch:
  jobs:
    big: {pods: 1, resources: {requests: {cpu: 3, memory: 1Gi}}, run_time: 65s}
)";
  auto loaded = scenario::load_scenario_text(yaml, "ca.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& r = *result.recorder;
  auto first = [&](const std::string& kind, const std::string& object) {
    for (const auto& e : r.events())
      if (e.kind == kind && e.object == object) return e.time_s;
    return -1.0;
  };
  CHECK(first("Unschedulable", "big-0") == Approx(0));
  CHECK(first("ScaledUp", "cloud") == Approx(10));
  CHECK(first("NodeAdded", "cloud-1") == Approx(130));
  CHECK(first("Scheduled", "big-0") == Approx(130));
  CHECK(first("Completed", "big-0") == Approx(195));
  CHECK(first("NodeRemoved", "cloud-1") == Approx(800));
  CHECK(events_of(r, "NodeAdded").size() == 1);  // one node was enough
  REQUIRE(result.summary.pools.size() == 2);
  const auto& cloud = result.summary.pools[1];
  CHECK(cloud.name == "cloud");
  CHECK(cloud.nodes_max == 1);
  CHECK(cloud.nodes_final == 0);
  CHECK(cloud.node_hours == Approx((800.0 - 130.0) / 3600));
}

TEST_CASE("Kubelet eviction takes first the lowest-priority pod among those above their request") {
  // Node 4 GiB, nothing reserved, eviction threshold 100 Mi. Working sets at t = 1:
  //   a: request 1 GiB,   WS 1.3 GiB  (0.3 GiB over its request), priority 0
  //   b: no request,      WS 0.6 GiB  (0.6 GiB over),             priority 10
  //   c: request 2.5 GiB, WS 2.05 GiB (under its request),        priority −5
  // memory.available = 4 − 3.95 GiB = 51.2 Mi < 100 Mi at the check at t = 10. Pods over their
  // request come first (a, b), then the lower priority: a, although b is further over and c
  // has the lowest priority. After a leaves, 0.65 GiB is available: no further eviction.
  // a's ReplicaSet replaces it at once, on the same node (its request still fits).
  World world(1, 8, 4 * kGiB);
  k8s::Pod& a = world.pod("a", {std::nullopt, std::nullopt, 1 * kGiB, std::nullopt}, 0);
  k8s::Pod& b = world.pod("b", {}, 10);
  k8s::Pod& c = world.pod("c", {std::nullopt, std::nullopt, 2.5 * kGiB, std::nullopt}, -5);
  sim::spawn_clock_keeper("load", a.vm(), [&] {
    sim::sleep_for(1);
    a.hold_heap(0, 1.3 * kGiB);
    b.hold_heap(0, 0.6 * kGiB);
    c.hold_heap(0, 2.05 * kGiB);
    sim::sleep_until(35);
  });
  world.cluster->start_kubelets();
  world.engine.run();
  const auto evicted = world.events("Evicted");
  REQUIRE(evicted.size() == 1);
  CHECK(evicted[0].object == "a");
  CHECK(evicted[0].time_s == Approx(10));
  CHECK(a.evictions() == 1);
  CHECK(a.running());  // the replacement
  CHECK(world.events("Scheduled", "a").size() == 2);
  CHECK(world.events("OOMKilled").empty());
}

TEST_CASE(
    "Memory exhausted between kubelet checks: the kernel kills the BestEffort hog and the "
    "node is NotReady until the next check") {
  // Node 4 GiB RAM. p (Burstable: request 1 GiB, no limit) holds 1 GiB from t = 1; q
  // (BestEffort) holds 1, 2, 3, 4 GiB at t = 1, 3, 5, 7. At t = 7 the node needs 5 GiB > RAM:
  //   oom_score(p) = 1000·1/4 + (1000 − 1000·1/4) = 250 + 750 = 1000,
  //   oom_score(q) = 1000·4/4 + 1000 = 2000 → q is killed at t = 7 (a kernel node OOM:
  //   the node goes NotReady), restarts at once (first crash: no back-off).
  // The kubelet check at t = 10 sees 3 GiB available: NodeReady at t = 10. (The check at
  // t = 10 comes after t = 5, where 4 GiB were used: not above RAM, no kill.)
  World world(1, 8, 4 * kGiB);
  k8s::Pod& p = world.pod("p", {std::nullopt, std::nullopt, 1 * kGiB, std::nullopt});
  k8s::Pod& q = world.pod("q", {});
  sim::spawn_clock_keeper("load", p.vm(), [&] {
    sim::sleep_for(1);
    p.hold_heap(0, 1 * kGiB);
    for (int gib = 1; gib <= 4; ++gib) {
      if (!q.hold_heap(0, gib * kGiB)) break;
      sim::sleep_for(2);
    }
    sim::sleep_until(25);
  });
  world.cluster->start_kubelets();
  world.engine.run();
  const auto killed = world.events("OOMKilled");
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].object == "q");
  CHECK(killed[0].time_s == Approx(7));
  REQUIRE(world.events("NodeNotReady").size() == 1);
  CHECK(world.events("NodeNotReady")[0].time_s == Approx(7));
  REQUIRE(world.events("NodeReady").size() == 1);
  CHECK(world.events("NodeReady")[0].time_s == Approx(10));
  CHECK(world.events("Restarted", "q")[0].time_s == Approx(7));
  CHECK(p.oom_kills() == 0);
  CHECK(world.events("Evicted").empty());
}

TEST_CASE(
    "MemoryPressure: set by the check that sees it, cleared 5 min after the last one, "
    "BestEffort pods wait for it to clear") {
  // Node 4 GiB, nothing reserved, threshold 100 Mi. a (request 1 GiB, no limit) holds
  // 3.95 GiB from t = 1: memory.available = 51.2 Mi < 100 Mi at the check at t = 10, which
  // sets MemoryPressure (NodeHasInsufficientMemory) and evicts a (over its request). Its
  // replacement starts on the node from 0 B: no later check sees pressure. The condition
  // clears at the first check ≥ 10 + 300 s (eviction-pressure-transition-period): t = 310.
  // At t = 15 a BestEffort pod b is not scheduled on the pressured node (Unschedulable) and
  // binds at 310; a Burstable pod c (request 100 Mi) created at 15 binds at once.
  World world(1, 8, 4 * kGiB);
  k8s::Pod& a = world.pod("a", {std::nullopt, std::nullopt, 1 * kGiB, std::nullopt});
  k8s::Pod* b = nullptr;
  k8s::Pod* c = nullptr;
  sim::spawn_clock_keeper("load", a.vm(), [&] {
    sim::sleep_for(1);
    a.hold_heap(0, 3.95 * kGiB);
    sim::sleep_until(15);
    b = &world.pod("b", {});
    c = &world.pod("c", {std::nullopt, std::nullopt, 100 * kMiB, std::nullopt});
    sim::sleep_until(320);
  });
  world.cluster->start_kubelets();
  world.engine.run();
  REQUIRE(world.events("NodeHasInsufficientMemory").size() == 1);
  CHECK(world.events("NodeHasInsufficientMemory")[0].time_s == Approx(10));
  REQUIRE(world.events("Evicted").size() == 1);
  CHECK(world.events("Evicted")[0].object == "a");
  REQUIRE(world.events("NodeHasSufficientMemory").size() == 1);
  CHECK(world.events("NodeHasSufficientMemory")[0].time_s == Approx(310));
  REQUIRE(b != nullptr);
  REQUIRE(c != nullptr);
  CHECK(world.events("Unschedulable", "b").at(0).time_s == Approx(15));
  CHECK(b->scheduled_s() == Approx(310));
  CHECK(c->scheduled_s() == Approx(15));
  CHECK(world.events("NodeNotReady").empty());
}

TEST_CASE("Spot interruptions: 2-minute notice, drain, node back after the provisioning delay") {
  // Two spot nodes, each reclaimed at 1 per node-hour, for 10 h, replaced 60 s after they
  // leave. Each node is out of the cluster 120 + 60 s per interruption: about 19 expected
  // (2 × 10 h × (1 − 0.05)), Poisson σ ≈ 4.4: between 8 and 32. Each SpotInterruption at t
  // removes its node at t + 120 s (its pods drained first: remove_node asserts an empty
  // node) and brings it back at t + 180 s. Pod a (1 core) is drained with its 30 s grace
  // and replaced at once on the other node when that one is in the cluster: one more
  // Scheduled per interruption of its node (an interruption while both nodes are out leaves
  // it Pending until one is back, then Scheduled).
  World world(2, 8, 16 * kGiB);
  world.pod("a", cores(1, 1 * kGiB));
  k8s::SpotInterruptions spot(*world.cluster, {{"pool", 1.0, 60.0}});
  spot.start();
  constexpr double kEndS = 10 * 3600;
  sim::spawn_clock_keeper("clock", world.cluster->control_plane(), [] { sim::sleep_until(kEndS); });
  world.engine.run();
  const auto notices = world.events("SpotInterruption");
  CHECK(notices.size() >= 8);
  CHECK(notices.size() <= 32);
  std::size_t drained_a = 0;
  for (const auto& e : notices) {
    if (e.detail.find("1 pod(s) drained") != std::string::npos) ++drained_a;
    bool removed = false, added = false;
    for (const auto& r : world.events("NodeRemoved", e.object))
      removed = removed || r.time_s == Approx(e.time_s + 120);
    for (const auto& r : world.events("NodeAdded", e.object))
      added = added || r.time_s == Approx(e.time_s + 180);
    CHECK(removed);
    CHECK((added || e.time_s + 180 > kEndS));
  }
  CHECK(drained_a > 0);
  CHECK(world.events("Scheduled", "a").size() == 1 + drained_a);
}

TEST_CASE(
    "A high-priority pod preempts the two newest low-priority pods and binds after their "
    "30 s grace period") {
  // Node 4 cores, four priority-0 pods of 1 core fill it. At t = 5 a priority-100 pod of 2
  // cores fits nowhere. Removing all four lower-priority pods makes it fit; re-adding them
  // highest priority first (all equal: in node order) keeps low-0 and low-1 (2 + 2 ≤ 4)
  // and leaves low-2 and low-3 as victims. They get their 30 s grace period: the pod binds at
  // t = 35. Their ReplicaSet replacements find no room (Unschedulable at 35).
  World world(1, 4, 16 * kGiB);
  for (int i = 0; i < 4; ++i) world.pod("low-" + std::to_string(i), cores(1, 1 * kGiB), 0);
  k8s::Pod* high = nullptr;
  sim::spawn_clock_keeper("arrival", world.cluster->control_plane(), [&] {
    sim::sleep_until(5);
    high = &world.pod("high", cores(2, 1 * kGiB), 100);
    sim::sleep_until(60);
  });
  world.engine.run();
  const auto preempted = world.events("Preempted");
  REQUIRE(preempted.size() == 2);
  CHECK(preempted[0].object == "low-2");
  CHECK(preempted[1].object == "low-3");
  CHECK(preempted[0].time_s == Approx(5));
  REQUIRE(high != nullptr);
  CHECK(high->running());
  CHECK(high->scheduled_s() == Approx(35));
  CHECK(world.events("Unschedulable", "low-2").at(0).time_s == Approx(35));
  CHECK(world.cluster->pod(0).running());  // low-0 kept
}

namespace {

sim::Summary run_file(const std::string& file, const std::vector<std::string>& sets = {}) {
  auto loaded = scenario::load_scenario(file, sets);
  return sim::run_scenario(loaded.scenario).summary;
}

const sim::JobSummary& job(const sim::Summary& s, const std::string& name) {
  for (const auto& j : s.jobs)
    if (j.name == name) return j;
  throw std::runtime_error("no job " + name);
}

}  // namespace

TEST_CASE("harvester-packing with LeastAllocated: 1-core pods block the 8-core pods") {
  // 4 nodes of 8 cores; 16 1-core pods at a time spread 4 per node (see the spread test
  // above), so no node has 8 free cores while the 1-core stream lasts (96 pods of ~1 h, 16 at
  // a time: ~6 h). The two 8-core pods queued at 30 min wait: by the end (6 h) one started
  // when the stream thinned out and one is still Pending. Requested CPU stays near the 16 of
  // 32 cores the 1-core pods hold: utilisation about 50 %.
  const auto s = run_file("scenarios/harvester-packing.yaml");
  const auto& multi = job(s, "multi-core");
  CHECK(multi.succeeded == 0);
  CHECK(multi.pending_final >= 1);
  CHECK(multi.wait_mean_s > 4 * 3600.0);
  REQUIRE(s.pools.size() == 1);
  CHECK(s.pools[0].cpu_requested_mean_fraction == Approx(0.5).margin(0.05));
}

TEST_CASE("harvester-packing with MostAllocated: the 8-core pods start at once") {
  // Same scenario with --set cluster.scheduler.strategy=MostAllocated: the 16 1-core pods
  // fill two nodes, the 8-core pods run two at a time on the other two from 30 min on, without
  // waiting: 2 h each, so 4 of 6 are done by 6 h and 2 are running. Requested CPU: 16 cores
  // from t = 0 and 32 from 30 min: utilisation about (0.5·0.5 + 5.5·1)/6 ≈ 96 %, a little
  // less as the 1-core stream thins out at its end.
  const auto s =
      run_file("scenarios/harvester-packing.yaml", {"cluster.scheduler.strategy=MostAllocated"});
  const auto& multi = job(s, "multi-core");
  CHECK(multi.wait_max_s == Approx(0));
  CHECK(multi.succeeded == 4);
  CHECK(multi.running_final == 2);
  REQUIRE(s.pools.size() == 1);
  CHECK(s.pools[0].cpu_requested_mean_fraction > 0.9);
}

TEST_CASE(
    "vacuum-autoscale: nodes come and go and the controller backs off once payloads run "
    "out") {
  // 40 payloads of ~1 h, 8 pilots at a time on 4 autoscaled nodes (ready 190 s after t = 0:
  // the CA's first scan at 10 s + 180 s). Every payload is run once; pilots after that find
  // no work, and each such finding outside a back-off starts one: 10 min, doubling up to 1 h
  // (reset when a pilot still ran a payload). Emptied nodes go after 10 min unneeded.
  auto loaded = scenario::load_scenario("scenarios/vacuum-autoscale.yaml", {});
  auto result = sim::run_scenario(loaded.scenario);
  const auto& r = *result.recorder;
  const auto added = events_of(r, "NodeAdded");
  REQUIRE(!added.empty());
  CHECK(added[0].time_s == Approx(190));
  CHECK(!events_of(r, "NodeRemoved").empty());
  const auto backoffs = events_of(r, "BackOff");
  REQUIRE(backoffs.size() >= 4);
  CHECK(backoffs[0].detail.find("no new pods for 600 s") != std::string::npos);
  CHECK(backoffs[1].detail.find("no new pods for 1200 s") != std::string::npos);
  const auto& pilots = job(result.summary, "pilots");
  CHECK(pilots.payloads_done == 40);
  CHECK(pilots.no_work > 0);
  REQUIRE(result.summary.pools.size() == 2);
  CHECK(result.summary.pools[1].nodes_max == 4);
}
