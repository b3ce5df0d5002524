// Calibration of the global Rucio cost constants against observed usage (docs/design.md §3.3:
// "how much CPU and memory each operation costs is a parameter with a documented default,
// calibrated on fdr/observed.csv").
//
// CPU: every service's CPU is its work (statements, rows, messages, HTTP requests, de-dup
// pairs) priced by the same constants, so the mean cores per pod are linear in them:
// cores_s = Σ_k work_k,s / (duration × pods_s) × c_k. The constants are the non-negative
// least-squares fit of that system to the observed typical CPU, with relative weights
// (each service counts by its relative error), over the constants chosen to fit; the others
// stay fixed. By default only the message cost is fitted: the statement, row and
// de-duplication costs are measurements (docs/references.md#measured [M]) and the request cost is
// left to its documented value, so that a missing mechanism shows as a misfit instead of
// being absorbed by a constant.
// Memory: a pod's working set is processes × base + the heap its work held. Each observed
// service gets its own base (observed − heap, per process: "base memory per daemon"), and the
// global base that every other service keeps is the relative least-squares fit over the
// observed daemons.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "scenario/scenario.hpp"
#include "sim/summary.hpp"

namespace dlsim::analysis {

// One row of observed.csv.
struct Observation {
  std::string service;
  std::optional<double> cpu_low_cores;   // "2-4" → 2, "0.02" → 0.02
  std::optional<double> cpu_high_cores;  // "2-4" → 4, "0.02" → 0.02
  std::optional<double> mem_bytes;       // typical working set
};

// Reads observed.csv (service,limits_in_force,cpu_typical,cpu_peak,mem_typical,mem_peak,...);
// throws scenario::InputError on malformed lines.
std::vector<Observation> read_observations(const std::string& path);

// Non-negative least squares (Lawson-Hanson active set): argmin ‖A x − b‖ subject to x ≥ 0.
Eigen::VectorXd nnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b);

struct ServiceFit {
  std::string service;
  std::optional<double> cpu_low_cores, cpu_high_cores, mem_observed_bytes;
  double cpu_before_cores = 0, cpu_after_cores = 0;
  double mem_before_bytes = 0, mem_after_bytes = 0;
  bool daemon = true;
  bool cpu_unexplained = false;  // left out of the CPU fit: its load is not in the scenario
  std::optional<double> base_memory_bytes;  // fitted base per process (memory observed)
};

struct Calibration {
  scenario::RucioCostSpec constants;  // the fitted constants (others as given)
  std::vector<ServiceFit> services;
};

// The CPU constants calibration can fit, by the names used in --fit.
enum class CpuConstant { Statement, Row, Message, Request, FtsCall, Idle, IdleServer };
std::optional<CpuConstant> parse_cpu_constant(std::string_view name);

// Fits the constants in `fit` (and the base memory) to a run of `scenario` summarised in
// `summary`.
Calibration calibrate(const scenario::Scenario& scenario, const sim::Summary& summary,
                      const std::vector<Observation>& observed,
                      const std::vector<CpuConstant>& fit = {CpuConstant::Message});

}  // namespace dlsim::analysis
