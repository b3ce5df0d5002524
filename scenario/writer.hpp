// The resolved scenario (scenario.resolved.yaml): every value the run used, overrides applied
// and defaults filled in, in the scenario's own syntax, so that it loads back to the same run.
#pragma once

#include <string>

#include "scenario/scenario.hpp"

namespace dlsim::scenario {

std::string resolved_scenario_yaml(const Scenario& s);

}  // namespace dlsim::scenario
