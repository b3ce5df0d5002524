// RSE expressions (docs/scenario.md#rse-expressions): names, KEY=VALUE attribute terms, unions.
#include <catch2/catch.hpp>

#include "scenario/rse_expression.hpp"

using namespace dlsim;

namespace {
std::map<std::string, scenario::RseSpec> qos_rses() {
  std::map<std::string, scenario::RseSpec> rses;
  for (auto [name, qos] : {std::pair{"A", "FAST"}, std::pair{"B", "SAFE"}, std::pair{"C", "FAST"},
                           std::pair{"D", ""}}) {
    scenario::RseSpec r;
    r.name = name;
    if (*qos) r.attributes["QOS"] = qos;
    rses[name] = r;
  }
  return rses;
}
}  // namespace

TEST_CASE("An attribute term selects every RSE with that value, in name order") {
  auto rses = qos_rses();
  std::vector<std::string> unknown;
  CHECK(scenario::resolve_rse_expression("QOS=FAST", rses, &unknown) ==
        std::vector<std::string>{"A", "C"});
  CHECK(unknown.empty());
}

TEST_CASE("A union mixes names and attribute terms without repeating an RSE") {
  auto rses = qos_rses();
  std::vector<std::string> unknown;
  CHECK(scenario::resolve_rse_expression("C|QOS=SAFE|QOS=FAST", rses, &unknown) ==
        std::vector<std::string>{"C", "B", "A"});
  CHECK(unknown.empty());
}

TEST_CASE("An attribute term that selects nothing and an unknown name are reported") {
  auto rses = qos_rses();
  std::vector<std::string> unknown;
  CHECK(scenario::resolve_rse_expression("QOS=CHEAP|E|D", rses, &unknown) ==
        std::vector<std::string>{"D"});
  CHECK(unknown == std::vector<std::string>{"QOS=CHEAP", "E"});
}
