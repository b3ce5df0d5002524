// Reading the `sizing:` section of a scenario (docs/scenario.md), used by scenario_loader.
#pragma once

#include "scenario/sizing.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

void parse_sizing(const InputContext& ctx, const YAML::Node& node, SizingSpec& out);

}  // namespace dlsim::scenario
