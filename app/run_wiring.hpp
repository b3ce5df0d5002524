// Runs one scenario: builds the SimGrid platform (node pools as hosts, the database host,
// RSE hosts behind their site links), the models on it, runs the engine to the scenario's
// end and collects the summary. One engine per process (docs/references.md#simgrid).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/recorder.hpp"
#include "sim/summary.hpp"

namespace dlsim::sim {

struct RunOptions {
  // Called with the simulated time about every 0.25 s of wall time (progress line).
  std::function<void(double simulated_s, std::uint64_t activities)> progress;
  // SimGrid switches for the engine ("--log=…", "--cfg=…"; sim/engine_options.hpp).
  std::vector<std::string> engine_options;
};

struct RunResult {
  Summary summary;
  std::unique_ptr<Recorder> recorder;
};

RunResult run_scenario(const scenario::Scenario& scenario, const RunOptions& options = {});

}  // namespace dlsim::sim
