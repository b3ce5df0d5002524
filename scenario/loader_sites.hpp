// Reading the sites of a scenario (docs/scenario.md: `network:`, `rses:` with their catalog
// and failure episodes, `transfers:`): used by scenario/loader.cpp.
#pragma once

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

void parse_network(const InputContext& ctx, const YAML::Node& node, NetworkSpec& net);
void parse_rses(const InputContext& ctx, const YAML::Node& node,
                std::map<std::string, RseSpec>& rses);
void parse_transfers(const InputContext& ctx, const YAML::Node& node, TransferSpec& t);

}  // namespace dlsim::scenario
