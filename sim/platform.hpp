// The SimGrid platform of a scenario: one host per Kubernetes node, a database host, a client
// host (workload generators), an FTS host, and one storage host per RSE behind its site's
// uplink. Sites reach each other over a backbone; routes are site uplink → uplink.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/seam.hpp"

namespace dlsim::sim {

struct Platform {
  std::vector<std::pair<const scenario::NodePoolSpec*, Host*>> nodes;  // in pool order
  std::map<std::string, Host*> rse_hosts;
  Host* database = nullptr;
  Host* clients = nullptr;
  Host* fts = nullptr;
};

Platform build_platform(const scenario::Scenario& s, RngStreams& rng);

}  // namespace dlsim::sim
