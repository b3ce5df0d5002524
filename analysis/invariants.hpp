// Invariants every run must satisfy (issue 12 item 4), checked on its summary and recorded
// events and samples before anything is written. A broken invariant is a defect of dlsim,
// not of the input: `dlsim run` reports every one and exits 3 without a run directory.
//
// - every queue table: inserted − drained = rows at the end, 0 ≤ rows at the end ≤ rows max;
// - no negative count or figure (tables, RSE files and bytes, transfers, service figures);
// - transfers: done ≤ submitted;
// - every OOM kill of a pod is followed by its restart (a Restarted event), a scheduled
//   restart (BackOff) or the end of the pod (restartPolicy Never: phase Failed or Succeeded);
// - no pod sample shows more CPU than the pod's limit;
// - no node pool has more CPU core-hours requested than allocatable.
#pragma once

#include <string>
#include <vector>

#include "sim/recorder.hpp"
#include "sim/summary.hpp"

namespace dlsim::analysis {

// One text per broken invariant (empty: all hold), in a stable order.
std::vector<std::string> check_invariants(const sim::Summary& summary,
                                          const sim::Recorder& recorder);

}  // namespace dlsim::analysis
