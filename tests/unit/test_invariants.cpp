// The end-of-run invariants (analysis/invariants.hpp) on small hand-built runs: a consistent
// run passes, and each kind of break is reported once with its figures.
#include <catch2/catch.hpp>

#include "analysis/invariants.hpp"

using namespace dlsim;

namespace {

// A run that satisfies every invariant: a table 10 in, 7 out, 3 left (max 5); one pod
// limited to 0.5 core sampled at 0.5 and 0.2 cores, OOMKilled at 100 s and restarted.
struct GoodRun {
  sim::Summary summary;
  sim::Recorder recorder;
  GoodRun() {
    summary.tables.push_back({"UPDATED_DIDS", 5, 3, 10, 7});
    summary.transfers.submitted = 4;
    summary.transfers.done = 4;
    sim::PodRecord pod;
    pod.name = "undertaker-0";
    pod.phase = "Running";
    pod.resources.cpu_limit_cores = 0.5;
    summary.pods.push_back(pod);
    auto id = recorder.declare_series("pods", {"cpu_cores", "mem_ws_bytes"});
    recorder.sample(id, 15, "undertaker-0", {0.5, 1e8});
    recorder.sample(id, 30, "undertaker-0", {0.2, 1e8});
    recorder.event(100, "OOMKilled", "undertaker-0", "node-1");
    recorder.event(100, "Restarted", "undertaker-0", "node-1");
  }
};

}  // namespace

TEST_CASE("A consistent run breaks no invariant") {
  GoodRun r;
  CHECK(analysis::check_invariants(r.summary, r.recorder).empty());
}

TEST_CASE("A table whose rows do not balance is reported") {
  // 10 inserted − 7 drained = 3, but 4 rows at the end.
  GoodRun r;
  r.summary.tables[0].rows_final = 4;
  auto broken = analysis::check_invariants(r.summary, r.recorder);
  REQUIRE(broken.size() == 1);
  CHECK(broken[0] == "table UPDATED_DIDS: inserted 10 - drained 7 = 3, but 4 rows at the end");
}

TEST_CASE("Negative counts and more transfers done than submitted are reported") {
  GoodRun r;
  r.summary.rses.push_back({"A", -1, 0, 1e12, 0, 0});
  r.summary.transfers.done = 5;  // 5 done of 4 submitted
  auto broken = analysis::check_invariants(r.summary, r.recorder);
  REQUIRE(broken.size() == 2);
  CHECK(broken[0] == "RSE A: negative files (-1) or bytes (0)");
  CHECK(broken[1] == "transfers: submitted 4, done 5, failed 0, bytes 0");
}

TEST_CASE("A pool with more core-hours requested than allocatable is reported") {
  // 2 nodes of 4 allocatable cores for 1 h: 8 core-hours; 8 requested is full, 9 impossible.
  GoodRun r;
  sim::PoolSummary pool;
  pool.name = "cloud";
  pool.cpu_allocatable_core_hours = 8;
  pool.cpu_requested_core_hours = 8;
  r.summary.pools.push_back(pool);
  CHECK(analysis::check_invariants(r.summary, r.recorder).empty());
  r.summary.pools[0].cpu_requested_core_hours = 9;
  auto broken = analysis::check_invariants(r.summary, r.recorder);
  REQUIRE(broken.size() == 1);
  CHECK(broken[0] == "pool cloud: 9.000000 core-hours requested of 8.000000 allocatable");
}

TEST_CASE("An OOM kill followed by nothing is reported; a pod that ended is not") {
  GoodRun r;
  r.recorder.event(200, "OOMKilled", "undertaker-0", "node-1");
  auto broken = analysis::check_invariants(r.summary, r.recorder);
  REQUIRE(broken.size() == 1);
  CHECK(broken[0] == "pod undertaker-0: OOMKilled at 200.000 s, then neither restarted nor ended");
  // restartPolicy Never: the pod fails for good, which is a proper end.
  r.summary.pods[0].phase = "Failed";
  CHECK(analysis::check_invariants(r.summary, r.recorder).empty());
}

TEST_CASE("A CPU sample above the pod's limit is reported once per pod") {
  // Two samples at 0.6 and 0.7 cores under a 0.5-core limit: one report, the first sample.
  GoodRun r;
  sim::Recorder rec;
  auto pods = rec.declare_series("pods", {"cpu_cores", "mem_ws_bytes"});
  rec.sample(pods, 45, "undertaker-0", {0.6, 1e8});
  rec.sample(pods, 60, "undertaker-0", {0.7, 1e8});
  auto broken = analysis::check_invariants(r.summary, rec);
  REQUIRE(broken.size() == 1);
  CHECK(broken[0] == "pod undertaker-0: 0.600000 cores at 45 s, above its limit of 0.5 cores");
}
