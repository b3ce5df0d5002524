// Whole-scenario validation: the checks that need more than one field (references between
// sections, requests against limits, sizes against quotas). Runs after parsing, before any
// SimGrid object exists.
#pragma once

#include <yaml-cpp/yaml.h>

#include "sim/scenario.hpp"
#include "sim/yaml_reader.hpp"

namespace dlsim::sim {

// Throws InputError at the offending key.
void validate_scenario(const Scenario& s, const YAML::Node& root, const InputContext& ctx);

// The RSE names an expression selects: names joined by '|', or '*' for all RSEs. Unknown
// names are returned in `unknown`.
std::vector<std::string> resolve_rse_expression(const std::string& expression,
                                                const std::map<std::string, RseSpec>& rses,
                                                std::vector<std::string>* unknown = nullptr);

}  // namespace dlsim::sim
