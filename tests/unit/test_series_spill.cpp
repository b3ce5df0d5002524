// SeriesSpill (sim/series_spill.hpp): a series' rows read back bit for bit and in order,
// whether they went to the temporary file or, when it cannot be made, stayed in memory.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "sim/recorder.hpp"

using namespace dlsim;

namespace {

// Row i of the test series: values that are not round in binary (i / 7, 1e-300 × i) so that
// any conversion on the way (text, float) would show.
std::vector<double> row_values(std::size_t i) {
  const double x = static_cast<double>(i);
  return {x / 7.0, 1e-300 * x, -x};
}

// Appends `n` rows (width 3: 40 bytes each) and checks every row read back.
void check_round_trip(sim::SeriesSpill& spill, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = row_values(i);
    spill.append(0.5 * static_cast<double>(i), static_cast<std::uint32_t>(i % 5), v.data());
  }
  REQUIRE(spill.rows() == n);
  std::size_t seen = 0, wrong = 0;
  spill.for_each([&](const sim::SeriesRow& row) {
    const auto v = row_values(seen);
    if (row.time_s != 0.5 * static_cast<double>(seen) || row.object != seen % 5 ||
        row.values[0] != v[0] || row.values[1] != v[1] || row.values[2] != v[2])
      ++wrong;
    ++seen;
  });
  CHECK(seen == n);
  CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("A series' rows spill to a file past 1 MiB and read back exactly, in order") {
  // 100 000 rows × 40 bytes = 4 000 000 bytes; a spill happens each time 1 MiB (1 048 576
  // bytes = 26 214.4 rows) is reached, i.e. at 26 215 rows: 3 spills of 26 215 rows
  // (3 × 1 048 600 bytes in the file), 21 355 rows left in memory.
  sim::SeriesSpill spill(3);
  check_round_trip(spill, 100'000);
  CHECK(spill.file_bytes() == 3 * 26'215 * 40);
}

TEST_CASE("Without a usable temporary directory the rows stay in memory, read back the same") {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent/dlsim-test", 1);
  sim::SeriesSpill spill(3);
  check_round_trip(spill, 100'000);
  CHECK(spill.file_bytes() == 0);
  if (old)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");
}

TEST_CASE("A recorded series reads back through for_each_row with its object names") {
  sim::Recorder r;
  const auto id = r.declare_series("pods", {"cpu_cores"});
  r.sample(id, 15, "a", {0.25});
  r.sample(id, 15, "b", {0.5});
  r.sample(id, 30, "a", {0.75});
  const sim::Series& s = r.series().at(id);
  std::string seen;
  s.for_each_row([&](const sim::SeriesRow& row) {
    seen += s.object_names[row.object] + "@" + std::to_string(row.time_s) + "=" +
            std::to_string(row.values[0]) + ";";
  });
  CHECK(s.rows() == 3);
  CHECK(seen == "a@15.000000=0.250000;b@15.000000=0.500000;a@30.000000=0.750000;");
}
