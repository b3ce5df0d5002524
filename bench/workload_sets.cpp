#include "bench/workload_sets.hpp"

#include <cmath>

#include <fmt/core.h>

#include "scenario/loader.hpp"

namespace dlsim::bench {

std::vector<std::string> campaign_sets(const std::string& scenario, double scale, bool daily) {
  std::vector<std::string> sets;
  const auto loaded = scenario::load_scenario(scenario, {});
  for (const auto& [name, inj] : loaded.scenario.workload.injections) {
    if (scale != 1)
      sets.push_back(fmt::format("workload.injections.{}.files={}", name,
                                 std::llround(scale * static_cast<double>(inj.files))));
    if (daily) sets.push_back(fmt::format("workload.injections.{}.every=24h", name));
  }
  return sets;
}

std::vector<std::string> deployment_sets(const std::string& scenario, double factor) {
  const scenario::Scenario s = scenario::load_scenario(scenario, {}).scenario;
  auto times = [factor](double n) { return std::llround(factor * n); };
  std::vector<std::string> sets;
  for (const auto& [name, svc] : s.rucio.servers)
    sets.push_back(fmt::format("rucio.servers.{}.replicas={}", name, times(svc.replicas)));
  for (const auto& [name, svc] : s.rucio.daemons)
    sets.push_back(fmt::format("rucio.daemons.{}.replicas={}", name, times(svc.replicas)));
  for (const auto& [name, pool] : s.cluster.node_pools)
    sets.push_back(fmt::format("cluster.node_pools.{}.count={}", name, times(pool.count)));
  for (const auto& [name, inj] : s.workload.injections)
    sets.push_back(fmt::format("workload.injections.{}.uploaders={}", name, times(inj.uploaders)));
  sets.push_back(fmt::format("database.cpu={}", times(s.database.cpu_cores)));
  sets.push_back(fmt::format("transfers.max_url_copy_processes={}",
                             times(s.transfers.max_url_copy_processes)));
  sets.push_back("transfers.optimizer=false");
  sets.push_back(
      fmt::format("transfers.max_active_per_link={}", times(s.transfers.max_active_per_link)));
  return sets;
}

const std::vector<std::string>& draining_soak_sets() {
  static const std::vector<std::string> sets = {"transfers.setup_time=20s"};
  return sets;
}

}  // namespace dlsim::bench
