// Reading the Rucio parts of a scenario (docs/scenario.md: `rucio:` servers, daemons, their
// options and model constants; `database:`): used by scenario/loader.cpp.
#pragma once

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

void parse_database(const InputContext& ctx, const YAML::Node& node, DatabaseSpec& db);
void parse_rucio(const InputContext& ctx, const YAML::Node& node, RucioSpec& rucio_spec);

}  // namespace dlsim::scenario
