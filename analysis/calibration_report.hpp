// What `dlsim calibrate` prints and writes: the fit per service with its residuals, the
// figures read from Prometheus, and the overlay YAML (a scenario fragment with the fitted
// rucio.model constants and per-service base memories).
#pragma once

#include <optional>
#include <string>

#include "analysis/calibration.hpp"
#include "analysis/prometheus_observations.hpp"

namespace dlsim::analysis {

// Relative residual of the fit: (after − observed) / observed, the CPU observation being the
// middle of its range; nothing without an observation (or with an observation of 0).
std::optional<double> cpu_residual(const ServiceFit& f);
std::optional<double> mem_residual(const ServiceFit& f);

// One line per service: observed, before, after and relative residual, CPU then memory; a
// footnote for the services left out of the CPU fit. `prefix` starts every line ("# " in YAML).
std::string fit_table(const Calibration& fit, const std::string& prefix = "");

// The per-service figures derived from the Prometheus series.
std::string observations_table(const PrometheusObservations& observed);

// The overlay: `rucio.model` with every cost constant, `rucio.daemons.<name>.base_memory` and
// `rucio.servers.<name>.base_memory` for each service with a memory observation, and the fit
// table as comments (unless `with_fit_table` is false). `command` is recorded in the first
// comment line.
std::string overlay_yaml(const Calibration& fit, const std::string& command,
                         bool with_fit_table = true);

}  // namespace dlsim::analysis
