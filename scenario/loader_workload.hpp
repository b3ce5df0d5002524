// Reading the workload of a scenario (docs/scenario.md: `workload:` injections with their
// rules and attach clients, deletions, API clients): used by scenario/loader.cpp.
#pragma once

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

void parse_workload(const InputContext& ctx, const YAML::Node& node, WorkloadSpec& w);

}  // namespace dlsim::scenario
