// Whole-scenario validation: the checks that need more than one field (references between
// sections, requests against limits, sizes against quotas). Runs after parsing, before any
// SimGrid object exists.
#pragma once

#include <yaml-cpp/yaml.h>

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

// Throws InputError at the offending key.
void validate_scenario(const Scenario& s, const YAML::Node& root, const InputContext& ctx);

}  // namespace dlsim::scenario
