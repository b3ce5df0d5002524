// Where the time goes, printed by bench/targets below its table for every target not met
// (issue 12: "for one that is not, the profile that shows where the time goes and what change
// would get there"):
//   (a) the measured run's engine activities by kind (run.json `engine_activities`), per
//       transferred file and per table row, and the daemon cycles and server requests by
//       service (summary.json `services[].work`): who asks the engine for what;
//   (b) when `perf` is on the PATH and may record, one more run of the same scenario under
//       `perf record -e cpu-clock` (sampling only, no call graphs: cheap), its samples grouped
//       by DSO into SimGrid engine / dlsim models / libc malloc / other, with the top symbols
//       of each group;
//   (c) the docs/performance.md section that says what change would get the target met.
#pragma once

#include <string>
#include <vector>

#include "bench/dlsim_run.hpp"

namespace dlsim::bench {

// A target group that was not met: the run that measured it and how to profile it again
// (an empty scenario: no perf run, e.g. for a memory target).
struct Miss {
  std::string what;                    // e.g. "FDR 24 h"
  DlsimRun measured;                   // the run whose figures the table shows
  std::string scenario;                // for the perf run
  std::vector<std::string> perf_sets;  // the measured run's sets, maybe with a shorter duration
  std::string doc_section;             // heading in docs/performance.md
};

// (a): activities by kind, per file and per row, and work by service, of one run.
void print_activity_profile(const DlsimRun& run);

// (b): one run under perf record, grouped; one line saying why when perf cannot record.
void print_perf_profile(const std::string& dlsim, const std::string& scenario,
                        const std::vector<std::string>& sets);

// (a), (b) and (c) for every miss.
void print_profiles(const std::string& dlsim, const std::vector<Miss>& misses, bool with_perf);

}  // namespace dlsim::bench
