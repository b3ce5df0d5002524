// Reading transfers.fts (scenario/fts.hpp, docs/scenario.md "transfers.fts"): used by
// parse_transfers in scenario_loader.
#pragma once

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

FtsDeploymentSpec parse_fts_deployment(const InputContext& ctx, const YAML::Node& node,
                                       const std::string& path);

}  // namespace dlsim::scenario
