// `dlsim calibrate` (docs/calibration.md): runs a scenario once and fits its rucio.model cost
// constants to observed usage, read from a CSV or from Prometheus query_range exports.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace dlsim::sim {

struct CalibrateArgs {
  std::string scenario;
  std::string observed;                  // --observed CSV
  std::vector<std::string> prometheus;   // --prometheus [KIND=]FILE
  std::vector<std::string> label_rules;  // --label-rule LABEL=REGEX
  std::string output;
  std::vector<std::string> sets;
  std::vector<std::string> fit{"message"};
};

CLI::App* add_calibrate_command(CLI::App& app, CalibrateArgs& args);

// Exit status 0; InputError for bad input (the caller prints it and exits 2).
int command_calibrate(const CalibrateArgs& args);

}  // namespace dlsim::sim
