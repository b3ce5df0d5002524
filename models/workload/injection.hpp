// Workload generators (DESIGN.md §3.5): injection campaigns (files uploaded to one RSE at a
// constant rate, grouped in datasets, each replicated by the campaign's rules), the FDR noise
// cron, and the clock that makes rules and DIDs expire. Each is one long-lived actor.
#pragma once

#include <random>
#include <vector>

#include "models/rucio/daemon.hpp"
#include "models/rucio/server.hpp"
#include "sim/scenario.hpp"

namespace dlsim::models::workload {

class Workload {
 public:
  Workload(rucio::RucioWorld& world, rucio::ServerPool& servers, const sim::Scenario& scenario);
  // Starts the generators on the client host.
  void start(sim::Host* client_host);

 private:
  void run_injection(const sim::InjectionSpec& spec);
  void run_noise(const sim::NoiseSpec& spec);
  void run_expiry_clock();
  // Registers a dataset of `files` on `origin` through the server and adds its rules.
  void register_dataset(const std::string& campaign, std::int64_t files, double bytes_per_file,
                        std::uint16_t origin, std::optional<double> lifetime_s,
                        const std::vector<std::pair<std::uint16_t, std::optional<double>>>& rules);
  std::vector<std::uint16_t> pick_destinations(const sim::RuleSpec& rule, std::uint16_t origin,
                                               std::mt19937_64& rng) const;

  rucio::RucioWorld& world_;
  rucio::ServerPool& servers_;
  const sim::Scenario& scenario_;
};

}  // namespace dlsim::models::workload
