#include "models/k8s/cluster.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace dlsim::models::k8s {

Cluster::Cluster(sim::ModelContext& ctx, SchedulerConfig scheduler)
    : ctx_(ctx), scheduler_(std::move(scheduler)) {
  pod_series_ = ctx_.recorder.declare_series(
      "pods", {"cpu_cores", "throttled_fraction", "mem_ws_bytes", "mem_rss_bytes", "restarts"});
  node_series_ = ctx_.recorder.declare_series(
      "nodes", {"cpu_used_cores", "mem_ws_bytes", "cpu_requested_cores", "mem_requested_bytes"});
}

void Cluster::add_node(const sim::NodePoolSpec& pool, const std::string& name, sim::Host* host) {
  Node n;
  n.name = name;
  n.pool = pool.name;
  n.host = host;
  n.capacity = {pool.cpu_cores, pool.mem_bytes};
  NodeReservations reserved;
  reserved.system_reserved = {pool.reserved_cpu_cores, pool.reserved_mem_bytes};
  n.allocatable = node_allocatable(n.capacity, reserved);
  n.max_pods = pool.max_pods;
  n.price_per_hour = pool.price_per_node_hour;
  nodes_.push_back(std::move(n));
  node_samples_.emplace_back();
}

std::vector<NodeView> Cluster::node_views() const {
  std::vector<NodeView> views;
  views.reserve(nodes_.size());
  for (const auto& n : nodes_) {
    NodeView v;
    v.name = n.name;
    v.allocatable = n.allocatable;
    v.requested = n.requested;
    v.non_zero_requested = n.non_zero_requested;
    v.pod_count = static_cast<int>(n.pods.size());
    v.max_pods = n.max_pods;
    views.push_back(std::move(v));
  }
  return views;
}

std::size_t Cluster::create_pod(const std::string& name, const std::string& service,
                                const ContainerResources& resources, double base_memory_bytes,
                                int priority) {
  pods_.push_back(std::make_unique<Pod>(name, service, resources, base_memory_bytes, priority));
  pods_.back()->set_context(&ctx_);
  pod_samples_.emplace_back();
  std::size_t index = pods_.size() - 1;
  if (!try_schedule(index))
    ctx_.recorder.event(sim::now(), "Unschedulable", name, "",
                        "no node has room for the pod's requests");
  return index;
}

bool Cluster::try_schedule(std::size_t pod_index) {
  Pod& pod = *pods_[pod_index];
  PodView view;
  view.cpu_request_cores = pod.resources().cpu_request_cores;
  view.mem_request_bytes = pod.resources().mem_request_bytes;
  view.priority = pod.priority();
  view.qos = pod.qos();
  auto views = node_views();
  auto chosen = select_node(views, view, scheduler_, ctx_.rng.stream("scheduler"));
  if (!chosen) return false;
  Node& node = nodes_[*chosen];
  node.requested.cpu_cores += view.cpu_request_cores.value_or(0);
  node.requested.mem_bytes += view.mem_request_bytes.value_or(0);
  node.non_zero_requested.cpu_cores += non_zero_cpu_request_cores(view.cpu_request_cores);
  node.non_zero_requested.mem_bytes += non_zero_mem_request_bytes(view.mem_request_bytes);
  node.pods.push_back(pod_index);
  // A VM with as many vCPUs as the limit needs (whole node without a limit), bound to the
  // limit: the CFS quota (kubernetes.md §9.5.1).
  const auto& limit = pod.resources().cpu_limit_cores;
  int node_cores = node.host->get_core_count();
  int vcpus = limit ? std::clamp(static_cast<int>(std::ceil(*limit)), 1, node_cores) : node_cores;
  sim::VirtualMachine* vm = node.host->create_vm(pod.name(), vcpus);
  if (limit) vm->set_bound(*limit * sim::kCoreSpeed);
  vm->start();
  pod.bind(*chosen, node.name, vm, sim::now());
  ctx_.recorder.event(sim::now(), "Scheduled", pod.name(), node.name,
                      fmt::format("qos {}", to_string(pod.qos())));
  return true;
}

void Cluster::sample(double interval_s) {
  const double t = sim::now();
  std::vector<double> node_cpu(nodes_.size(), 0.0), node_ws(nodes_.size(), 0.0);
  for (std::size_t i = 0; i < pods_.size(); ++i) {
    Pod& p = *pods_[i];
    if (!p.node_index()) continue;
    PodSamples& s = pod_samples_[i];
    double cpu = (p.cpu_core_seconds() - s.last_cpu_core_seconds) / interval_s;
    double throttled = std::min(1.0, (p.throttled_seconds() - s.last_throttled_s) / interval_s);
    s.last_cpu_core_seconds = p.cpu_core_seconds();
    s.last_throttled_s = p.throttled_seconds();
    double ws = p.memory().working_set_bytes();
    double rss = p.memory().rss_bytes();
    s.cpu_cores.push_back(cpu);
    s.throttled_sum += throttled;
    s.ws_max = std::max(s.ws_max, ws);
    s.rss_max = std::max(s.rss_max, rss);
    node_cpu[*p.node_index()] += cpu;
    node_ws[*p.node_index()] += ws;
    ctx_.recorder.sample(pod_series_, t, p.name(),
                         {cpu, throttled, ws, rss, static_cast<double>(p.restarts())});
  }
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    NodeSamples& s = node_samples_[n];
    s.cpu_sum += node_cpu[n];
    s.cpu_max = std::max(s.cpu_max, node_cpu[n]);
    s.ws_max = std::max(s.ws_max, node_ws[n]);
    ++s.count;
    ctx_.recorder.sample(
        node_series_, t, nodes_[n].name,
        {node_cpu[n], node_ws[n], nodes_[n].requested.cpu_cores, nodes_[n].requested.mem_bytes});
  }
}

namespace {
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest-rank percentile.
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}
}  // namespace

std::vector<sim::PodRecord> Cluster::pod_records() const {
  std::vector<sim::PodRecord> out;
  for (std::size_t i = 0; i < pods_.size(); ++i) {
    const Pod& p = *pods_[i];
    const PodSamples& s = pod_samples_[i];
    sim::PodRecord r;
    r.name = p.name();
    r.service = p.service();
    r.node = p.node_name();
    r.qos = std::string(to_string(p.qos()));
    r.phase = std::string(to_string(p.phase()));
    r.resources = p.resources();
    r.scheduled_s = p.scheduled_s();
    r.restarts = p.restarts();
    r.oom_kills = p.oom_kills();
    r.evictions = p.evictions();
    double sum = 0;
    for (double c : s.cpu_cores) sum += c;
    auto n = static_cast<double>(s.cpu_cores.size());
    r.cpu_mean_cores = n > 0 ? sum / n : 0;
    r.cpu_p95_cores = percentile(s.cpu_cores, 0.95);
    r.cpu_max_cores =
        s.cpu_cores.empty() ? 0 : *std::max_element(s.cpu_cores.begin(), s.cpu_cores.end());
    r.mem_ws_max_bytes = s.ws_max;
    r.mem_rss_max_bytes = s.rss_max;
    r.throttled_fraction = n > 0 ? s.throttled_sum / n : 0;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<sim::NodeSummary> Cluster::node_summaries() const {
  std::vector<sim::NodeSummary> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    const NodeSamples& s = node_samples_[i];
    sim::NodeSummary r;
    r.name = n.name;
    r.pool = n.pool;
    r.cpu_allocatable_cores = n.allocatable.cpu_cores;
    r.mem_allocatable_bytes = n.allocatable.mem_bytes;
    r.cpu_requested_cores = n.requested.cpu_cores;
    r.mem_requested_bytes = n.requested.mem_bytes;
    r.cpu_used_mean_cores = s.count > 0 ? s.cpu_sum / s.count : 0;
    r.cpu_used_max_cores = s.cpu_max;
    r.mem_ws_max_bytes = s.ws_max;
    r.pods = static_cast<int>(n.pods.size());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dlsim::models::k8s
