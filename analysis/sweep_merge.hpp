// `dlsim sweep merge DIR…` (docs/sweep.md): the run directories of one plan's sweep output
// directories (shards in any order) joined into one table, one row per point × seed, read
// from each run's summary.json (deterministic, unlike run.json's wall clock); and, over the
// seeds of each point, the probability of at least one OOM kill per service, backlog
// quantiles per queue table, and the smallest setting whose risk is under a threshold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim::analysis {

struct ServiceFigures {
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
  double mem_ws_max_bytes = 0;
  double cpu_mean_cores = 0;
};

struct TableFigures {
  std::int64_t rows_max = 0;
  std::int64_t rows_final = 0;
};

struct MergedRun {
  int point = 0;
  std::int64_t seed = 0;
  std::vector<ServiceFigures> services;  // by MergedSweep::services; absent ones stay 0
  std::vector<TableFigures> tables;      // by MergedSweep::tables
};

struct MergedSweep {
  std::string plan;
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> point_values;  // [point][key], "" = not set
  std::size_t runs_in_plan = 0;
  std::vector<std::string> services;  // first-seen order
  std::vector<std::string> tables;
  std::vector<MergedRun> runs;       // by point, then seed
  std::vector<std::string> missing;  // runs of the plan in none of the directories
};

// Reads DIR/sweep.json and the run directories it lists; InputError if a directory is not a
// sweep's, the plans differ, or a run appears twice.
MergedSweep merge_sweeps(const std::vector<std::string>& dirs);

std::string sweep_csv(const MergedSweep& m);
std::string risk_csv(const MergedSweep& m);
std::string backlog_csv(const MergedSweep& m);
std::string sweep_summary_md(const MergedSweep& m, double threshold);

// "5%" → 0.05, "0.05" → 0.05; nullopt unless in [0, 1].
std::optional<double> parse_fraction(const std::string& text);

// Nearest-rank quantile of `values` (not empty): the smallest value with at least q·n values
// at or below it, so always one of the observed values.
double nearest_rank(std::vector<double> values, double q);

}  // namespace dlsim::analysis
