// The --set overrides bench/targets runs the FDR with: its campaigns scaled or repeated daily,
// the deployment scaled with the workload (linearity), and a week whose days drain (soak).
#pragma once

#include <string>
#include <vector>

namespace dlsim::bench {

// Every injection campaign of `scenario`: files × `scale` (rounded), and, if `daily`, again
// every 24 h.
std::vector<std::string> campaign_sets(const std::string& scenario, double scale, bool daily);

// The deployment × `factor`, so that a workload × factor is processed within the run as the
// workload × 1 is (issue 12's linearity is the engine's cost against the work done, and a
// deployment that saturates does less work than it is asked): every server's and daemon's
// replicas, every campaign's uploaders (the clients: with 10 per campaign the FDR's ×4 and
// ×8 inject only 2.3 M and 3.2 M of their 3.4 M and 6.8 M files in the day), every node
// pool's nodes and the database's cores × factor; FTS's url-copy
// processes × factor, and its links at a fixed `max_active_per_link` × factor with the
// optimizer off (the optimizer's 130 per link and 200 per storage are FTS constants that the
// scenario cannot scale, and they saturate CTA's links from × 2 on).
std::vector<std::string> deployment_sets(const std::string& scenario, double factor);

// A soak whose days drain: FTS's per-file overhead at 20 s instead of the FDR's calibrated
// 30 s, so that each day's transfers are done before the next day's campaigns start (with 30 s
// about 28 k of the day's 848 k are left, and the backlog carried from day to day keeps
// conveyor-poller cycling back to back for longer each day). docs/performance.md, "7-day FDR".
const std::vector<std::string>& draining_soak_sets();

}  // namespace dlsim::bench
