// The Rucio REST servers as the workload meets them: each client operation is executed on one
// of the server's pods (round robin), costing CPU per statement it issues and database round
// trips (rucio-1.23.md §8). Per-worker queueing (processes × threads) is not modelled yet.
#pragma once

#include <string>
#include <vector>

#include "models/k8s/pod.hpp"
#include "models/rucio/daemon.hpp"

namespace dlsim::models::rucio {

class ServerPool {
 public:
  ServerPool(RucioWorld& world, std::vector<k8s::Pod*> pods)
      : world_(world), pods_(std::move(pods)) {}

  // Runs one client operation of `statements` statements and `rows` rows of work; blocks the
  // calling (client) actor until it is done. False if no server pod could serve it.
  bool handle(int statements, double rows, double heap_bytes);
  bool empty() const { return pods_.empty(); }

 private:
  RucioWorld& world_;
  std::vector<k8s::Pod*> pods_;
  std::size_t next_ = 0;
};

}  // namespace dlsim::models::rucio
