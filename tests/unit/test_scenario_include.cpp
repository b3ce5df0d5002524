// Scenario includes (scenario/include.cpp): the merge order and where each merged value is
// located, on small documents written by the test. Expected values follow the rules of
// docs/scenario.md#include: a later include wins over an earlier one, the including file wins
// over all, mappings merge key by key, lists and scalars replace; keys keep the order in which
// they first appear.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scenario/include.hpp"

using namespace dlsim::scenario;

namespace {

std::vector<std::string> keys(const YAML::Node& map) {
  std::vector<std::string> out;
  for (const auto& kv : map) out.push_back(kv.first.Scalar());
  return out;
}

YAML::Node parse(const std::string& text, const std::string&) {
  return YAML::Load(text);
}

std::filesystem::path temp_dir() {
  const auto dir = std::filesystem::temp_directory_path() / "dlsim-include-test";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = temp_dir() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("later includes win, the scenario wins over all, maps merge, lists replace") {
  InputContext ctx("main.yaml");
  std::vector<IncludeLayer> layers = {
      {YAML::Load("x: {p: 1, q: 1}\nlist: [1, 2]\ns: a\nonly_a: 1\nm: {k: 1}\n"), "a.yaml"},
      {YAML::Load("x: {q: 2, r: 2}\nlist: [3]\ns: b\nm: 5\n"), "b.yaml"},
      {YAML::Load("name: main\nx: {r: 3}\ns: main\nm: {z: 1}\n"), "main.yaml"}};
  YAML::Node root = layers.back().root;
  merge_layers(layers, ctx);
  CHECK(root["x"]["p"].as<int>() == 1);  // only in a: kept (maps merge)
  CHECK(root["x"]["q"].as<int>() == 2);  // a and b: the later include wins
  CHECK(root["x"]["r"].as<int>() == 3);  // b and the scenario: the scenario wins
  CHECK(root["list"].size() == 1);       // b's list replaces a's two items
  CHECK(root["s"].as<std::string>() == "main");
  CHECK(root["only_a"].as<int>() == 1);
  // b's scalar replaced a's mapping, then the scenario's mapping replaced the scalar: a's k
  // does not come back.
  CHECK(keys(root["m"]) == std::vector<std::string>{"z"});
  // First appearance: a's keys in a's order, then the scenario's new key.
  CHECK(keys(root) == std::vector<std::string>{"x", "list", "s", "only_a", "m", "name"});
  CHECK(keys(root["x"]) == std::vector<std::string>{"p", "q", "r"});
  // Each value is located in the file it won from.
  CHECK(ctx.origin_file("x") == "main.yaml");
  CHECK(ctx.origin_file("x.p") == "a.yaml");
  CHECK(ctx.origin_file("x.q") == "b.yaml");
  CHECK(ctx.origin_file("x.r") == "main.yaml");
  CHECK(ctx.origin_file("list[0]") == "b.yaml");
  CHECK(ctx.origin_file("m.z") == "main.yaml");
  const auto q = ctx.locate(root["x"]["q"], "x.q");  // b.yaml's "x: {q: 2, ...": the 2
  CHECK(q.file == "b.yaml");
  CHECK(q.line == 1);
  CHECK(q.column == 8);
  const auto only_a = ctx.locate_key(YAML::Node(), "only_a");  // no mark: the file's start
  CHECK(only_a.file == "a.yaml");
}

// A mapping that merges is rebuilt, so its duplicates are caught there; one taken whole from a
// file keeps them for MapReader, which locates them through the origin as any other value.
TEST_CASE("a duplicate key in a merged mapping is an error in its file") {
  InputContext ctx("main.yaml");
  std::vector<IncludeLayer> layers = {{YAML::Load("rucio:\n  model: {}\n  model: {}\n"), "a.yaml"},
                                      {YAML::Load("name: main\nrucio: {}\n"), "main.yaml"}};
  try {
    merge_layers(layers, ctx);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "a.yaml:3:3: error: rucio.model: duplicate key (each key may appear once in a mapping)");
  }
}

TEST_CASE("includes are read depth-first, relative to the file that names them") {
  write_temp("inc-c.yaml", "v: {c: 1, shared: c}\n");
  write_temp("inc-a.yaml", "include: [inc-c.yaml]\nv: {a: 1, shared: a}\n");
  write_temp("inc-b.yaml", "v: {shared: b}\n");
  const auto main = write_temp("inc-main.yaml", "include: [inc-a.yaml, inc-b.yaml]\nname: m\n");
  InputContext ctx(main);
  YAML::Node root = YAML::LoadFile(main);
  const auto bytes = apply_includes(root, ctx, parse);
  // Reading order: a, then a's include c, then b.
  REQUIRE(bytes.size() == 3);
  CHECK(bytes[0] == "include: [inc-c.yaml]\nv: {a: 1, shared: a}\n");
  CHECK(bytes[1] == "v: {c: 1, shared: c}\n");
  CHECK(bytes[2] == "v: {shared: b}\n");
  // Merge order: c under a (a wins), then b over both.
  CHECK(root["v"]["shared"].as<std::string>() == "b");
  CHECK(root["v"]["a"].as<int>() == 1);
  CHECK(root["v"]["c"].as<int>() == 1);
  CHECK_FALSE(root["include"].IsDefined());
  CHECK(ctx.origin_file("v.c") == (temp_dir() / "inc-c.yaml").string());
  CHECK(ctx.origin_file("v.shared") == (temp_dir() / "inc-b.yaml").string());
}

TEST_CASE("an included file that is empty sets nothing") {
  write_temp("inc-empty.yaml", "# nothing yet\n");
  const auto main = write_temp("inc-main-empty.yaml", "include: [inc-empty.yaml]\nname: m\n");
  InputContext ctx(main);
  YAML::Node root = YAML::LoadFile(main);
  CHECK(apply_includes(root, ctx, parse).size() == 1);
  CHECK(keys(root) == std::vector<std::string>{"name"});
}
