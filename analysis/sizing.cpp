// size_run: one run's samples and summary → the sizing of every Rucio service, the nodes
// and the failures that keep the run from verifying its deployment.
#include "analysis/sizing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/core.h>
#include <fmt/format.h>

#include "analysis/stream_quantiles.hpp"

namespace dlsim::analysis {
namespace {

// CPU samples of one service's pods, as the sizing needs them (CpuObserved).
struct ServiceSamples {
  double p90_cores = 0;
  double peak_cores = 0;
  std::vector<double> pod_p95_cores;
};

// timeseries/pods.csv columns: cpu_cores, throttled_fraction, mem_ws_bytes, mem_rss_bytes,
// restarts (models/k8s/cluster.cpp). The percentiles are exact and read from the series'
// rows in passes (stream_quantiles.hpp): a week of 15-s samples is never held in memory.
std::map<std::string, ServiceSamples> pod_samples(const sim::Summary& summary,
                                                  const sim::Recorder& r) {
  std::map<std::string, std::string> service_of;
  for (const auto& p : summary.pods) service_of[p.name] = p.service;
  // Keys: one per service (its pooled P90), then one per pod (its P95).
  std::vector<std::string> services;
  std::map<std::string, std::size_t> service_key;
  for (const auto& [_, svc] : service_of)
    if (service_key.try_emplace(svc, services.size()).second) services.push_back(svc);
  std::vector<double> p(services.size(), 0.9);
  const sim::Series* pods = nullptr;
  for (const auto& s : r.series())
    if (s.name == "pods") pods = &s;
  std::map<std::string, ServiceSamples> out;
  if (!pods) return out;
  // Per object of the series: its service's key and its own (nullopt: not a Rucio pod).
  std::vector<std::optional<std::pair<std::size_t, std::size_t>>> keys_of;
  std::vector<std::string> pod_service;
  for (const auto& name : pods->object_names) {
    auto it = service_of.find(name);
    keys_of.emplace_back();
    if (it == service_of.end()) continue;
    keys_of.back() = std::make_pair(service_key[it->second], p.size());
    p.push_back(0.95);
    pod_service.push_back(it->second);
  }
  const auto q = stream_quantiles(p, [&](const auto& emit) {
    pods->for_each_row([&](const sim::SeriesRow& row) {
      if (const auto& k = keys_of[row.object]) {
        emit(k->first, row.values[0]);
        emit(k->second, row.values[0]);
      }
    });
  });
  for (std::size_t k = 0; k < services.size(); ++k) out[services[k]] = {q[k].value, q[k].max, {}};
  for (std::size_t k = services.size(); k < q.size(); ++k)
    if (q[k].count > 0) out[pod_service[k - services.size()]].pod_p95_cores.push_back(q[k].value);
  return out;
}

const scenario::ServiceSpec* find_service(const scenario::Scenario& s, const std::string& name,
                                          bool& daemon) {
  if (auto it = s.rucio.daemons.find(name); it != s.rucio.daemons.end()) {
    daemon = true;
    return &it->second;
  }
  if (auto it = s.rucio.servers.find(name); it != s.rucio.servers.end()) {
    daemon = false;
    return &it->second;
  }
  return nullptr;
}

void size_daemon_replicas(ServiceSizing& z, const scenario::ServiceSpec& svc,
                          const std::vector<TableDrain>& tables) {
  std::vector<std::string> why;
  // A pod killed for memory (OOMKilled or evicted) drops the rows it held and starts over
  // after its back-off, so a table it drains grows whatever the workers: the drain rate
  // this run measured is that of restarting pods. The memory rule raises the pod's memory
  // first; replicas wait for a round without kills to measure the drain again.
  const std::int64_t killed = z.oom_kills + z.evictions;
  for (const auto& d : tables) {
    if (d.service != z.service) continue;
    why.push_back(fmt::format("{}: {}", d.table, d.verdict));
    if (killed > 0 && d.replicas_recommended > svc.replicas) {
      why.back() += fmt::format(
          "; replicas kept at {}: its pods were killed for memory {}× in this run, so the "
          "drain measured is that of restarting pods; memory is raised first",
          svc.replicas, killed);
    } else {
      z.replicas = std::max(z.replicas, d.replicas_recommended);
    }
    if (!d.flow.growing || d.on_demand) continue;
    z.growing_tables.push_back(d.table);
    if (!z.cpu.clipped && d.partitioning != "none")
      why.back() +=
          " (its pods are not CPU-bound: the workers wait on the database or sleep between "
          "cycles, so more workers help only while the database has spare cores, "
          "database.cpu_cores)";
  }
  if (why.empty()) why.push_back("no queue table of its own in this run; replicas kept");
  z.replicas_reason.clear();
  for (const auto& w : why) {
    if (!z.replicas_reason.empty()) z.replicas_reason.append("; ");
    z.replicas_reason.append(w);
  }
  if (svc.autoscaling) {
    z.replicas = svc.replicas;
    z.replicas_reason += "; replicas kept: its autoscaler decides them";
  }
}

void size_server_replicas(ServiceSizing& z, const scenario::ServiceSpec& svc,
                          const std::vector<ApiLatency>& api, double utilization) {
  const int slots_per_pod = svc.processes * svc.threads;
  double busy = 0;
  for (const auto& a : api)
    if (a.service == z.service) busy += a.rate_per_s * a.p50_s;
  const int slots_needed = static_cast<int>(std::ceil(busy / utilization));
  int replicas = std::max(1, (slots_needed + slots_per_pod - 1) / slots_per_pod);
  z.replicas_reason = fmt::format(
      "busy workers = Σ rate × p50 = {:.2f} (Little's law), / {:g} utilization = {} slots of {} "
      "processes × {} threads per pod = {} replicas",
      busy, utilization, slots_needed, svc.processes, svc.threads, replicas);
  for (const auto& a : api) {
    if (a.service != z.service || a.met) continue;
    const int by_latency =
        static_cast<int>(std::ceil(svc.replicas * a.p99_s / *a.target_p99_s - 1e-9));
    z.replicas_reason +=
        fmt::format("; {} p99 {:.3f} s > target {:g} s: replicas × {:.2f}", a.operation, a.p99_s,
                    *a.target_p99_s, a.p99_s / *a.target_p99_s);
    replicas = std::max(replicas, by_latency);
  }
  if (replicas < svc.replicas) z.replicas_reason += "; not reduced below the current replicas";
  z.replicas = std::max(svc.replicas, replicas);
  if (svc.autoscaling) {
    z.replicas = svc.replicas;
    z.replicas_reason += "; replicas kept: its autoscaler decides them";
  }
}

void collect_failures(SizingResult& r) {
  for (const auto& z : r.services) {
    if (z.oom_kills > 0)
      r.failures.push_back(fmt::format("{}: {} OOM kill(s)", z.service, z.oom_kills));
    if (z.evictions > 0)
      r.failures.push_back(fmt::format("{}: {} eviction(s)", z.service, z.evictions));
  }
  for (const auto& d : r.tables)
    if (d.flow.growing && !d.on_demand)
      r.failures.push_back(fmt::format("{} left growing ({} rows at the end, {} at most): {}",
                                       d.table, d.flow.rows_final, d.flow.rows_max, d.verdict));
  for (const auto& a : r.api)
    if (!a.met)
      r.failures.push_back(fmt::format("{} {}: p99 {:.3f} s above the target {:g} s", a.service,
                                       a.operation, a.p99_s, *a.target_p99_s));
  if (r.pods_pending_final > 0)
    r.failures.push_back(fmt::format("{} pod(s) still Pending at the end", r.pods_pending_final));
  for (const auto& u : r.cluster.unplaced)
    r.failures.push_back(fmt::format("{} fits no node of any pool", u));
}

}  // namespace

namespace {

ServiceSizing size_service(const sim::ServiceSummary& v, const scenario::ServiceSpec& svc,
                           bool daemon, const ServiceSamples& seen, const SizingResult& r,
                           const scenario::SizingSpec& spec) {
  ServiceSizing z;
  z.daemon = daemon;
  z.service = v.name;
  z.replicas = svc.replicas;
  z.threads = svc.threads;
  z.processes = svc.processes;
  z.oom_kills = v.oom_kills;
  z.evictions = v.evictions;
  CpuObserved cpu;
  cpu.p90_cores = seen.p90_cores;
  cpu.peak_cores = seen.peak_cores;
  cpu.pod_p95_cores = seen.pod_p95_cores;
  cpu.throttled_fraction = v.throttled_fraction;
  z.cpu = size_cpu(cpu, svc.resources, spec);
  z.mem = size_memory({v.mem_ws_max_bytes, v.oom_kills, v.evictions}, svc.resources, spec);
  if (daemon)
    size_daemon_replicas(z, svc, r.tables);
  else
    size_server_replicas(z, svc, r.api, spec.server_utilization);
  return z;
}

}  // namespace

SizingResult size_run(const scenario::Scenario& s, const sim::Summary& summary,
                      const sim::Recorder& recorder) {
  SizingResult r;
  r.method = to_string(s.sizing.method);
  r.simulated_s = summary.simulated_s;
  const auto& x = summary.transfers;
  r.tables = size_tables(
      s, recorder,
      x.submitted > 0 ? std::optional<double>(static_cast<double>(x.submitted - x.done - x.failed))
                      : std::nullopt);
  r.api = api_latencies(s, summary);
  auto samples = pod_samples(summary, recorder);
  std::vector<PodRequest> pods;
  for (const auto& v : summary.services) {
    bool daemon = true;
    const scenario::ServiceSpec* svc = find_service(s, v.name, daemon);
    if (!svc) continue;
    ServiceSizing z = size_service(v, *svc, daemon, samples[v.name], r, s.sizing);
    for (int i = 0; i < z.replicas; ++i)
      pods.push_back(
          {fmt::format("{}-{}", z.service, i), z.cpu.request_cores, z.mem.request_bytes});
    r.services.push_back(std::move(z));
  }
  for (const auto& p : summary.pods)
    if (p.phase == "Pending") ++r.pods_pending_final;
  // FTS's pool (transfers.fts) holds FTS, its VMs or its own pods: the Rucio pods sized here
  // go on the other pools, and the FTS pool is left as the scenario has it.
  scenario::ClusterSpec rucio_pools = s.cluster;
  if (s.transfers.fts) rucio_pools.node_pools.erase(s.transfers.fts->pool);
  r.cluster = pack_nodes(pods, rucio_pools, s.seed);
  collect_failures(r);
  return r;
}

std::string ServiceSizing::reason() const {
  std::vector<std::string> tags;
  if (oom_kills > 0) tags.push_back(fmt::format("oom_kills={}", oom_kills));
  if (evictions > 0) tags.push_back(fmt::format("evictions={}", evictions));
  for (const auto& t : growing_tables) tags.push_back(fmt::format("growing={}", t));
  std::string tag = tags.empty() ? std::string() : fmt::format("[{}] ", fmt::join(tags, " "));
  return fmt::format("{}{}; {}; replicas: {}", tag, cpu.reason, mem.reason, replicas_reason);
}

}  // namespace dlsim::analysis
