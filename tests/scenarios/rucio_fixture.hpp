// A small Rucio world for mechanism tests: one 8-core node, a database, RSEs, FTS and the
// daemons a test adds, with rows put straight into the queue tables. One per process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include "models/k8s/cluster.hpp"
#include "models/rucio/daemon.hpp"
#include "models/rucio/daemon_catalog.hpp"

namespace dlsim::testing {

// An RSE of the tests: name, site, quota, min_free and an optional failure rate.
inline scenario::RseSpec rse(std::string name, std::string site, double quota, double min_free = 0,
                             std::optional<double> failure_rate = std::nullopt) {
  scenario::RseSpec r;
  r.name = std::move(name);
  r.site = std::move(site);
  r.quota_bytes = quota;
  r.min_free_bytes = min_free;
  r.failure_rate = failure_rate;
  return r;
}

struct RucioFixture {
  sim::Engine engine{"test"};
  sim::Recorder recorder;
  sim::RngStreams rng{1};
  sim::ModelContext ctx{recorder, rng, 1e6};
  scenario::RucioCostSpec cost;
  scenario::DatabaseSpec db_spec;
  models::k8s::Cluster cluster{ctx, {}};
  std::unique_ptr<models::rucio::Database> db;
  models::rucio::Catalog catalog;
  models::storage::Storage storage{ctx};
  std::unique_ptr<models::transfer::Fts> fts;
  std::unique_ptr<models::rucio::RucioWorld> world;
  std::vector<std::unique_ptr<scenario::ServiceSpec>> specs;
  std::vector<std::unique_ptr<models::rucio::Daemon>> daemons;
  simgrid::s4u::NetZone* zone = nullptr;
  sim::Host* node = nullptr;
  std::vector<scenario::RseSpec> rse_specs;

  explicit RucioFixture(scenario::DatabaseEngine engine_kind = scenario::DatabaseEngine::PostgreSQL,
                        std::vector<scenario::RseSpec> rses = {rse("A", "S1", 1e15, 0)},
                        std::string version = "1.23")
      : rse_specs(std::move(rses)), version_(std::move(version)) {
    db_spec.engine = engine_kind;
    zone = simgrid::s4u::create_full_zone("z");
    node = zone->create_host("node-1", sim::kCoreSpeed)->set_core_count(8);
    auto* db_host = zone->create_host("database", sim::kCoreSpeed)->set_core_count(16);
    auto* fts_host = zone->create_host("fts", sim::kCoreSpeed)->set_core_count(64);
    std::vector<sim::Host*> rse_hosts;
    for (const auto& r : rse_specs)
      rse_hosts.push_back(zone->create_host("rse-" + r.name, sim::kCoreSpeed));
    auto* link = zone->create_link("lan", 1.25e9)->set_latency(1e-4);
    for (std::size_t i = 0; i < rse_hosts.size(); ++i)
      for (std::size_t j = i + 1; j < rse_hosts.size(); ++j)
        zone->add_route(rse_hosts[i]->get_netpoint(), rse_hosts[j]->get_netpoint(), nullptr,
                        nullptr, {simgrid::s4u::LinkInRoute(link)}, true);
    zone->seal();
    scenario::NodePoolSpec pool;
    pool.name = "default";
    pool.cpu_cores = 8;
    pool.mem_bytes = 64e9;
    cluster.add_node(pool, "node-1", node);
    db = std::make_unique<models::rucio::Database>(ctx, db_host, db_spec);
    for (std::size_t i = 0; i < rse_specs.size(); ++i) storage.add(rse_specs[i], rse_hosts[i]);
    fts = std::make_unique<models::transfer::Fts>(ctx, fts_host, storage, transfer_spec);
    world = std::make_unique<models::rucio::RucioWorld>(
        models::rucio::RucioWorld{ctx, *db, catalog, storage, *fts, cost, version_});
  }

  // Adds and starts a daemon of `kind` with the given pods, threads, memory limit and options.
  models::rucio::Daemon& add_daemon(const std::string& kind, int replicas, int threads,
                                    std::optional<double> mem_limit_bytes = std::nullopt,
                                    std::map<std::string, double> options = {}) {
    auto spec = std::make_unique<scenario::ServiceSpec>();
    spec->name = kind;
    spec->kind = kind;
    spec->replicas = replicas;
    spec->threads = threads;
    spec->resources = {0.7, 0.7, mem_limit_bytes, mem_limit_bytes};
    for (const auto& opt : models::rucio::find_daemon_kind(kind)->options)
      spec->options[opt.name] = models::rucio::option_default(opt, version_);
    for (const auto& [k, v] : options) spec->options[k] = v;
    std::vector<models::k8s::Pod*> pods;
    for (int i = 0; i < replicas; ++i)
      pods.push_back(&cluster.pod(cluster.create_pod(kind + "-" + std::to_string(i), kind,
                                                     spec->resources, cost.base_memory_bytes)));
    daemons.push_back(std::make_unique<models::rucio::Daemon>(*world, *spec, pods));
    daemons.back()->start();
    specs.push_back(std::move(spec));
    return *daemons.back();
  }

  models::k8s::Pod& pod_of(const std::string& name) {
    for (const auto& p : cluster.pods())
      if (p->name() == name) return *p;
    throw std::logic_error("no pod " + name);
  }

  // Runs until `until_s`, calling `watch` every `every_s` from a monitoring actor.
  void run(double until_s, double every_s = 1.0, std::function<void()> watch = {}) {
    sim::spawn_clock_keeper("monitor", node, [=] {
      for (double t = every_s; t <= until_s + 1e-9; t += every_s) {
        sim::sleep_until(t);
        if (watch) watch();
      }
    });
    engine.run_until(until_s);
  }

  scenario::TransferSpec transfer_spec;

 private:
  std::string version_;
};

}  // namespace dlsim::testing
