// The scale mechanisms of issue 12 (an initial catalog per RSE, deletion campaigns, campaigns
// that repeat) on tiny scenarios with answers derived on paper, then scenarios/atlas-day.yaml
// itself with bounds derived from its header. Each TEST_CASE is one simulation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "sim/engine.hpp"
#include "sim/scenario_loader.hpp"

using namespace dlsim;

namespace {

const sim::TableSummary& table(const sim::Summary& s, const std::string& name) {
  auto it =
      std::find_if(s.tables.begin(), s.tables.end(), [&](const auto& x) { return x.name == name; });
  REQUIRE(it != s.tables.end());
  return *it;
}

const sim::RseSummary& rse(const sim::Summary& s, const std::string& name) {
  auto it =
      std::find_if(s.rses.begin(), s.rses.end(), [&](const auto& x) { return x.name == name; });
  REQUIRE(it != s.rses.end());
  return *it;
}

}  // namespace

TEST_CASE(
    "A deletion campaign tombstones the initial catalog in proportion, the reaper deletes them") {
  // A holds 1000 files of 1 GB before the run, B 3000, C none. 400 deletions over '*' go to
  // the RSEs with a catalog in proportion to their files: A 400 × 1000/4000 = 100, B 300,
  // at 10, 20, 30 and 40 min (period 10 min, end 40 min), a quarter each time. The greedy
  // reaper (one worker, a pass every 60 s, up to 100 replicas per RSE and pass) deletes each
  // batch within a minute: by 1 h A holds 900 files (0.9 TB), B 2700 (2.7 TB), C 0, and
  // REPLICAS_TOMBSTONED received and drained 400 rows. No file arrived: the most each RSE
  // held is its catalog (1000, 3000).
  const char* yaml = R"(
name: deletions
duration: 1h
cluster: {node_pools: {default: {count: 1, cpu: 8, memory: 16GB}}}
rucio:
  daemons:
    reaper: {options: {greedy: true}}
rses:
  A: {site: S1, quota: 10TB, catalog: {files: 1000, bytes: 1TB, datasets: 3}}
  B: {site: S2, quota: 10TB, catalog: {files: 3000, bytes: 3TB, datasets: 2}}
  C: {site: S3, quota: 1TB}
workload:
  deletions:
    cleanup: {files: 400, end: 40m, period: 10m}
)";
  const auto loaded = sim::load_scenario_text(yaml, "deletions.yaml", {});
  const auto s = sim::run_scenario(loaded.scenario).summary;
  CHECK(rse(s, "A").files_final == 900);
  CHECK(rse(s, "A").bytes_final == Approx(0.9e12));
  CHECK(rse(s, "A").replicas_max == 1000);
  CHECK(rse(s, "B").files_final == 2700);
  CHECK(rse(s, "B").bytes_final == Approx(2.7e12));
  CHECK(rse(s, "B").replicas_max == 3000);
  CHECK(rse(s, "C").files_final == 0);
  const auto& t = table(s, "REPLICAS_TOMBSTONED");
  CHECK(t.inserted == 400);
  CHECK(t.drained == 400);
  CHECK(t.rows_final == 0);
}

TEST_CASE("A campaign with `every` runs its window again until the scenario ends") {
  // 100 files in 10 datasets uploaded to A in [0, 1 h), again every 2 h: windows start at 0,
  // 2 h and 4 h (6 h is the end: no fourth). No rule, so A ends with 3 × 100 = 300 files and
  // DIDS_NEW received one row per dataset, 3 × 10 = 30.
  const char* yaml = R"(
name: every
duration: 6h
cluster: {node_pools: {default: {count: 1, cpu: 8, memory: 16GB}}}
rucio:
  servers: {server: {replicas: 1}}
rses:
  A: {site: S1, quota: 1TB}
workload:
  injections:
    daily: {files: 100, file_size: 1MB, rse: A, end: 1h, files_per_dataset: 10, every: 2h}
)";
  const auto loaded = sim::load_scenario_text(yaml, "every.yaml", {});
  const auto s = sim::run_scenario(loaded.scenario).summary;
  CHECK(rse(s, "A").files_final == 300);
  CHECK(table(s, "DIDS_NEW").inserted == 30);
}
