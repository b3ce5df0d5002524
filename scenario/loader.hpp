// Scenario loading: file → YAML (with line:col) → --set overrides → typed Scenario →
// whole-scenario validation. Any problem throws InputError with a located message; nothing
// is built or written before the whole scenario is known to be valid.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/scenario.hpp"

namespace dlsim::scenario {

struct LoadedScenario {
  Scenario scenario;
  // The file's bytes followed by those of each included file in reading order (`include`), for
  // the scenario_sha256 in run.json.
  std::string source_text;
};

// `set_args` are the raw "key.path=value" strings of --set, in command-line order.
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& set_args);

// Parses an in-memory document (tests); `file` names it in messages.
LoadedScenario load_scenario_text(const std::string& text, const std::string& file,
                                  const std::vector<std::string>& set_args);

}  // namespace dlsim::scenario
