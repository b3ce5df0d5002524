// The FDR validation (issue 9, docs/fdr-validation.md): one assertion per row of what the
// operators saw on the day. A row the model reproduces is asserted with the reasoning beside
// it; a row it does not reproduce is pinned at today's value with the reason, so that a
// change which explains it shows here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "app/run_wiring.hpp"
#include "scenario/loader.hpp"

using namespace dlsim;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

sim::Summary run_fdr(const std::vector<std::string>& sets = {}) {
  auto loaded = scenario::load_scenario("scenarios/fdr.yaml", sets);
  return sim::run_scenario(loaded.scenario).summary;
}

const sim::ServiceSummary& service(const sim::Summary& s, const std::string& name) {
  auto it = std::find_if(s.services.begin(), s.services.end(),
                         [&](const auto& x) { return x.name == name; });
  REQUIRE(it != s.services.end());
  return *it;
}

const sim::TableSummary& table(const sim::Summary& s, const std::string& name) {
  auto it =
      std::find_if(s.tables.begin(), s.tables.end(), [&](const auto& x) { return x.name == name; });
  REQUIRE(it != s.tables.end());
  return *it;
}

}  // namespace

TEST_CASE("FDR as deployed: the rows of the day") {
  // Catch2 runs the body once per section; SimGrid runs one simulation per process.
  static const sim::Summary s = run_fdr();

  SECTION("abacus-collection-replica: UPDATED_COL_REP swings to a backlog of its own making") {
    // Reproduced in part. The finisher inserts one row per child dataset of SKA's container
    // for every file (lock.py#L322-334): ~39.6 M rows over the day. On PostgreSQL the
    // clean-up's return SELECT runs at READ COMMITTED and brings back, raw, every row
    // committed meanwhile (a finisher chunk: up to 100 files × ~600 datasets), each processed
    // with 5 statements: the cycle lengthens and the next clean-up loads more. Before this
    // mechanism the table peaked at 261 122 rows; with it well above 500 000.
    const auto& t = table(s, "UPDATED_COL_REP");
    CHECK(t.inserted > 39'000'000);
    CHECK(t.rows_max > 500'000);
    // Pinned: the OOM kill of the day (7000 MiB) is not reproduced in the 24 h: by the
    // tipping-point estimate of docs/fdr-validation.md the day's inflow is about 0.3 of what
    // makes the table run away, so it drains between bursts. The working set stays below
    // the limit (the day: "GiBs").
    const auto& acr = service(s, "abacus-collection-replica");
    CHECK(acr.oom_kills == 0);
    CHECK(acr.mem_ws_max_bytes < 7000 * kMiB);
    CHECK(acr.mem_ws_max_bytes > 500 * kMiB);
  }

  SECTION("conveyor-finisher reaches its CPU limit and is throttled") {
    // Reproduced. Per OK lock of SKA's container rule the finisher lists the container's
    // child datasets with yield_per(5) (did.py#L975-999) and inserts one ORM object per
    // child: its CPU grows with the container through the day, up to the 0.7-core limit.
    const auto& f = service(s, "conveyor-finisher");
    CHECK(f.cpu_max_cores == Approx(0.7).epsilon(0.01));
    CHECK(f.throttled_fraction > 0.15);
  }

  SECTION("judge-evaluator: busy behind the finisher's rule lock; its OOM restarts pinned") {
    // Reproduced: busy. SKA's files are attached one per call into datasets of the
    // container (uploadclient.py#L288-298): ~822 000 UPDATED_DIDS rows. Each evaluation
    // reads the container rule FOR UPDATE NOWAIT (rule.py#L2578), which the finisher holds
    // while it updates the rule for a chunk of SKA files (lock.py#L305-311); on PostgreSQL
    // the failure is not paused (evaluator.py#L134-147) and the worker retries back to
    // back. Each pod's 95th percentile is near a core and its peak at its 2-core limit.
    const auto& ev = service(s, "judge-evaluator");
    CHECK(table(s, "UPDATED_DIDS").inserted > 800'000);
    CHECK(ev.cpu_p95_cores > 0.5);
    CHECK(ev.cpu_max_cores == Approx(2.0).epsilon(0.01));
    CHECK(ev.cpu_mean_cores > 0.1);
    // Pinned: the restarts and the GiB of the day are not reproduced. A failed evaluation
    // holds only its new children's rows and a successful one the files attached since the
    // last success (≤ 200 a dataset): ~115 MiB. An OOM at 2000 MiB needs one evaluation of
    // ~70 000 files (a container ATTACH blocked for hours, or a large DETACH); the day's
    // exception counts and termination reasons would settle it.
    CHECK(ev.oom_kills == 0);
    CHECK(ev.mem_ws_max_bytes < 200 * kMiB);
  }

  SECTION("server: pinned, no restart on memory") {
    // Not reproduced: the day's requests as modelled (uploads, attachments, datasets, rules)
    // hold a few MB each; the servers stay at base memory per WSGI process × 4. The request
    // mix and response sizes of the day (access logs) would settle it.
    const auto& srv = service(s, "server");
    CHECK(srv.oom_kills == 0);
    CHECK(srv.mem_ws_max_bytes < 0.7 * 2500 * kMiB);
  }

  SECTION("server-auth: pinned, no restart") {
    // Not reproduced: the errors came while it ran without limits; ~1 400 logins a day hold
    // nothing. Its error log of the day would settle it.
    const auto& auth = service(s, "server-auth");
    CHECK(auth.restarts == 0);
    CHECK(auth.cpu_mean_cores < 0.05);
  }
}

TEST_CASE("FDR with the undertaker at 200 MiB: pinned, no OOM kill") {
  // Not reproduced: the day's expiring DIDs as modelled (the noise crons' 1-hour files and
  // rules, ESCAPE-WP2/rucio-analysis SKA tests) hold a few MB, so the undertaker stays at its base
  // of ~108 MiB even under the 200 MiB limit that OOM-killed it on the day. Which DIDs expired on
  // the day (DELETED_DIDS, CONTENTS_HISTORY) would settle it.
  const sim::Summary s = run_fdr({"rucio.daemons.undertaker.resources.requests.memory=200Mi",
                                  "rucio.daemons.undertaker.resources.limits.memory=200Mi"});
  const auto& u = service(s, "undertaker");
  CHECK(u.oom_kills == 0);
  CHECK(u.mem_ws_max_bytes < 150 * kMiB);
}

// SKA's million-file test at its published size (1 000 000 files, ESCAPE-WP2/rucio-analysis SKA
// tests), with the day's upload pattern: "after the exercise, under continued load".
const std::string kMillion = "workload.injections.SKA-MFT.files=1000000";
const std::vector<std::string> kFinisherRoom = {
    kMillion, "rucio.daemons.conveyor-finisher.resources.requests.memory=2000Mi",
    "rucio.daemons.conveyor-finisher.resources.limits.memory=2000Mi"};

TEST_CASE(
    "SKA's million-file test carried on: the finisher holds at 400 MiB, acr and evaluator break") {
  // A prediction, not a fact of the day. A chunk of 100 SKA files holds one
  // UpdatedCollectionReplica ORM object per child dataset per file (lock.py#L322-334) until
  // its commit: 100 × 2 000 datasets × 1.5 KB = 300 MB over the process's base as the
  // container passes ~2 000 datasets. Pinned, seed 1: the finisher's working set reaches
  // 379.9 MiB at 12 h, 95 % of its 400 MiB limit, and grows no more. SKA's transfers are
  // requested through judge-evaluator, which falls behind on UPDATED_DIDS from ~7 h (about
  // 680 000 rows at the end); with every FTS wave moving at its files' TCP windows, FTS has
  // finished every SKA transfer requested by 15 h (158 612, none queued) and few are
  // requested after, so no chunk meets the larger container. With one window per wave,
  // 88 928 still waited in FTS at 14 h, finished against a larger container, and the
  // finisher passed its limit (113 OOM kills, REQUESTS_DONE piling up to 361 676). So the
  // terminal requests drain, UPDATED_COL_REP runs away as with the finisher given room (next
  // TEST_CASE) and OOM-kills abacus-collection-replica, and judge-evaluator's pod 0 is
  // OOMKilled on its growing evaluations from 16.5 h.
  const sim::Summary s = run_fdr({kMillion});
  CHECK(service(s, "conveyor-finisher").oom_kills == 0);
  CHECK(table(s, "REQUESTS_DONE").rows_final < 10'000);
  CHECK(table(s, "UPDATED_COL_REP").rows_final > 10'000'000);
  CHECK(service(s, "abacus-collection-replica").oom_kills > 0);
  CHECK(service(s, "judge-evaluator").oom_kills > 0);
}

TEST_CASE("SKA's million-file test carried on: UPDATED_COL_REP runs away and OOM-kills acr") {
  // "… UPDATED_COL_REP grew to millions of rows". With the finisher given room (as operators
  // raise a limit that OOMs), the container's datasets grow past ~600, the clean-up's cost
  // per row (20 µs + U/2 × 77 ns at 0.7 core) and the raw rows of READ COMMITTED push
  // λ·a·(1 + λ·s) above 1 (docs/fdr-validation.md): the table grows without bound, the
  // whole-table load passes the 7000 MiB limit and every restart loads it again.
  const sim::Summary s = run_fdr(kFinisherRoom);
  const auto& t = table(s, "UPDATED_COL_REP");
  const auto& acr = service(s, "abacus-collection-replica");
  CHECK(t.rows_final > 10'000'000);
  CHECK(t.rows_final == t.rows_max);  // still growing at the end
  CHECK(acr.oom_kills > 0);
  // A daemon that waits on the database and on its own restarts is not using CPU: its mean
  // stays far below its 0.7-core limit, as the observed acr's did.
  CHECK(acr.cpu_mean_cores < 0.35);
}

TEST_CASE("SKA's million-file test carried on: more memory does not make acr keep up") {
  // "… and the daemon could not keep up even with more memory": with 12 GiB (about what a
  // 16 GB node can give one pod) the OOM kills come later, but the drain capacity is the
  // same, so the table is still in the tens of millions at the end (a cycle that completes
  // drains a little, the next one loads more: the end is within 10 % of the peak; seed 1:
  // 45.2 M rows at the end and at most, 104 OOM kills at 12 GiB as at 7000 MiB: the first
  // whole-table load, at 15.8 h, takes 12.9 GB at once).
  auto sets = kFinisherRoom;
  sets.push_back("rucio.daemons.abacus-collection-replica.resources.requests.memory=12Gi");
  sets.push_back("rucio.daemons.abacus-collection-replica.resources.limits.memory=12Gi");
  const sim::Summary s = run_fdr(sets);
  const auto& t = table(s, "UPDATED_COL_REP");
  CHECK(t.rows_final > 10'000'000);
  CHECK(t.rows_final > 0.9 * static_cast<double>(t.rows_max));
}
