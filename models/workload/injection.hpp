// Workload generators (docs/design.md §3.5): injection campaigns (files uploaded to one RSE at a
// constant rate, grouped in datasets, optionally attached to a container, replicated by the
// campaign's rules), the FDR noise cron, the clock that makes rules and DIDs expire, API
// client populations (list calls in a closed loop), and the clients' hourly auth tokens. Each is
// one long-lived actor; clients talk to the servers through the REST calls a Rucio 1.23 client
// makes.
#pragma once

#include <random>
#include <vector>

#include "models/rucio/daemon.hpp"
#include "models/rucio/server.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::models::workload {

class Workload {
 public:
  Workload(rucio::RucioWorld& world, rucio::ServerPool& api, rucio::ServerPool& auth,
           const scenario::Scenario& scenario);
  // Starts the generators on the client host.
  void start(sim::Host* client_host);

 private:
  // One download: `bytes` from an RSE holding files to the clients' host.
  void download(double bytes, std::mt19937_64& rng);
  sim::Host* client_host_ = nullptr;  // where the clients' actors run
  struct RuleTarget {
    std::uint16_t rse;
    const scenario::RuleSpec* spec;
  };
  // A campaign: its window, then again every `every` (scenario::InjectionSpec::every_s).
  void run_injection(const scenario::InjectionSpec& spec);
  // One window [start, end) of a campaign: its container and container rules, its uploaders.
  void inject_window(const scenario::InjectionSpec& spec, double start, double end);
  // A container rule added at `at_s` on the container as it is then (`after`).
  void container_rule_later(const scenario::RuleSpec& rule, std::uint32_t container,
                            std::uint16_t origin, double at_s, std::mt19937_64& rng);
  // The upload clients' auth tokens for the window [start, end).
  void spawn_upload_tokens(const scenario::InjectionSpec& spec, double start, double end);
  void run_noise(const scenario::NoiseSpec& spec);
  // A deletion campaign (deletion.cpp): tombstones on the initial catalog for the reaper.
  void run_deletion(const scenario::DeletionSpec& spec);
  void run_expiry_clock();
  // One client's hourly auth tokens, the first at `first_s`, none from `until_s` on.
  void run_tokens(double first_s, double until_s);
  void run_client(const scenario::ClientPopulationSpec& spec, int index);
  // Uploads a dataset of `files` on `origin` through the API and adds its dataset rules.
  std::uint32_t register_dataset(const std::string& campaign, std::int64_t files,
                                 double bytes_per_file, std::uint16_t origin,
                                 std::optional<double> lifetime_s,
                                 std::optional<std::uint32_t> container,
                                 const std::vector<RuleTarget>& rules);
  // Dataset k of a campaign with `attach: per_file` (attach.cpp): created when its upload
  // starts at `start_s`, its files attached as they are uploaded until `end_s`, then its
  // dataset rules.
  void upload_per_file(const scenario::InjectionSpec& spec, std::int64_t files, double start_s,
                       double end_s, std::optional<std::uint32_t> container,
                       const std::vector<RuleTarget>& rules);
  // Creates an empty dataset on `origin` through the API, attached to `container`.
  std::uint32_t create_dataset(const scenario::InjectionSpec& spec, std::uint16_t origin,
                               std::optional<std::uint32_t> container);
  // Uploads `files` files into dataset `id` with `calls` attach calls.
  void attach_files(std::uint32_t id, std::int64_t files, std::int64_t calls);
  // Creates a rule (after serving its API call unless `served`): INJECT or applied at once.
  std::uint32_t add_rule(rucio::Rule rule, const scenario::RuleSpec& spec, std::int64_t file_copies,
                         bool served = false);
  // The API call that creates a rule of `file_copies`.
  rucio::ApiCalls rule_call(const scenario::RuleSpec& spec, std::int64_t file_copies) const;
  static bool injected(const scenario::RuleSpec& spec, std::int64_t file_copies);
  // The destinations of a new dataset's dataset-level rules.
  std::vector<RuleTarget> dataset_rules(const scenario::InjectionSpec& spec, std::uint16_t origin,
                                        std::mt19937_64& rng) const;
  std::vector<std::uint16_t> pick_destinations(const scenario::RuleSpec& rule, std::uint16_t origin,
                                               std::mt19937_64& rng) const;

  rucio::RucioWorld& world_;
  rucio::ServerPool& api_;
  rucio::ServerPool& auth_;
  const scenario::Scenario& scenario_;
};

}  // namespace dlsim::models::workload
