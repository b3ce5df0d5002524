// What a Rucio process does, counted in the units the cost constants price (sim::WorkCounts,
// docs/design.md §3.3), and what that work costs in CPU.
#pragma once

#include "scenario/scenario.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::rucio {

// The units are sim::WorkCounts, the struct the run summary sums them in.
using Work = sim::WorkCounts;

// Core-seconds of CPU the work costs in the process that does it.
inline double cpu_seconds(const Work& w, const scenario::RucioCostSpec& k) {
  return w.statements * k.cpu_per_statement_s + w.rows * k.cpu_per_row_s +
         w.dedup_pairs * k.cpu_per_dedup_pair_s + w.messages * k.cpu_per_message_s +
         w.requests * k.cpu_per_request_s + w.fts_calls * k.cpu_per_fts_call_s;
}

}  // namespace dlsim::models::rucio
