// Helm's layering of values files (scenario/helm_values.cpp) and its template truthiness, on small
// files written by the test. Expected values follow Helm's documented rules: later files win,
// maps merge, lists and scalars replace, a null deletes the key; go-yaml keeps the later of
// two equal keys.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scenario/helm_values.hpp"

using namespace dlsim::scenario;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("dlsim-helm-test-" + name);
  std::ofstream(path) << text;
  return path.string();
}

const HelmValue& at(const HelmValue& v, const std::string& key) {
  auto it = v.children.find(key);
  REQUIRE(it != v.children.end());
  return it->second;
}

}  // namespace

TEST_CASE("later values files win, maps merge, lists replace, null deletes") {
  const auto a = write_temp("a.yaml",
                            "hermes: {threads: 1, bulk: 100, tolerations: [x, y, z]}\n"
                            "undertaker: {chunkSize: 5, threads: 2}\n");
  const auto b = write_temp("b.yaml",
                            "hermes: {bulk: 500, tolerations: [w]}\n"
                            "undertaker: {chunkSize: ~}\n");
  std::vector<std::string> warnings;
  HelmValues values({a, b}, warnings);
  const auto& hermes = at(values.root(), "hermes");
  CHECK(at(hermes, "threads").node.Scalar() == "1");  // only in a: kept (maps merge)
  CHECK(at(hermes, "bulk").node.Scalar() == "500");   // in both: b wins
  CHECK(at(hermes, "bulk").file == 1);                // located in b
  CHECK(at(hermes, "tolerations").node.size() == 1);  // b's list replaces a's 3 items
  const auto& undertaker = at(values.root(), "undertaker");
  CHECK(undertaker.children.count("chunkSize") == 0);  // b's null deleted it
  CHECK(at(undertaker, "threads").node.Scalar() == "2");
  CHECK(warnings.empty());
}

TEST_CASE("a duplicate key in one file keeps the later value, with a warning") {
  const auto a = write_temp("dup.yaml", "replicaCount: 1\nreplicaCount: 3\n");
  std::vector<std::string> warnings;
  HelmValues values({a}, warnings);
  CHECK(at(values.root(), "replicaCount").node.Scalar() == "3");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == a + ":2:1: warning: replicaCount: duplicate key 'replicaCount' (also at "
                           "line 1); the later one wins, as Helm reads it");
}

TEST_CASE("Helm template truthiness decides whether a chart passes a flag") {
  const auto a = write_temp("truth.yaml",
                            "zero: 0\nzero_float: 0.0\nno: false\nempty: \"\"\nquoted_false: "
                            "\"false\"\none: 1\nmap: {}\nlist: []\nword: lots\n");
  std::vector<std::string> warnings;
  HelmValues values({a}, warnings);
  auto truthy = [&](const std::string& k) { return helm_truthy(&at(values.root(), k)); };
  CHECK_FALSE(truthy("zero"));
  CHECK_FALSE(truthy("zero_float"));
  CHECK_FALSE(truthy("no"));
  CHECK_FALSE(truthy("empty"));
  CHECK(truthy("quoted_false"));  // a non-empty string is true in a Go template
  CHECK(truthy("one"));
  CHECK_FALSE(truthy("map"));
  CHECK_FALSE(truthy("list"));
  CHECK(truthy("word"));
  CHECK_FALSE(helm_truthy(nullptr));  // absent
}
