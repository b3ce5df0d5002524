// `dlsim check`: a run's sizing.csv and outcomes against a committed baseline sizing.csv
// (docs/ci.md). A number moved when |now − baseline| > max(abs_tol, rel_tol × |baseline|);
// an outcome is new when the run has OOM kills, evictions or a growing table for a service
// whose baseline row has none (the `[oom_kills=… evictions=… growing=…]` tag of its reason).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dlsim::analysis {

// The numeric columns of sizing.csv, in file order.
const std::vector<std::string>& sizing_numeric_columns();

struct SizingRow {
  std::string service;
  int line = 0;
  std::map<std::string, std::optional<double>> values;  // column → value (empty = unset)
  std::string reason;
  // From the reason's tag.
  std::int64_t oom_kills = 0;
  std::int64_t evictions = 0;
  std::set<std::string> growing;
};

// Parses a sizing.csv; throws scenario::InputError at FILE:LINE:COL for anything malformed.
std::vector<SizingRow> parse_sizing_csv(const std::string& text, const std::string& file);
std::vector<SizingRow> read_sizing_csv(const std::string& path);

// Parses "[oom_kills=2 evictions=1 growing=MESSAGES]" at the start of a reason.
void parse_outcome_tag(SizingRow& row);

struct Tolerance {
  double rel = 0;
  double abs = 0;
};

// Defaults: replicas and threads exact; CPU ±10 % or 5 m; memory ±10 % or 16 MiB.
std::map<std::string, Tolerance> default_tolerances();

struct Moved {
  std::string service;
  std::string column;
  std::string baseline;
  std::string now;
  std::string change;
};

struct CheckResult {
  std::vector<Moved> moved;
  std::vector<std::string> new_outcomes;  // OOM kills, evictions, growing tables
  bool ok() const { return moved.empty() && new_outcomes.empty(); }
};

// Outcomes of the run per service, from its summary.json and sizing.json.
struct RunOutcome {
  std::int64_t oom_kills = 0;
  std::int64_t evictions = 0;
  std::set<std::string> growing;
};

std::map<std::string, RunOutcome> read_run_outcomes(const std::string& run_dir);

CheckResult compare_sizing(const std::vector<SizingRow>& baseline,
                           const std::vector<SizingRow>& now,
                           const std::map<std::string, RunOutcome>& outcomes,
                           const std::map<std::string, Tolerance>& tolerances);

std::string format_check(const CheckResult& r);

}  // namespace dlsim::analysis
