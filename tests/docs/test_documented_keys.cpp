// Every key scenario.resolved.yaml and summary.json write is documented: the field tables
// (scenario/fields.hpp, app/summary_fields.hpp) give the key paths, docs/scenario.md and
// docs/outputs.md must name each under the table's heading (rules in documented_keys.hpp).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "app/summary_fields.hpp"
#include "documented_keys.hpp"
#include "scenario/daemon_catalog.hpp"
#include "scenario/fields.hpp"

using namespace dlsim;

namespace {

std::string read_doc(const std::string& name) {
  std::ifstream in(std::string(DLSIM_SOURCE_DIR) + "/docs/" + name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string listing(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += "\n  " + k;
  return out;
}

// A probe struct for the failing case: one documented key, one nested key documented by its
// parent's row, and two keys no page names.
struct Probe {
  int count = 0;
  double reserved_cpu = 0;
  int absent_from_docs = 0;
  int also_absent = 0;
};
constexpr auto probe_fields() {
  using namespace scenario::fields;
  return table<Probe>("cluster", field("count", &Probe::count),
                      group("reserved", table<Probe>("", field("cpu", &Probe::reserved_cpu))),
                      field("absent_from_docs", &Probe::absent_from_docs),
                      group("nested", table<Probe>("", field("also_absent", &Probe::also_absent))));
}

}  // namespace

TEST_CASE("every scenario key and summary.json key is documented") {
  auto scenario_keys = test::KeyWalker::paths(scenario::fields::scenario_fields());
  // A daemon's `options` keys come from the daemon catalogue, not from the table: each kind's
  // options belong in the "Daemon options" table.
  for (const auto& kind : scenario::daemon_kinds())
    for (const auto& opt : kind.options)
      scenario_keys.push_back(
          {"rucio.daemons.<" + kind.name + ">.options." + opt.name, "Daemon options", opt.name});
  const auto summary_keys = test::KeyWalker::paths(sim::fields::summary_fields());
  // The tables are whole: 14 top-level scenario keys and 12 of summary.json at least, and
  // more than 200 and 150 keys in all (a walker that stopped early would pass vacuously).
  CHECK(scenario_keys.size() > 200);
  CHECK(summary_keys.size() > 150);
  const auto missing_scenario =
      test::undocumented(scenario_keys, test::MarkdownSections(read_doc("scenario.md")));
  const auto missing_summary =
      test::undocumented(summary_keys, test::MarkdownSections(read_doc("outputs.md")));
  {
    INFO(
        "keys of scenario.resolved.yaml missing in docs/scenario.md:" << listing(missing_scenario));
    CHECK(missing_scenario.empty());
  }
  {
    INFO("keys of summary.json missing in docs/outputs.md:" << listing(missing_summary));
    CHECK(missing_summary.empty());
  }
}

TEST_CASE("a key absent from the docs is reported missing") {
  // "## cluster" of docs/scenario.md documents `count` (a row) and `reserved.cpu` (a row,
  // which also documents `reserved`); it has no `absent_from_docs`, no `nested` and no
  // `also_absent`: exactly those three are reported, with their paths.
  const auto keys = test::KeyWalker::paths(probe_fields());
  REQUIRE(keys.size() == 6);
  CHECK(keys[2].path == "reserved.cpu");
  CHECK(keys[5].path == "nested.also_absent");
  const auto missing = test::undocumented(keys, test::MarkdownSections(read_doc("scenario.md")));
  CHECK(missing == std::vector<std::string>{"absent_from_docs (under \"cluster\")",
                                            "nested (under \"cluster\")",
                                            "nested.also_absent (under \"cluster\")"});
}

TEST_CASE("a key is looked up under its own heading only") {
  // `quota` is documented under "rses", not under "database": a table naming "database"
  // reports it; and a heading no page has reports every key of its table.
  const auto in_database = test::KeyWalker::paths(scenario::fields::table<scenario::RseSpec>(
      "database", scenario::fields::field("quota", &scenario::RseSpec::quota_bytes)));
  const auto in_nowhere = test::KeyWalker::paths(scenario::fields::table<scenario::RseSpec>(
      "no such heading", scenario::fields::field("site", &scenario::RseSpec::site)));
  const test::MarkdownSections page(read_doc("scenario.md"));
  CHECK(test::undocumented(in_database, page) ==
        std::vector<std::string>{"quota (under \"database\")"});
  CHECK(test::undocumented(in_nowhere, page) ==
        std::vector<std::string>{"site (under \"no such heading\")"});
}
