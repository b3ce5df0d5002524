// Building and summarising the FTS deployment; see engine_fts.hpp.
#include "app/run_wiring_fts.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace dlsim::sim {
namespace k8s = models::k8s;
namespace transfer = models::transfer;

namespace {
constexpr const char* kServer = "fts-server";
constexpr const char* kRest = "fts-rest";
constexpr const char* kMonitoring = "fts-monitoring";
}  // namespace

bool is_fts_vm_pool(const scenario::Scenario& s, const std::string& pool) {
  const auto& f = s.transfers.fts;
  return f && f->deployment == scenario::FtsDeployment::Vm && f->pool == pool;
}

FtsServices::FtsServices(const scenario::Scenario& s, k8s::Cluster& cluster, transfer::Fts& fts)
    : s_(s), spec_(*s.transfers.fts), cluster_(cluster), fts_(fts) {}

scenario::ServiceSpec FtsServices::service_spec(const std::string& name,
                                                const scenario::FtsServiceSpec& f) const {
  scenario::ServiceSpec svc;
  svc.name = name;
  svc.kind = name;
  svc.replicas = f.replicas;
  svc.resources = f.resources;
  svc.autoscaling = f.autoscaling;
  svc.where = f.where;
  return svc;
}

std::vector<k8s::Pod*> FtsServices::create(k8s::ClusterControllers& controllers,
                                           const scenario::ServiceSpec& svc,
                                           double base_memory_bytes,
                                           std::function<std::optional<double>()> metric) {
  std::vector<k8s::Pod*> pods;
  // The Deployment's pod template selects the FTS pool (nodeSelector and the toleration of
  // its taint: the pool is dedicated to FTS).
  for (int i = 0; i < svc.replicas; ++i) {
    k8s::PodSpec pod;
    pod.name = fmt::format("{}-{}", svc.name, i);
    pod.owner = svc.name;
    pod.resources = svc.resources;
    pod.base_memory_bytes = base_memory_bytes;
    pod.node_pool = spec_.pool;
    pods.push_back(&cluster_.pod(cluster_.create_pod(pod)));
  }
  if (svc.autoscaling)
    controllers.autoscale(svc, pods, base_memory_bytes, std::move(metric), spec_.pool);
  pods_[svc.name] = pods;
  return pods;
}

void FtsServices::build(k8s::ClusterControllers& controllers, sim::Host* meter_host) {
  if (spec_.deployment == scenario::FtsDeployment::Vm) {
    build_vm(meter_host);
  } else {
    build_k8s(controllers, meter_host);
  }
  fts_.set_service_hooks([this](double calls) { rest_->add(calls); },
                         [this](double transfers) {
                           if (monitoring_) monitoring_->add(transfers);
                         });
}

void FtsServices::build_vm(sim::Host* meter_host) {
  // Every VM runs every service: what its memory leaves is for url-copy processes.
  const scenario::NodePoolSpec& pool = s_.cluster.node_pools.at(spec_.pool);
  const double others =
      spec_.server_memory_bytes + spec_.rest_memory_bytes() + spec_.monitoring_memory_bytes;
  slots_per_host_ =
      transfer::vm_slots(pool.mem_bytes - pool.reserved_mem_bytes, others, spec_.min_free_ram_bytes,
                         spec_.url_copy_memory_bytes, s_.transfers.max_url_copy_processes);
  std::vector<transfer::UrlCopyHost> vms(static_cast<std::size_t>(pool.count),
                                         {[] { return true; }, nullptr});
  fts_.set_hosts(std::make_unique<transfer::UrlCopyHosts>(std::move(vms), slots_per_host_,
                                                          spec_.url_copy_memory_bytes));
  // The REST calls are counted (the VMs' CPU is not modelled).
  rest_ = std::make_unique<transfer::ServiceLoad>(kRest, std::vector<transfer::LoadPod>{},
                                                  spec_.rest_cpu_per_call_s, s_.sample_interval_s,
                                                  meter_host);
}

namespace {

std::vector<transfer::LoadPod> load_pods(const std::vector<k8s::Pod*>& pods) {
  std::vector<transfer::LoadPod> out;
  for (k8s::Pod* p : pods)
    out.push_back(
        {[p] { return p->running(); }, [p](double core_s) { return p->compute(core_s); }, p->vm()});
  return out;
}

}  // namespace

void FtsServices::build_k8s(k8s::ClusterControllers& controllers, sim::Host* meter_host) {
  slots_per_host_ = spec_.server_url_copy_processes(s_.transfers.max_url_copy_processes);
  auto servers = create(controllers, service_spec(kServer, spec_.server), spec_.server_memory_bytes,
                        [this] { return static_cast<double>(fts_.queued()); });
  std::vector<transfer::UrlCopyHost> hosts;
  for (k8s::Pod* p : servers)
    hosts.push_back(
        {[p] { return p->running(); }, [p](double bytes) { p->hold_child_processes(bytes); }});
  fts_.set_hosts(std::make_unique<transfer::UrlCopyHosts>(std::move(hosts), slots_per_host_,
                                                          spec_.url_copy_memory_bytes));
  auto rest = create(controllers, service_spec(kRest, spec_.rest), spec_.rest_memory_bytes(),
                     [this] { return rest_->rate(); });
  rest_ = std::make_unique<transfer::ServiceLoad>(kRest, load_pods(rest), spec_.rest_cpu_per_call_s,
                                                  s_.sample_interval_s, meter_host);
  auto monitoring = create(controllers, service_spec(kMonitoring, spec_.monitoring),
                           spec_.monitoring_memory_bytes, nullptr);
  monitoring_ = std::make_unique<transfer::ServiceLoad>(kMonitoring, load_pods(monitoring),
                                                        spec_.monitoring_cpu_per_transfer_s,
                                                        s_.sample_interval_s, meter_host);
}

void FtsServices::start() {
  fts_.start_capacity_watch();
  rest_->start();
  if (monitoring_) monitoring_->start();
  sim::spawn("fts/watch", cluster_.control_plane(), [this] { watch(); });
}

void FtsServices::watch() {
  for (double t = 0;; t += s_.sample_interval_s) {
    sim::sleep_until(t);
    capacity_max_ = std::max(capacity_max_, fts_.hosts()->capacity());
    for (const auto& [name, pods] : pods_) {
      const auto up = std::count_if(pods.begin(), pods.end(), [](auto* p) { return p->running(); });
      running_max_[name] = std::max(running_max_[name], static_cast<int>(up));
    }
  }
}

void FtsServices::fill_memory(FtsSummary& out, const std::vector<PoolSummary>& pools) const {
  const scenario::NodePoolSpec& pool = s_.cluster.node_pools.at(spec_.pool);
  int nodes = pool.count;
  for (const auto& p : pools)
    if (p.name == pool.name) nodes = std::max(nodes, p.nodes_max);
  out.pool_memory_bytes = nodes * (pool.mem_bytes - pool.reserved_mem_bytes);
  auto peak = [&](const char* name) {
    auto it = running_max_.find(name);
    return it == running_max_.end() ? 0 : it->second;
  };
  const bool vm = spec_.deployment == scenario::FtsDeployment::Vm;
  out.server_memory_bytes = (vm ? nodes : peak(kServer)) * spec_.server_memory_bytes;
  out.rest_memory_bytes = (vm ? nodes : peak(kRest)) * spec_.rest_memory_bytes();
  out.monitoring_memory_bytes = (vm ? nodes : peak(kMonitoring)) * spec_.monitoring_memory_bytes;
  out.memory_for_transfers_bytes = out.pool_memory_bytes - out.server_memory_bytes -
                                   out.rest_memory_bytes - out.monitoring_memory_bytes;
}

FtsSummary FtsServices::summary(const std::vector<PodRecord>& pods,
                                const std::vector<PoolSummary>& pools) const {
  FtsSummary out;
  const bool vm = spec_.deployment == scenario::FtsDeployment::Vm;
  out.deployment = vm ? "vm" : "k8s";
  const auto* hosts = fts_.hosts();
  auto it = running_max_.find(kServer);
  out.hosts_max =
      vm ? static_cast<int>(hosts->hosts()) : (it == running_max_.end() ? 0 : it->second);
  out.slots_per_host = slots_per_host_;
  out.capacity_max = capacity_max_;
  out.running_max = hosts->running_peak();
  out.url_copy_memory_max_bytes =
      static_cast<double>(out.running_max) * spec_.url_copy_memory_bytes;
  fill_memory(out, pools);
  out.rest_calls = rest_->units();
  out.rest_calls_per_s_max = rest_->peak_rate();
  out.rest_calls_unserved = vm ? 0 : rest_->unserved();
  if (vm) return out;
  for (const auto& [name, f] : {std::pair{kServer, &spec_.server}, std::pair{kRest, &spec_.rest},
                                std::pair{kMonitoring, &spec_.monitoring}})
    out.services.push_back(summarise_service(service_spec(name, *f), pods));
  return out;
}

}  // namespace dlsim::sim
