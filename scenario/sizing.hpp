// The `sizing:` section of a scenario (docs/scenario.md): how analysis/sizing turns a run into
// requests, limits, replicas and threads, and the targets `dlsim size` verifies. Every rule
// constant is a key here so that a user can see and change it.
#pragma once

#include <map>
#include <string>

namespace dlsim::scenario {

enum class SizingMethod { Vpa, Krr };

struct SizingSpec {
  // Default vpa: the VPA recommender's rules (k/autoscaler
  // vertical-pod-autoscaler/pkg/recommender/); krr: Robusta KRR's "simple" strategy.
  SizingMethod method = SizingMethod::Vpa;
  // Default 1.15: VPA recommendation-margin-fraction 0.15 and KRR memory_buffer_percentage 15
  // (k/autoscaler vertical-pod-autoscaler/pkg/recommender/; KRR's simple strategy).
  double margin = 1.15;
  // After an OOM kill: max(used × 1.2, used + 100 MiB) (VPA DefaultOOMBumpUpRatio,
  // DefaultOOMMinBumpUp).
  double oom_bump_ratio = 1.2;
  double oom_min_bump_bytes = 100.0 * 1024 * 1024;
  // A pod throttled for at least this fraction of its samples did not show its CPU demand.
  // Default 0.01: assumption (one sample in a hundred).
  double throttled_fraction = 0.01;
  // A throttled pod's CPU limit is raised to limit × this. Default 1.5: assumption (no
  // recommender bumps CPU; the verification of `dlsim size` repeats the bump if needed).
  double cpu_throttle_bump = 1.5;
  // Inflow peaks are the highest mean inflow over any window this long. Default 1 h:
  // assumption (a queue table absorbs shorter bursts).
  double peak_window_s = 3600;
  // A queue table is left growing when its final rows are at least this fraction of its
  // maximum and either more than `growing_window` before the end or more than its measured
  // drain rate clears in `growing_window`. Default 0.5 and 2 h: assumption.
  double growing_fraction = 0.5;
  double growing_window_s = 7200;
  // Server workers are sized so that busy workers (Little's law) are at most this fraction
  // of all. Default 0.7: assumption (the usual M/M/c knee).
  double server_utilization = 0.7;
  // p99 latency targets per API operation (e.g. upload: 1s); none by default.
  std::map<std::string, double> p99_targets_s;
};

std::string to_string(SizingMethod m);

}  // namespace dlsim::scenario
