// One `dlsim run` of a scenario as a user types it, in its own process, into a temporary
// run directory; returns the kernel's view of the process and the run's run.json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/child.hpp"

namespace dlsim::bench {

struct DlsimRun {
  ChildRun process;        // wall (whole process), CPU, peak RSS, exit status
  nlohmann::json run;      // run.json (docs/outputs.md): simulated_s, engine_activities, wall_clock
  nlohmann::json summary;  // summary.json (docs/outputs.md): transfers, tables, services

  bool ok() const { return process.exit_status == 0; }
  double simulation_wall_s() const { return run["wall_clock"]["wall_s"].get<double>(); }
  std::uint64_t engine_activities() const;
  // summary.json's transfers.done, and the rows inserted into all its tables.
  double transfers_done() const;
  double table_rows_inserted() const;
};

// When dlsim fails, says so on stderr and returns with process.exit_status ≠ 0 and no `run`.
// With `rss_period_s` > 0 the process' VmRSS is sampled that often (process.rss_samples).
// A non-empty `prefix` (a path first) runs `prefix... binary run …`, e.g. under `perf record`.
DlsimRun run_dlsim(const std::string& binary, const std::string& scenario,
                   const std::vector<std::string>& sets, double rss_period_s = 0,
                   const std::vector<std::string>& prefix = {});

}  // namespace dlsim::bench
