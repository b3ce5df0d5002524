#include "app/run_wiring.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/core.h>
#include <xbt/log.h>

#include "app/run_wiring_fts.hpp"
#include "models/k8s/cluster.hpp"
#include "models/k8s/controllers.hpp"
#include "models/rucio/catalog_initial.hpp"
#include "models/rucio/daemon.hpp"
#include "models/rucio/daemon_plans.hpp"
#include "models/rucio/server.hpp"
#include "models/workload/injection.hpp"
#include "sim/engine_options.hpp"
#include "sim/platform.hpp"

// What the run wiring does, at --log=dlsim_run.thres:info (or dlsim.thres:info).
XBT_LOG_EXTERNAL_CATEGORY(dlsim);
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(dlsim_run, dlsim, "dlsim: building and running a scenario");

namespace dlsim::sim {
namespace k8s = models::k8s;
namespace rucio = models::rucio;

// Service figures per pod as a dashboard shows them (docs/design.md §5): means averaged over the
// service's pods, peaks and percentiles the maximum over them, counts summed.
ServiceSummary summarise_service(const scenario::ServiceSpec& spec,
                                 const std::vector<PodRecord>& pods) {
  ServiceSummary s;
  s.name = spec.name;
  s.kind = spec.kind;
  s.replicas = spec.replicas;
  s.threads = spec.threads;
  s.resources = spec.resources;
  int n = 0;
  for (const auto& p : pods) {
    if (p.service != spec.name || p.node.empty()) continue;  // Pending pods have no figures
    ++n;
    s.cpu_mean_cores += p.cpu_mean_cores;
    s.throttled_fraction += p.throttled_fraction;
    s.cpu_p95_cores = std::max(s.cpu_p95_cores, p.cpu_p95_cores);
    s.cpu_max_cores = std::max(s.cpu_max_cores, p.cpu_max_cores);
    s.mem_ws_max_bytes = std::max(s.mem_ws_max_bytes, p.mem_ws_max_bytes);
    s.mem_rss_max_bytes = std::max(s.mem_rss_max_bytes, p.mem_rss_max_bytes);
    s.oom_kills += p.oom_kills;
    s.restarts += p.restarts;
    s.evictions += p.evictions;
  }
  if (n > 0) {
    s.cpu_mean_cores /= n;
    s.throttled_fraction /= n;
  }
  return s;
}

namespace {

// SIGINT/SIGTERM during a run: nothing has been written yet (the run directory is written
// after the run, with these signals held), so stop at once with the shell's status for a
// signal. Replaces SimGrid's own SIGINT handler, which dumps actors and exits 1.
extern "C" void stop_on_signal(int sig) {
  static const char kMessage[] = "dlsim: interrupted; no run directory written\n";
  (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(128 + sig);
}

}  // namespace

RunResult run_scenario(const scenario::Scenario& s, const RunOptions& options) {
  auto recorder = std::make_unique<Recorder>();
  RngStreams rng(s.seed);
  set_engine_options(options.engine_options);
  Engine engine("dlsim");
  signal(SIGINT, stop_on_signal);
  signal(SIGTERM, stop_on_signal);
  Platform platform = build_platform(s, rng);
  XBT_INFO("%s", fmt::format("platform of '{}': {} node hosts, {} RSE hosts", s.name,
                             platform.nodes.size(), platform.rse_hosts.size())
                     .c_str());
  ModelContext ctx{*recorder, rng, s.duration_s};

  k8s::SchedulerConfig scheduler;
  scheduler.strategy = s.cluster.scheduler_strategy;
  k8s::Cluster cluster(ctx, scheduler);
  for (const auto& [pool, host] : platform.nodes)
    if (!is_fts_vm_pool(s, pool->name)) cluster.add_node(*pool, host->get_name(), host);
  // FTS on Kubernetes has its pool to itself (a taint its pods tolerate).
  if (s.transfers.fts && s.transfers.fts->deployment == scenario::FtsDeployment::K8s)
    cluster.dedicate_pool(s.transfers.fts->pool);

  rucio::Database db(ctx, platform.database, s.database);
  rucio::Catalog catalog;
  models::storage::Storage storage(ctx);
  for (const auto& [name, rse] : s.rses) storage.add(rse, platform.rse_hosts.at(name));
  models::transfer::Fts fts(ctx, platform.fts, storage, s.transfers);
  fts.start_optimizer();
  rucio::RucioWorld world{ctx, db, catalog, storage, fts, s.rucio.model, s.rucio.version};
  rucio::seed_initial_catalog(world, s.rses);  // rses.*.catalog: replicas before the run
  {
    // The submitter's routes: every ordered pair linked at distance 1 unless `no_link_to`;
    // multi-hop through `multihop` RSEs when transfers.multihop is on.
    models::transfer::NetworkConfig config;
    config.use_multihop = s.transfers.multihop;
    config.hop_penalty = s.transfers.hop_penalty;
    auto routes = std::make_unique<models::transfer::Network>(config);
    for (const auto& [name, rse] : s.rses) routes->add_rse(name, rse.multihop);
    for (const auto& [from, rse] : s.rses)
      for (const auto& [to, _] : s.rses)
        if (from != to &&
            std::find(rse.no_link_to.begin(), rse.no_link_to.end(), to) == rse.no_link_to.end())
          routes->add_link(from, to, 1.0);
    fts.set_routes(std::move(routes), [&world](const rucio::RowGroup& copy) {
      rucio::register_intermediate_copies(world, copy);
    });
  }

  // Pods: servers first, then daemons, each in name order (deterministic placement).
  std::map<std::string, std::vector<k8s::Pod*>> pods_of;
  // Batch jobs, vacuum pools, the cluster autoscaler, and the HPA or KEDA of an autoscaled
  // service, which also gets pod slots up to its max.
  k8s::ClusterControllers controllers(cluster, s);
  // One pool of WSGI workers per server service; clients use the first API and auth ones.
  std::map<std::string, std::unique_ptr<rucio::ServerPool>> pools;
  auto autoscale = [&](const scenario::ServiceSpec& svc, double base_memory_bytes) {
    if (!svc.autoscaling) return;
    std::function<std::optional<double>()> metric;
    if (auto table = rucio::table_by_name(svc.autoscaling->table))
      metric = [&db, t = *table] { return static_cast<double>(db.table(t).rows()); };
    if (svc.autoscaling->metric == scenario::AutoscalingMetric::Latency)  // the pool is built below
      metric = [&pools, name = svc.name, p = svc.autoscaling->latency_percentile / 100] {
        return pools.at(name)->take_window_percentile(p);
      };
    controllers.autoscale(svc, pods_of[svc.name], base_memory_bytes, std::move(metric));
  };
  auto create_pods = [&](const scenario::ServiceSpec& svc, double base_memory_bytes) {
    for (int i = 0; i < svc.replicas; ++i) {
      auto idx = cluster.create_pod(fmt::format("{}-{}", svc.name, i), svc.name, svc.resources,
                                    base_memory_bytes);
      pods_of[svc.name].push_back(&cluster.pod(idx));
    }
    autoscale(svc, base_memory_bytes);
    controllers.rollouts(svc, pods_of[svc.name]);
  };
  rucio::ServerPool* api = nullptr;
  rucio::ServerPool* auth = nullptr;
  for (const auto& [name, svc] : s.rucio.servers) {
    // Every WSGI process is a Python interpreter with Rucio loaded.
    create_pods(svc, svc.processes * svc.base_memory_or(s.rucio.model.base_memory_bytes));
    auto& pool = pools[name] = std::make_unique<rucio::ServerPool>(world, name, pods_of[name],
                                                                   svc.processes * svc.threads);
    auto kind = rucio::find_server_kind(svc.kind);
    if (kind == rucio::ServerKind::Api && !api) api = pool.get();
    if (kind == rucio::ServerKind::Auth && !auth) auth = pool.get();
  }
  rucio::ServerPool no_server(world, "none", {}, 1);
  for (const auto& [name, svc] : s.rucio.daemons)
    create_pods(svc, svc.base_memory_or(s.rucio.model.base_memory_bytes));

  // Every Rucio process costs some CPU even when idle (rucio.model.cpu_idle[_server]).
  for (const auto& [name, svc] : s.rucio.servers)
    for (k8s::Pod* pod : pods_of[name])
      pod->set_idle_cores(svc.processes * s.rucio.model.cpu_idle_server_cores);
  for (const auto& [name, svc] : s.rucio.daemons)
    for (k8s::Pod* pod : pods_of[name]) pod->set_idle_cores(s.rucio.model.cpu_idle_cores);

  std::map<std::string, std::unique_ptr<rucio::Daemon>> daemons;
  for (const auto& [name, svc] : s.rucio.daemons) {
    daemons[name] = std::make_unique<rucio::Daemon>(world, svc, pods_of[name]);
    daemons[name]->start();
  }
  models::workload::Workload workload(world, api ? *api : no_server, auth ? *auth : no_server, s);
  workload.start(platform.clients);

  // The FTS deployment of transfers.fts: VMs, or pods after the Rucio ones.
  std::unique_ptr<FtsServices> fts_services;
  if (s.transfers.fts) {
    fts_services = std::make_unique<FtsServices>(s, cluster, fts);
    fts_services->build(controllers, platform.fts);
  }

  controllers.start();
  if (fts_services) fts_services->start();

  // The sampler: monitoring's scrape every sample_interval, and the progress line.
  auto wall_start = std::chrono::steady_clock::now();
  auto last_report = wall_start;
  spawn_clock_keeper("sampler", platform.clients, [&] {
    for (double t = s.sample_interval_s; t <= s.duration_s + 1e-9; t += s.sample_interval_s) {
      sleep_until(t);
      cluster.sample(s.sample_interval_s);
      db.sample();
      storage.sample();
      auto wall = std::chrono::steady_clock::now();
      if (options.progress && wall - last_report > std::chrono::milliseconds(250)) {
        last_report = wall;
        const auto& a = engine_activity_counts();
        options.progress(now(), a.sleeps + a.execs + a.comms + a.actors);
      }
    }
  });
  XBT_INFO("%s", fmt::format("models built; running to {} s", s.duration_s).c_str());
  engine.run_until(s.duration_s);
  const auto& done = engine_activity_counts();
  XBT_INFO("%s",
           fmt::format("engine stopped at {} s after {} sleeps, {} execs, {} comms, {} actors",
                       now(), done.sleeps, done.execs, done.comms, done.actors)
               .c_str());

  Summary summary;
  summary.scenario = s.name;
  summary.seed = s.seed;
  summary.simulated_s = s.duration_s;
  summary.pods = cluster.monitor().pod_records();
  for (const auto& [name, svc] : s.rucio.servers) {
    summary.services.push_back(summarise_service(svc, summary.pods));
    summary.services.back().work = pools.at(name)->work_done();
    for (auto& a : pools.at(name)->summaries()) summary.api.push_back(std::move(a));
  }
  for (const auto& [name, svc] : s.rucio.daemons) {
    summary.services.push_back(summarise_service(svc, summary.pods));
    const auto& d = *daemons.at(name);
    summary.services.back().work = d.work_done();
    summary.services.back().cycles = d.cycles();
  }
  summary.tables = db.table_summaries();
  summary.rses = storage.summaries();
  summary.transfers = fts.summary();
  summary.nodes = cluster.monitor().node_summaries();
  summary.pools = cluster.monitor().pool_summaries();
  if (fts_services) summary.transfers.fts = fts_services->summary(summary.pods, summary.pools);
  summary.jobs = controllers.job_summaries();
  cluster.monitor().fill_pod_counts(summary);
  return RunResult{std::move(summary), std::move(recorder)};
}

}  // namespace dlsim::sim
