// Rucio mechanisms with answers derived on paper (issue 4). Each TEST_CASE is one simulation
// in its own process (catch_discover_tests).
#include <catch2/catch.hpp>

#include <cmath>

#include "models/rucio/daemon_plans.hpp"
#include "models/transfer/fts_optimizer.hpp"
#include "tests/scenarios/rucio_fixture.hpp"

using namespace dlsim;
using models::rucio::RowGroup;
using models::rucio::Table;
using testing::RucioFixture;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// `rows` UPDATED_COL_REP rows spread evenly over `keys` (dataset, RSE) keys.
void fill_col_rep(RucioFixture& f, std::int64_t rows, std::int64_t keys) {
  for (std::int64_t k = 0; k < keys; ++k)
    f.db->table(Table::UpdatedColRep)
        .insert(RowGroup{rows / keys, static_cast<std::uint32_t>(k), 0, 0, 0, 0});
}

// The distinct values the table's row count took, in order.
std::vector<std::int64_t> watch_rows(RucioFixture& f, Table t, double until_s, double every_s) {
  std::vector<std::int64_t> seen{f.db->table(t).rows()};
  f.run(until_s, every_s, [&] {
    if (f.db->table(t).rows() != seen.back()) seen.push_back(f.db->table(t).rows());
  });
  return seen;
}

}  // namespace

TEST_CASE("abacus-collection-replica drains duplicates plus `limit` unique rows per cycle") {
  // Master (limit 1000): 5000 rows on 2500 keys (2 each). Cycle 1 deletes the 2500
  // duplicates and processes 1000 keys → 1500 rows left; cycle 2 processes 1000 → 500;
  // cycle 3 → 0. The PostgreSQL de-duplication (dedup_pair_count): the U new keys scan the
  // growing list, U(U−1)/2, and the N − U duplicates half of it each, (N − U)(U + 1)/2:
  // cycle 1 2500·2499/2 + 2500·2501/2 = 6 250 000; cycle 2 1500·1499/2 = 1 124 250;
  // cycle 3 500·499/2 = 124 750; in all 7 499 000 pairs.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL, {testing::rse("A", "S1", 1e15, 0)},
                 "master");
  fill_col_rep(f, 5000, 2500);
  auto& d = f.add_daemon("abacus-collection-replica", 1, 1);
  auto seen = watch_rows(f, Table::UpdatedColRep, 120, 0.05);
  CHECK(seen == std::vector<std::int64_t>{5000, 1500, 500, 0});
  CHECK(d.work_done().dedup_pairs == Approx(7'499'000));
}

TEST_CASE("1.23.10 on PostgreSQL returns rows committed during the de-duplication, raw") {
  // 100 000 rows on 100 keys. The cycle starts at 1 s (partition wait); its de-duplication
  // costs (N + U) rows × 20 µs = 2.002 s, dedup_pair_count(100 000, 100) = 100·99/2 +
  // 99 900·101/2 = 5 049 900 pairs × 17 ns = 0.086 s and 1004 statements × 0.1 ms = 0.100 s
  // of CPU, 3.13 s at the pod's 0.7 core: it runs until ≈ 4.1 s. 500 rows of a new key
  // committed at 2 s are seen by the return SELECT (READ COMMITTED) and processed in the
  // same cycle without being de-duplicated, so the table goes 100 000 → 100 500 → 0 and
  // only one de-duplication ever runs (a second one over the 500 rows would add 499 pairs).
  // Processing: 1 + 5 × (100 keys + 500 raw rows) = 3001 statements.
  testing::RucioFixture f;
  fill_col_rep(f, 100'000, 100);
  auto& d = f.add_daemon("abacus-collection-replica", 1, 1);
  bool inserted = false;
  std::vector<std::int64_t> seen{f.db->table(Table::UpdatedColRep).rows()};
  f.run(60, 0.5, [&] {
    if (!inserted && sim::now() >= 2.0) {
      f.db->table(Table::UpdatedColRep).insert(RowGroup{500, 100'000, 0, 0, 0, 0});
      inserted = true;
    }
    auto rows = f.db->table(Table::UpdatedColRep).rows();
    if (rows != seen.back()) seen.push_back(rows);
  });
  CHECK(seen == std::vector<std::int64_t>{100'000, 100'500, 0});
  CHECK(d.work_done().dedup_pairs == Approx(5'049'900));
}

TEST_CASE("Extra abacus-collection-replica threads add CPU but no drain capacity") {
  // The same backlog with 4 threads in the pod: the drain steps are the same (no
  // partitioning: every thread works on the same rows), but the threads that find the rows
  // taken still pay the whole-table clean-up, so more than the 7 499 000 pairs of one
  // thread are compared.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL, {testing::rse("A", "S1", 1e15, 0)},
                 "master");
  fill_col_rep(f, 5000, 2500);
  auto& d = f.add_daemon("abacus-collection-replica", 1, 4);
  auto seen = watch_rows(f, Table::UpdatedColRep, 120, 0.05);
  CHECK(seen == std::vector<std::int64_t>{5000, 1500, 500, 0});
  CHECK(d.work_done().dedup_pairs > 7'499'000);
}

TEST_CASE("On PostgreSQL a backlog above the computed size OOMs abacus-collection-replica") {
  // Heap = (N + U) × 1500 B (whole table as ORM rows + unique rows as dicts), base 80 MiB,
  // limit 200 MiB: room for (200 − 80) MiB / 1500 B = 83 886 rows. N = 100 000 rows on
  // U = 1 000 keys needs 101 000 → OOMKilled at its first cycle (t ≈ 1 s, after the 1 s
  // partition wait), and again at once after every restart; the rows stay in the table
  // (nothing committed). Back-off: the first restart is immediate (kill 2 at ≈ 1 s), then
  // waits of 10, 20, 40, 80, 160 s put kills 3-7 at ≈ 11, 31, 71, 151, 311 s; the next wait
  // (300 s) ends at ≈ 611 s, after the 600 s run: 7 kills, 6 restarts (restartCount counts
  // containers started again; the 7th restart is still in back-off at the end).
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL);
  fill_col_rep(f, 100'000, 1'000);
  f.add_daemon("abacus-collection-replica", 1, 1, 200 * kMiB);
  f.run(600);
  const auto& pod = f.pod_of("abacus-collection-replica-0");
  CHECK(pod.oom_kills() == 7);
  CHECK(pod.restarts() == 6);
  CHECK(f.db->table(Table::UpdatedColRep).rows() == 100'000);
  CHECK(f.db->table(Table::UpdatedColRep).drained() == 0);
}

TEST_CASE("On PostgreSQL a backlog under the computed size drains at 200 MiB") {
  // N = 80 000 rows on U = 1 000 keys: (80 000 + 1 000) × 1500 B = 121.5 MB < 125.8 MB of
  // room: no OOM; 1.23 processes every unique row in one cycle.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL);
  fill_col_rep(f, 80'000, 1'000);
  f.add_daemon("abacus-collection-replica", 1, 1, 200 * kMiB);
  f.run(600);
  CHECK(f.pod_of("abacus-collection-replica-0").oom_kills() == 0);
  CHECK(f.db->table(Table::UpdatedColRep).rows() == 0);
}

TEST_CASE("On Oracle the same backlog drains at 200 MiB") {
  // Oracle de-duplicates in the database: the daemon holds only the 1 000 unique rows as
  // ORM objects and dicts (2 × 1 000 × 1500 B = 3 MB): no OOM, everything drained.
  RucioFixture f(scenario::DatabaseEngine::Oracle);
  fill_col_rep(f, 100'000, 1'000);
  f.add_daemon("abacus-collection-replica", 1, 1, 200 * kMiB);
  f.run(600);
  CHECK(f.pod_of("abacus-collection-replica-0").oom_kills() == 0);
  CHECK(f.db->table(Table::UpdatedColRep).rows() == 0);
  CHECK(f.db->table(Table::UpdatedColRep).drained() == 100'000);
}

namespace {

// RSEs A and B (100 GB quota, 10 GB min-free); A holds 95 files of 1 GB (5 GB free), B 50
// (50 GB free); 20 of each RSE's files are tombstoned.
void fill_rses(RucioFixture& f) {
  const double gb = 1e9;
  for (std::uint16_t r = 0; r < 2; ++r) {
    const std::int64_t files = r == 0 ? 95 : 50;
    models::rucio::Dataset ds;
    ds.files = files;
    ds.bytes_per_file = gb;
    ds.origin_rse = r;
    auto id = f.catalog.add_dataset(ds);
    f.catalog.add_replicas(id, r, files);
    f.storage.rse(r).add_replicas(files, static_cast<double>(files) * gb);
    f.catalog.tombstone(id, r);
    f.db->table(Table::ReplicasTombstoned).insert(RowGroup{20, id, 0, r, gb, 0});
  }
}

const std::vector<scenario::RseSpec> kTwoRses = {testing::rse("A", "S1", 100e9, 10e9),
                                                 testing::rse("B", "S2", 100e9, 10e9)};

}  // namespace

TEST_CASE("The reaper deletes only what brings an RSE back over its watermark") {
  // A needs 10 − 5 = 5 GB: 5 files of 1 GB are deleted (95 → 90), after which it has its
  // 10 GB free and nothing more is needed; B has 50 GB free: nothing is deleted.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL, kTwoRses);
  fill_rses(f);
  f.add_daemon("reaper", 1, 1);
  f.run(600);
  CHECK(f.storage.rse(0).files() == 90);
  CHECK(f.storage.rse(1).files() == 50);
  CHECK(f.db->table(Table::ReplicasTombstoned).rows() == 35);  // 15 on A, 20 on B
}

TEST_CASE("A greedy reaper deletes every tombstoned replica") {
  // greedy: 10^12 bytes needed on every RSE, so the 20 tombstoned files of each go.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL, kTwoRses);
  fill_rses(f);
  f.add_daemon("reaper", 1, 1, std::nullopt, {{"greedy", 1}});
  f.run(600);
  CHECK(f.storage.rse(0).files() == 75);
  CHECK(f.storage.rse(1).files() == 30);
  CHECK(f.db->table(Table::ReplicasTombstoned).rows() == 0);
}

TEST_CASE("A rule goes STUCK after four failed attempts and the repairer requeues it") {
  // Every transfer to B fails. The first request is tried 4 times (retry_count < 3), then the
  // lock and the rule go STUCK. After `delta` (60 s here) the repairer requeues the lock at
  // retry_count 1: 3 more attempts, STUCK again, and so on. So FTS sees 4 + 3k attempts, none
  // done, and RULES_STUCK's first row appears exactly when the 4th attempt has failed.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                 {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0, 1.0)});
  models::rucio::Dataset ds;
  ds.files = 1;
  ds.bytes_per_file = 1e6;
  ds.origin_rse = 0;
  auto id = f.catalog.add_dataset(ds);
  f.catalog.add_replicas(id, 0, 1);
  models::rucio::Rule rule;
  rule.dataset = id;
  rule.rse = 1;
  auto rule_id = f.catalog.add_rule(rule);
  models::rucio::apply_rule(*f.world, rule_id);
  f.add_daemon("conveyor-submitter", 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("conveyor-poller", 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("conveyor-finisher", 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("judge-repairer", 1, 1, std::nullopt, {{"delta", 60}, {"sleep_time", 60}});
  std::int64_t failed_at_first_stuck = -1;
  f.run(3600, 0.5, [&] {
    if (failed_at_first_stuck < 0 && f.db->table(Table::RulesStuck).inserted() > 0)
      failed_at_first_stuck = f.fts->summary().failed;
  });
  const auto t = f.fts->summary();
  CHECK(failed_at_first_stuck == 4);
  CHECK(t.done == 0);
  CHECK(t.submitted >= 7);
  CHECK((t.submitted - 4) % 3 <= 2);  // the last round may be in progress at the end
  CHECK(f.db->table(Table::RulesStuck).drained() >= 1);
}

TEST_CASE("The FTS optimizer's active count follows its rule decision by decision") {
  // 20 000 files of 1 MB queued on one link A→B, all succeed. Every 60 s the link's limit
  // is what FtsOptimizer::decide returns for the window the link recorded; replaying the
  // recorded windows through a fresh optimizer gives the same sequence, which starts at 66
  // (halfway between the *→* row's 2 and 130, fts3 3.14.4 OptimizerConnections.cpp). The model
  // feeds the optimizer FTS v3.9.5's sliding window (fts_window.hpp); the replay's 60 s windows
  // differ in size but not in direction here (every transfer succeeds, the EMA rises while the link
  // ramps up), so the sequences agree; test_fts_window.cpp checks the window itself.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                 {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0)});
  f.fts->start_optimizer();
  f.fts->submit(RowGroup{20'000, 0, 0, 1, 1e6, 0});
  f.run(900);
  const sim::Series* links = nullptr;
  for (const auto& s : f.recorder.series())
    if (s.name == "links") links = &s;
  REQUIRE(links != nullptr);
  REQUIRE(links->rows() >= 5);
  models::transfer::FtsOptimizer replay({});
  models::transfer::LinkKey key{"A", "B"};
  CHECK(replay.decide(key, {}, 0).value == 66);
  // Columns: limit, queued, in_flight, done, failed, bytes.
  double done_before = 0, bytes_before = 0;
  links->for_each_row([&](const sim::SeriesRow& row) {
    const double* v = row.values;
    models::transfer::LinkWindow w;
    w.finished = static_cast<int>(v[3] - done_before);
    w.bytes = v[5] - bytes_before;
    w.window_s = 60;
    if (w.finished > 0) w.mean_file_bytes = w.bytes / w.finished;
    w.queued = static_cast<int>(v[1]);
    w.active = static_cast<int>(v[2]);
    const int expected = replay.decide(key, w, row.time_s).value;
    INFO("decision at t = " << row.time_s);
    CHECK(static_cast<int>(v[0]) == expected);
    done_before = v[3];
    bytes_before = v[5];
  });
}

TEST_CASE("Transfers to an RSE without room fail") {
  // B's quota is 10 MB and it is empty; 20 files of 1 MB arrive in one wave of the link
  // (the optimizer's first value, 66, lets them all start): 10 fit, 10 fail for lack of
  // space.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                 {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 10e6, 0)});
  f.fts->submit(RowGroup{20, 0, 0, 1, 1e6, 0});
  f.run(60);
  const auto t = f.fts->summary();
  CHECK(t.done == 10);
  CHECK(t.failed == 10);
  CHECK(t.bytes_done == Approx(10e6));
}

TEST_CASE("An expired rule and a deleted DID leave the catalog once nothing refers to them") {
  // Dataset `gone` (2 files of 1 MB on A) has a rule to B; dataset `kept` has one too. At
  // 600 s, when both transfers are long done (the conveyor cycles every 10 s), `gone`'s rule
  // and both DIDs expire (the rows the expiry clock inserts). judge-cleaner deletes the rule
  // (locks all OK: nothing refers to it) and tombstones its replicas on B; the undertaker
  // deletes both DIDs and tombstones the rest; the greedy reaper deletes every replica.
  // `gone` has no live rule and no container: retired. `kept` keeps its live rule, so it
  // stays: 1 rule and 1 dataset retired of 2 each, and the replicas all reaped as before.
  RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                 {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0)});
  std::vector<std::uint32_t> datasets, rules;
  for (int i = 0; i < 2; ++i) {
    models::rucio::Dataset ds;
    ds.files = 2;
    ds.bytes_per_file = 1e6;
    datasets.push_back(f.catalog.add_dataset(ds));
    f.catalog.add_replicas(datasets.back(), 0, 2);
    f.storage.rse(0).add_replicas(2, 2e6);
    models::rucio::Rule rule;
    rule.dataset = datasets.back();
    rule.rse = 1;
    rules.push_back(f.catalog.add_rule(rule));
    models::rucio::apply_rule(*f.world, rules.back());
  }
  for (const char* kind : {"conveyor-submitter", "conveyor-poller", "conveyor-finisher"})
    f.add_daemon(kind, 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("judge-cleaner", 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("undertaker", 1, 1, std::nullopt, {{"sleep_time", 10}});
  f.add_daemon("reaper", 1, 1, std::nullopt, {{"greedy", 1}, {"sleep_time", 10}});
  bool rule_ok_before = false;
  f.run(3600, 600, [&] {
    if (sim::now() > 600.5) return;
    rule_ok_before = f.catalog.rule(rules[0]).state == models::rucio::RuleState::Ok;
    f.db->table(Table::RulesExpired).insert(RowGroup{1, datasets[0], 0, 1, 0, rules[0]});
    for (auto d : datasets) f.db->table(Table::DidsExpired).insert(RowGroup{1, d, 0, 0, 0, 0});
  });
  CHECK(rule_ok_before);
  CHECK(f.storage.rse(0).files() == 0);  // every replica deleted: 2 + 2 on A, 2 + 2 on B
  CHECK(f.storage.rse(1).files() == 0);
  CHECK_FALSE(f.catalog.has_rule(rules[0]));
  CHECK_FALSE(f.catalog.has_dataset(datasets[0]));
  CHECK(f.catalog.has_rule(rules[1]));
  CHECK(f.catalog.has_dataset(datasets[1]));
  CHECK(f.catalog.rules_retired() == 1);
  CHECK(f.catalog.datasets_retired() == 1);
  CHECK(f.catalog.datasets_added() == 2);
}
