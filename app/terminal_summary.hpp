// What `dlsim run` prints on the terminal after a run: the answer the scenario exists for,
// and nothing about parts it does not contain (docs/design.md "Command line").
#pragma once

#include <string>

#include "scenario/scenario.hpp"
#include "sim/summary.hpp"

namespace dlsim::sim {

// The summary's tables, each only when the scenario has what it describes:
// - services: when it has Rucio servers or daemons; with them, the queue tables that
//   received rows (none: no queue table);
// - transfers: when it has RSEs or submitted transfers; with `transfers.fts`, a line of FTS
//   figures (queue wait p50/p95/max, transfers per hour mean/max, memory for transfers);
// - batch jobs and vacuum pools (pods, waits, hours): when it has any;
// - autoscaled services (replicas min/max, pod-hours): when one has `autoscaling`;
// - node pools (nodes, node-hours, core-hours allocatable/requested/used/idle, cost): always.
std::string terminal_summary(const scenario::Scenario& scenario, const Summary& summary);

}  // namespace dlsim::sim
