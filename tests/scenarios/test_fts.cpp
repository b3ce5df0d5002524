// FTS slot mechanics on small worlds, each answer derived on paper in a comment. One SimGrid
// engine per process (catch_discover_tests runs every TEST_CASE alone).
#include <catch2/catch.hpp>

#include <map>

#include <simgrid/s4u/Host.hpp>

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
  testing::RucioFixture f(sim::DatabaseEngine::PostgreSQL,
                          {testing::rse("A", "S1", 1e15, 0), testing::rse("B", "S2", 1e15, 0),
                           testing::rse("C", "S3", 1e15, 0)});
  sim::TransferSpec spec;
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
  testing::RucioFixture f(sim::DatabaseEngine::PostgreSQL,
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
