// Raw SimGrid doing what a dlsim run did: the same hosts, VMs (cores, CPU bound), links and
// routes, the same actors created by the same parents on the same hosts, each issuing the same
// sequence of execs (flops, host, priority), sleeps (durations) and comms (bytes, hosts) —
// and nothing else: no model logic, no tables, no sampling, no recorder.
#pragma once

#include <cstdint>

#include "bench/floor/trace.hpp"

namespace dlsim::bench {

struct ReplayStats {
  double end_clock_s = 0;  // where the engine stopped
};

// Builds the platform, runs to `horizon_s` and tears the engine down. One per process.
ReplayStats replay(const Trace& trace, double horizon_s);

}  // namespace dlsim::bench
