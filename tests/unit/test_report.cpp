// The report's building blocks (analysis/report_*): CSV reading with positions, downsampling,
// axis ticks, value formats, escaping, and what a chart draws.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analysis/report_chart.hpp"
#include "analysis/report_data.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_sections.hpp"
#include "scenario/diagnostics.hpp"

using namespace dlsim::analysis;
namespace fs = std::filesystem;

namespace {
fs::path temp_file(const std::string& name, const std::string& content) {
  fs::path p = fs::temp_directory_path() / (std::to_string(getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("The CSV reader splits quoted fields as app/output writes them") {
  // Row 2 has a quoted comma, a doubled quote and a quoted newline (so row 3 starts line 4).
  auto p = temp_file("quoted.csv", "time_s,object,detail\n1,a,\"x, \"\"y\"\"\nz\"\n2.5,b,\n");
  CsvReader csv(p);
  CHECK(csv.column("detail") == 2);
  REQUIRE(csv.next());
  CHECK(csv.line() == 2);
  CHECK(csv.text(2) == "x, \"y\"\nz");
  REQUIRE(csv.next());
  CHECK(csv.line() == 4);
  CHECK(csv.number(0) == 2.5);
  CHECK_FALSE(csv.optional_number(2).has_value());
  CHECK_FALSE(csv.next());
  fs::remove(p);
}

TEST_CASE("The CSV reader accepts CRLF line ends") {
  auto p = temp_file("crlf.csv", "service,reason\r\nhermes,OOM bump\r\n");
  CsvReader csv(p);
  CHECK(csv.header() == std::vector<std::string>{"service", "reason"});
  REQUIRE(csv.next());
  CHECK(csv.text(1) == "OOM bump");
  CHECK_FALSE(csv.next());
  fs::remove(p);
}

TEST_CASE("The CSV reader reports the line and column of a bad field") {
  // "abc" starts after "1," and "b,": line 3, column 3.
  auto p = temp_file("bad.csv", "time_s,rows\n1,2\n2,abc\n");
  CsvReader csv(p);
  REQUIRE(csv.next());
  REQUIRE(csv.next());
  try {
    csv.number(1);
    FAIL("no error");
  } catch (const dlsim::scenario::InputError& e) {
    CHECK(std::string(e.what()) == p.string() + ":3:3: error: rows: 'abc' is not a number");
  }
  CHECK_THROWS_WITH(csv.column("files"), p.string() + ":1:1: error: missing column 'files'");
  fs::remove(p);
}

TEST_CASE("Downsampling keeps each bucket's peak at its time") {
  // 10 samples over [0, 10) into 5 buckets of 2 s: peaks 5 (t=1), 1 (t=2), 9 (t=5), 4 (t=6),
  // 2 (t=9: the larger of 0 and 2).
  Points p;
  const double v[] = {0, 5, 1, 0, 3, 9, 4, 4, 0, 2};
  for (int i = 0; i < 10; ++i) p.add(i, v[i]);
  Points d = downsample_max(p, 10, 5);
  CHECK(d.t_s == std::vector<double>{1, 2, 5, 6, 9});
  CHECK(d.values == std::vector<double>{5, 1, 9, 4, 2});
  CHECK(downsample_max(p, 10, 600).values.size() == 10);  // few points: unchanged
}

TEST_CASE("Axis ticks are round numbers covering the maximum") {
  // 3.7 cores / 4 ticks = 0.925 → step 1: 0..4.
  CHECK(nice_ticks(3.7, Unit::cores) == std::vector<double>{0, 1, 2, 3, 4});
  // 700 MiB: in MiB, 175 → step 200 MiB: 0, 200, 400, 600, 800 MiB.
  const double mib = 1024.0 * 1024;
  CHECK(nice_ticks(700 * mib, Unit::bytes) ==
        std::vector<double>{0, 200 * mib, 400 * mib, 600 * mib, 800 * mib});
  // 24 h with at most 6 ticks: 4 h steps (3 h would give 8 intervals).
  CHECK(time_ticks(86400).size() == 7);
  CHECK(time_ticks(86400)[1] == 14400);
}

TEST_CASE("Values and times are formatted for people") {
  CHECK(format_value(1.5 * 1024 * 1024 * 1024, Unit::bytes) == "1.5 GiB");
  CHECK(format_value(1000 * 1024.0 * 1024, Unit::bytes) == "1000 MiB");
  CHECK(format_value(0.25, Unit::fraction) == "25%");
  CHECK(format_value(1808182, Unit::count) == "1.81M");
  CHECK(format_value(0.0123, Unit::cores) == "0.0123");
  CHECK(format_time(0) == "0");
  CHECK(format_time(5400) == "1h30m");
}

TEST_CASE("Text is escaped, in charts too") {
  CHECK(html_escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  Chart c{"<b>pod</b>", 100, Unit::bytes};
  Points p;
  p.add(0, 1);
  p.add(50, 2);
  c.series.push_back({"ws", p, "#000"});
  c.levels.push_back({4, "limit", "#f00"});
  c.markers.push_back({10, "OOMKilled <x>"});
  c.markers.push_back({10.01, "OOMKilled again"});  // same pixel: merged into one marker
  std::string svg = render_chart(c);
  CHECK(count(svg, "<b>") == 0);
  CHECK(count(svg, "&lt;b&gt;pod&lt;/b&gt;") == 1);
  CHECK(count(svg, "<polyline") == 1);
  CHECK(count(svg, "class=\"level\"") == 1);
  CHECK(count(svg, "<g class=\"marker\">") == 1);
  CHECK(count(svg, "OOMKilled &lt;x&gt;\nOOMKilled again") == 1);
}

TEST_CASE(
    "The report's pool table shows core-hours, idle, price and cost, a dash without a price") {
  // A spot pool: 40 core-hours allocatable, 12 used → idle 28; 0.1 per node-hour over 5
  // node-hours → cost 0.5. An unpriced pool shows dashes for price and cost, and a summary
  // from before the accounting fields (no capacity_type) still renders.
  const auto pools = nlohmann::json::parse(R"([
    {"name": "cheap", "nodes_min": 0, "nodes_max": 2, "node_hours": 5, "cost": 0.5,
     "capacity_type": "spot", "price_per_node_hour": 0.1, "cpu_allocatable_core_hours": 40,
     "cpu_requested_core_hours": 20, "cpu_used_core_hours": 12},
    {"name": "old", "nodes_min": 1, "nodes_max": 1, "node_hours": 1, "cost": 0}
  ])");
  const std::string html = dlsim::analysis::report::pools_table(pools);
  CHECK(count(html, "<td>cheap</td><td>spot</td>") == 1);
  CHECK(count(html, ">28<") == 1);   // idle = 40 − 12
  CHECK(count(html, ">0.5<") == 1);  // cost
  CHECK(count(html, "<td>old</td><td>–</td>") == 1);
  CHECK(count(html, ">–<") >= 3);  // old: capacity type, price, cost
}
