// FTS slot mechanics on small worlds, each answer derived on paper in a comment. One SimGrid
// engine per process (catch_discover_tests runs every TEST_CASE alone).
#include <catch2/catch.hpp>

#include <map>
#include <utility>
#include <vector>

#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include "scenario/loader.hpp"
#include "tests/scenarios/rucio_fixture.hpp"

using namespace dlsim;
using models::rucio::RowGroup;

TEST_CASE("The FTS host's url-copy cap and 2 s scheduling grid pace two links' waves") {
  // Optimizer off: 10 slots per link; MaxUrlCopyProcesses 6 over the host; setup 3 s; 20
  // files of 1 MB, 10 on A→B and 10 on A→C, at t = 0 (a tick of the 2 s grid). Copies take
  // ~5 ms at 1.25 GB/s. Whatever the order of the links at a tick, at most 6 files run:
  //   t = 0: 6 start (the cap) → end 3.005; the next tick is 4: 6 start → end 7.005;
  //   t = 8: 6 → end 11.005; t = 12: the last 2 → end 15.005.
  // So 6, 12, 18 done after 3.5, 7.5, 11.5 s and 20 only after 15 s. Without the cap all 20
  // would be done at 3.01 s; without the grid (a wave at each end) at 12.02 s.
  testing::RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                          {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0),
                           testing::rse("C", "S3", 1e15, 0)});
  scenario::TransferSpec spec;
  spec.optimizer = false;
  spec.max_active_per_link = 10;
  spec.max_url_copy_processes = 6;
  spec.setup_s = 3;
  models::transfer::Fts fts(f.ctx, simgrid::s4u::Host::by_name("fts"), f.storage, spec);
  fts.submit(RowGroup{10, 0, 0, 1, 1e6, 0});  // A → B
  fts.submit(RowGroup{10, 0, 0, 2, 1e6, 0});  // A → C
  std::map<double, std::int64_t> done;
  f.run(16, 0.5, [&] { done[sim::now()] = fts.summary().done; });
  CHECK(done.at(2.5) == 0);
  CHECK(done.at(3.5) == 6);
  CHECK(done.at(6.5) == 6);
  CHECK(done.at(7.5) == 12);
  CHECK(done.at(11.5) == 18);
  CHECK(done.at(14.5) == 18);
  CHECK(done.at(16) == 20);
}

namespace {

// The optimizer's values for one link, from the "links" series (column 0: active_limit).
std::vector<double> limits_of(const sim::Recorder& r, const std::string& link) {
  std::vector<double> out;
  for (const auto& s : r.series()) {
    if (s.name != "links") continue;
    s.for_each_row([&](const sim::SeriesRow& row) {
      if (s.object_names[row.object] == link) out.push_back(row.values[0]);
    });
  }
  return out;
}

}  // namespace

TEST_CASE("A recoverable failure episode backs the optimizer off; a no-space one does not") {
  // A→B and A→C carry 20 000 files of 1 MB each, optimizer on. From t = 0 for 1 h half the
  // transfers to B fail with a recoverable error and half of those to C with "no space".
  // Every 60 s: B's success rate is ~50 % < 97 % and never "improving" (needs ≥ 96 %), so its
  // value drops by 1 at each decision from 66; C's failures are not recoverable and are left
  // out, so C's rate is 100 % and its value never goes below 66 (it rises with the EMA).
  auto b = testing::rse("B", "S2", 1e15, 0);
  b.failure_episodes.push_back({0, 3600, "recoverable", 0.5});
  auto c = testing::rse("C", "S3", 1e15, 0);
  c.failure_episodes.push_back({0, 3600, "no_space", 0.5});
  testing::RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                          {testing::rse("A", "S1", 1e15, 0), b, c});
  f.fts->start_optimizer();
  f.fts->submit(RowGroup{20'000, 0, 0, 1, 1e6, 0});
  f.fts->submit(RowGroup{20'000, 0, 0, 2, 1e6, 0});
  f.run(600);
  const auto to_b = limits_of(f.recorder, "A->B");
  const auto to_c = limits_of(f.recorder, "A->C");
  REQUIRE(to_b.size() == 10);  // decisions at 60, 120, …, 600 s
  REQUIRE(to_c.size() == 10);
  for (std::size_t k = 0; k < to_b.size(); ++k) {
    INFO("decision " << k + 1);
    CHECK(to_b[k] == 66.0 - static_cast<double>(k + 1));
    CHECK(to_c[k] >= 66.0);
  }
  const auto t = f.fts->summary();
  CHECK(t.failed > 0);  // both episodes fail transfers; the finisher sees every failure
}

namespace {

// Per-link waves on A→B and A→C over one 1.25 GB/s link of 40 ms one-way latency (RTT 80
// ms), optimizer off, 40 slots per link, 2 s setup, files of 100 MB submitted at t = 0;
// returns the files done on each link at each sample time.
std::map<double, std::pair<std::int64_t, std::int64_t>> run_waves(double window_bytes,
                                                                  std::int64_t files_to_b,
                                                                  std::int64_t files_to_c,
                                                                  const std::vector<double>& at) {
  testing::RucioFixture f(scenario::DatabaseEngine::PostgreSQL,
                          {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0),
                           testing::rse("C", "S3", 1e15, 0)});
  // dlsim's network settings (sim/platform.cpp): no cross-traffic, no LV08 factors.
  simgrid::s4u::Engine::set_config("network/crosstraffic:0");
  simgrid::s4u::Engine::set_config("network/bandwidth-factor:1");
  simgrid::s4u::Engine::set_config("network/latency-factor:1");
  simgrid::s4u::Link::by_name("lan")->set_latency(0.040);
  sim::set_tcp_window(window_bytes);
  scenario::TransferSpec spec;
  spec.optimizer = false;
  spec.max_active_per_link = 40;
  spec.setup_s = 2;
  models::transfer::Fts fts(f.ctx, simgrid::s4u::Host::by_name("fts"), f.storage, spec);
  if (files_to_b > 0) fts.submit(RowGroup{files_to_b, 0, 0, 1, 100e6, 0});
  if (files_to_c > 0) fts.submit(RowGroup{files_to_c, 0, 0, 2, 100e6, 0});
  std::map<double, std::pair<std::int64_t, std::int64_t>> done;
  std::size_t next = 0;
  f.run(at.back(), 0.01, [&] {
    if (next == at.size() || sim::now() < at[next] - 1e-9) return;
    std::int64_t b = 0, c = 0;
    for (const auto& l : fts.summary().links) (l.destination == "B" ? b : c) = l.done;
    done[at[next++]] = {b, c};
  });
  return done;
}

}  // namespace

TEST_CASE("A per_link wave of N files moves at N TCP windows per round trip, within the link") {
  // One url-copy connection per file: a flow of n files is bounded at n × 4 MiB / 80 ms =
  // n × 52.4288 MB/s. Both waves start their bytes at 2 s + 40 ms of latency. A→B (10 files,
  // 1 GB) is bounded at 524.288 MB/s; A→C (40 files, 4 GB) at 2.097 GB/s, above the link, so
  // max-min sharing gives A→B its bound and A→C the rest of 1.25 GB/s: A→B ends at
  // 2.04 + 1e9 / 524.288e6 = 3.947 s, and the link stays full until the 5 GB are moved, at
  // 2.04 + 5e9 / 1.25e9 = 6.04 s. With one window per wave A→B would take 19.07 s of bytes.
  const auto done = run_waves(4.0 * 1024 * 1024, 10, 40, {3.9, 4.0, 6.0, 6.1});
  CHECK(done.at(3.9) == std::pair<std::int64_t, std::int64_t>{0, 0});
  CHECK(done.at(4.0) == std::pair<std::int64_t, std::int64_t>{10, 0});
  CHECK(done.at(6.0) == std::pair<std::int64_t, std::int64_t>{10, 0});
  CHECK(done.at(6.1) == std::pair<std::int64_t, std::int64_t>{10, 40});
}

TEST_CASE("network.tcp_window sets the bound of a wave's flow") {
  // 10 files of 100 MB with a 1 MiB window: 10 × 1 MiB / 80 ms = 131.072 MB/s, so the wave
  // ends at 2.04 + 1e9 / 131.072e6 = 9.669 s (with 4 MiB it would end at 3.947 s).
  const auto done = run_waves(1.0 * 1024 * 1024, 10, 0, {9.6, 9.7});
  CHECK(done.at(9.6).first == 0);
  CHECK(done.at(9.7).first == 10);
  // The key is read from the scenario's network section (bytes, size syntax).
  const char* yaml =
      "name: w\nduration: 1h\ncluster: {node_pools: {default: {count: 1, cpu: 8, "
      "memory: 16GB}}}\nnetwork: {tcp_window: 1MiB}\n";
  CHECK(scenario::load_scenario_text(yaml, "w.yaml", {}).scenario.network.tcp_window_bytes ==
        1024.0 * 1024);
}
