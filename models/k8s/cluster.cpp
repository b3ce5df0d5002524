// Nodes, the scheduling queue, preemption and pod termination; see cluster.hpp.
#include "models/k8s/cluster.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/core.h>

namespace dlsim::models::k8s {

std::string_view to_string(PodEndReason reason) {
  switch (reason) {
    case PodEndReason::Succeeded:
      return "Succeeded";
    case PodEndReason::ContainerFailed:
      return "ContainerFailed";
    case PodEndReason::Evicted:
      return "Evicted";
    case PodEndReason::Preempted:
      return "Preempted";
    case PodEndReason::Drained:
      return "Drained";
    case PodEndReason::Deleted:
      return "Deleted";
  }
  return "Deleted";
}

Cluster::Cluster(sim::ModelContext& ctx, SchedulerConfig scheduler, sim::Host* control_plane)
    : ctx_(ctx),
      scheduler_(std::move(scheduler)),
      control_plane_(control_plane),
      kubelet_(*this),
      monitor_(ctx, *this) {}

// --- exclusive operations ----------------------------------------------------------------

void Cluster::run_exclusive(std::function<void()> op) {
  if (busy_) {
    deferred_.push_back(std::move(op));
    return;
  }
  busy_ = true;
  op();
  while (!deferred_.empty()) {
    std::function<void()> next = std::move(deferred_.front());
    deferred_.pop_front();
    next();
  }
  busy_ = false;
}

// --- nodes ---------------------------------------------------------------------------------

std::size_t Cluster::add_node(const scenario::NodePoolSpec& pool, const std::string& name,
                              sim::Host* host, std::optional<bool> in_cluster_now) {
  const auto same_pool = std::count_if(nodes_.begin(), nodes_.end(),
                                       [&](const Node& other) { return other.pool == pool.name; });
  const bool in_cluster = in_cluster_now.value_or(same_pool < pool.count);
  Node n;
  n.name = name;
  n.pool = pool.name;
  n.host = host;
  n.capacity = {pool.cpu_cores, pool.mem_bytes};
  NodeReservations reserved;
  reserved.system_reserved = {pool.reserved_cpu_cores, pool.reserved_mem_bytes};
  reserved.eviction_hard_mem_bytes = pool.eviction_hard_bytes;
  n.allocatable = node_allocatable(n.capacity, reserved);
  n.system_mem_bytes = pool.reserved_mem_bytes;
  n.eviction_hard_bytes = pool.eviction_hard_bytes;
  n.max_pods = pool.max_pods;
  n.price_per_hour = pool.price_per_node_hour;
  n.state = in_cluster ? NodeState::Ready : NodeState::Absent;
  if (in_cluster) {
    n.in_cluster_since_s = sim::now();
    n.ever_in_cluster = true;
  }
  if (!control_plane_) control_plane_ = host;
  nodes_.push_back(std::move(n));
  monitor_.node_added(pool);
  return nodes_.size() - 1;
}

void Cluster::mark_provisioning(std::size_t i) {
  if (nodes_[i].state == NodeState::Absent) nodes_[i].state = NodeState::Provisioning;
}

void Cluster::provision_node(std::size_t i) {
  run_exclusive([this, i] {
    Node& n = nodes_[i];
    if (n.state != NodeState::Provisioning && n.state != NodeState::Absent) return;
    n.state = NodeState::Ready;
    n.cordoned = false;
    n.in_cluster_since_s = sim::now();
    n.ever_in_cluster = true;
    ctx_.recorder.event(sim::now(), "NodeAdded", n.name, n.name, fmt::format("pool {}", n.pool));
    retry_pending();
  });
}

void Cluster::cordon(std::size_t i) {
  nodes_[i].cordoned = true;
}

void Cluster::leave_cluster(Node& n) {
  if (n.in_cluster_since_s >= 0) n.node_seconds += sim::now() - n.in_cluster_since_s;
  n.in_cluster_since_s = -1;
}

void Cluster::remove_node(std::size_t i) {
  Node& n = nodes_[i];
  assert(n.pods.empty());
  leave_cluster(n);
  n.state = NodeState::Absent;
  n.cordoned = false;
  n.not_ready_since_s = -1;
  n.memory_pressure = false;
  n.pressure_observed_s = -1;
  ctx_.recorder.event(sim::now(), "NodeRemoved", n.name, n.name, fmt::format("pool {}", n.pool));
}

void Cluster::set_node_ready(std::size_t i, bool ready, const std::string& detail) {
  run_exclusive([this, i, ready, detail] { node_ready_now(i, ready, detail); });
}

void Cluster::node_ready_now(std::size_t i, bool ready, const std::string& detail) {
  Node& n = nodes_[i];
  if (ready && n.state == NodeState::NotReady) {
    n.state = NodeState::Ready;
    n.not_ready_since_s = -1;
    ctx_.recorder.event(sim::now(), "NodeReady", n.name, n.name, detail);
    retry_pending();
  } else if (!ready && n.state == NodeState::Ready) {
    n.state = NodeState::NotReady;
    n.not_ready_since_s = sim::now();
    ctx_.recorder.event(sim::now(), "NodeNotReady", n.name, n.name, detail);
  }
}

NodeView Cluster::node_view(std::size_t i, bool with_pods) const {
  const Node& n = nodes_[i];
  NodeView v;
  v.name = n.name;
  v.allocatable = n.allocatable;
  v.requested = n.requested;
  v.non_zero_requested = n.non_zero_requested;
  v.pod_count = static_cast<int>(n.pods.size());
  v.max_pods = n.max_pods;
  v.ready = n.state == NodeState::Ready && !n.cordoned;
  v.pool = n.pool;
  v.dedicated = n.dedicated;
  v.memory_pressure = n.memory_pressure;
  if (with_pods) {
    for (std::size_t p : n.pods) {
      if (terminating_.contains(p)) continue;  // already leaving: not a victim again
      const Pod& pod = *pods_[p];
      v.pods.push_back({std::to_string(p), pod.priority(),
                        pod.resources().cpu_request_cores.value_or(0.0),
                        pod.resources().mem_request_bytes.value_or(0.0)});
    }
  }
  return v;
}

std::vector<NodeView> Cluster::node_views() const {
  std::vector<NodeView> views;
  views.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) views.push_back(node_view(i, false));
  return views;
}

PodView Cluster::pod_view(const Pod& p) const {
  PodView view;
  view.cpu_request_cores = p.resources().cpu_request_cores;
  view.mem_request_bytes = p.resources().mem_request_bytes;
  view.priority = p.priority();
  view.qos = p.qos();
  view.node_pool = p.spec().node_pool;
  return view;
}

// --- pods ----------------------------------------------------------------------------------

std::size_t Cluster::create_pod(const PodSpec& spec, bool start) {
  const std::size_t index = pods_.size();
  pods_.push_back(std::make_unique<Pod>(spec, index, control_plane_));
  pods_.back()->set_context(&ctx_);
  pods_.back()->set_listener(this);
  end_hooks_.emplace_back();
  queue_seq_.push_back(0);
  delete_epoch_.push_back(0);
  monitor_.pod_added();
  if (start) start_pod(index);
  return index;
}

std::size_t Cluster::create_pod(const std::string& name, const std::string& service,
                                const ContainerResources& resources, double base_memory_bytes,
                                int priority) {
  PodSpec spec;
  spec.name = name;
  spec.owner = service;
  spec.resources = resources;
  spec.base_memory_bytes = base_memory_bytes;
  spec.priority = priority;
  return create_pod(spec);
}

void Cluster::set_end_hook(std::size_t pod, EndHook hook) {
  end_hooks_[pod] = std::move(hook);
}

void Cluster::start_pod(std::size_t i) {
  run_exclusive([this, i] { schedule_new(i); });
}

void Cluster::schedule_new(std::size_t i) {
  Pod& p = *pods_[i];
  if (p.bound() || p.phase() == PodPhase::Pending) return;  // already there
  p.create(sim::now());
  queue_seq_[i] = next_seq_++;
  pending_.push_back(i);
  std::vector<NodeView> views = node_views();
  try_schedule(i, views);
}

bool Cluster::try_schedule(std::size_t i, std::vector<NodeView>& views) {
  Pod& pod = *pods_[i];
  const PodView view = pod_view(pod);
  std::vector<NodeView> with_nominated;
  for (const auto& [q, n] : nominated_) {
    const Pod& other = *pods_[q];
    if (q == i || other.priority() < pod.priority()) continue;
    if (with_nominated.empty()) with_nominated = views;
    NodeView& v = with_nominated[n];
    v.requested.cpu_cores += other.resources().cpu_request_cores.value_or(0);
    v.requested.mem_bytes += other.resources().mem_request_bytes.value_or(0);
    ++v.pod_count;
  }
  auto chosen = select_node(with_nominated.empty() ? views : with_nominated, view, scheduler_,
                            ctx_.rng.stream("scheduler"));
  if (chosen) {
    bind(i, *chosen);
    views[*chosen] = node_view(*chosen, false);
    return true;
  }
  if (unschedulable_.insert(i).second) {
    const auto ready = std::count_if(nodes_.begin(), nodes_.end(), [](const Node& n) {
      return n.state == NodeState::Ready && !n.cordoned;
    });
    ctx_.recorder.event(
        sim::now(), "Unschedulable", pod.name(), "",
        fmt::format("0/{} nodes have room for cpu {} memory {:.0f}Mi", ready,
                    view.cpu_request_cores.value_or(0), view.mem_request_bytes.value_or(0) / kMiB));
  }
  try_preempt(i);
  return false;
}

void Cluster::bind(std::size_t pod_index, std::size_t node_index) {
  Pod& pod = *pods_[pod_index];
  Node& node = nodes_[node_index];
  const PodView view = pod_view(pod);
  // Bookkeeping first: the simcalls below let other actors run.
  node.account_requested(sim::now());
  node.requested.cpu_cores += view.cpu_request_cores.value_or(0);
  node.requested.mem_bytes += view.mem_request_bytes.value_or(0);
  const CpuMem non_zero = non_zero_request(view);
  node.non_zero_requested.cpu_cores += non_zero.cpu_cores;
  node.non_zero_requested.mem_bytes += non_zero.mem_bytes;
  node.pods.push_back(pod_index);
  std::erase(pending_, pod_index);
  unschedulable_.erase(pod_index);
  victims_of_.erase(pod_index);
  nominated_.erase(pod_index);
  ctx_.recorder.event(sim::now(), "Scheduled", pod.name(), node.name,
                      fmt::format("qos {}", to_string(pod.qos())));
  ctx_.recorder.event(sim::now(), "Started", pod.name(), node.name, "");
  // A VM with as many vCPUs as the limit needs (whole node without a limit), bound to the
  // limit: the CFS quota (k/k pkg/kubelet/cm/helpers_linux.go; cgroup v2 cpu.max).
  const auto& limit = pod.resources().cpu_limit_cores;
  const int node_cores = node.host->get_core_count();
  const int vcpus =
      limit ? std::clamp(static_cast<int>(std::ceil(*limit)), 1, node_cores) : node_cores;
  // Host names are unique in SimGrid, and the VM of the pod that held this name before may
  // still be retired, not yet destroyed (end_pod): a later VM of the same pod name gets a
  // serial (the first keeps the plain name).
  const int serial = vm_serials_[pod.name()]++;
  const std::string vm_name =
      serial == 0 ? "pod:" + pod.name() : fmt::format("pod:{}#{}", pod.name(), serial);
  sim::VirtualMachine* vm = node.host->create_vm(vm_name, vcpus);
  if (limit) vm->set_bound(*limit * sim::kCoreSpeed);
  vm->start();
  pod.bind(node_index, node.name, vm, sim::now());
}

bool Cluster::try_preempt(std::size_t i) {
  auto waiting = victims_of_.find(i);
  if (waiting != victims_of_.end() && !waiting->second.empty()) return false;  // already did
  const Pod& pod = *pods_[i];
  bool any_lower = false;
  for (const Node& n : nodes_)
    for (std::size_t p : n.pods)
      any_lower = any_lower || (pods_[p]->priority() < pod.priority() && !terminating_.contains(p));
  if (!any_lower) return false;
  std::vector<NodeView> views;
  views.reserve(nodes_.size());
  for (std::size_t n = 0; n < nodes_.size(); ++n) views.push_back(node_view(n, true));
  auto plan = plan_preemption(views, pod_view(pod));
  if (!plan) return false;
  nominated_[i] = plan->node_index;
  auto& victims = victims_of_[i];
  for (const std::string& id : plan->victim_ids) {
    const std::size_t v = std::stoul(id);
    victims.insert(v);
    Pod& victim = *pods_[v];
    victim.count_preemption();
    ctx_.recorder.event(
        sim::now(), "Preempted", victim.name(), victim.node_name(),
        fmt::format("by {} (priority {} > {})", pod.name(), pod.priority(), victim.priority()));
  }
  // Copy: ending a victim (0 s grace) edits victims_of_.
  const std::set<std::size_t> chosen = victims;
  for (std::size_t v : chosen)
    delete_now(v, PodEndReason::Preempted, pods_[v]->spec().termination_grace_s);
  return true;
}

void Cluster::retry_pending() {
  if (retrying_) {
    retry_again_ = true;
    return;
  }
  retrying_ = true;
  do {
    retry_again_ = false;
    std::vector<std::size_t> order = pending_;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (pods_[a]->priority() != pods_[b]->priority())
        return pods_[a]->priority() > pods_[b]->priority();
      return queue_seq_[a] < queue_seq_[b];
    });
    int lowest_bound_priority = std::numeric_limits<int>::max();
    for (const Node& n : nodes_)
      for (std::size_t p : n.pods)
        lowest_bound_priority = std::min(lowest_bound_priority, pods_[p]->priority());
    std::vector<NodeView> views = node_views();
    // A pod whose requests are at least those of a pod that just failed fits nowhere either
    // (nodes only fill up during a pass): skipped unless it could preempt.
    std::vector<std::pair<double, double>> failed;
    for (std::size_t i : order) {
      const Pod& p = *pods_[i];
      if (p.phase() != PodPhase::Pending) continue;
      const double cpu = p.resources().cpu_request_cores.value_or(0);
      const double mem = p.resources().mem_request_bytes.value_or(0);
      const bool may_preempt = p.priority() > lowest_bound_priority;
      const bool dominated = std::any_of(failed.begin(), failed.end(), [&](const auto& f) {
        return cpu >= f.first && mem >= f.second;
      });
      if (dominated && !may_preempt) continue;
      if (!try_schedule(i, views)) failed.emplace_back(cpu, mem);
    }
  } while (retry_again_);
  retrying_ = false;
}

void Cluster::delete_pod(std::size_t i, PodEndReason reason, double grace_s) {
  run_exclusive([this, i, reason, grace_s] { delete_now(i, reason, grace_s); });
}

void Cluster::delete_now(std::size_t i, PodEndReason reason, double grace_s) {
  Pod& p = *pods_[i];
  if (p.phase() == PodPhase::Absent || p.finished() || terminating_.contains(i)) return;
  if (grace_s <= 0 || !p.bound()) {
    end_pod(i, reason);
    return;
  }
  terminating_.insert(i);
  const std::uint64_t epoch = ++delete_epoch_[i];
  sim::spawn(p.name() + "/terminate", control_plane_, [this, i, reason, grace_s, epoch] {
    sim::sleep_for(grace_s);
    run_exclusive([this, i, reason, epoch] {
      if (delete_epoch_[i] == epoch && terminating_.contains(i)) end_pod(i, reason);
    });
  });
}

void Cluster::complete_pod(std::size_t i) {
  run_exclusive([this, i] {
    Pod& p = *pods_[i];
    if (!p.running()) return;
    ctx_.recorder.event(sim::now(), "Completed", p.name(), p.node_name(), "exit 0");
    end_pod(i, PodEndReason::Succeeded);
  });
}

void Cluster::evict_pod(std::size_t i, const std::string& detail) {
  run_exclusive([this, i, detail] { evict_now(i, detail); });
}

void Cluster::evict_now(std::size_t i, const std::string& detail) {
  Pod& p = *pods_[i];
  if (!p.bound()) return;
  p.count_eviction();
  ctx_.recorder.event(sim::now(), "Evicted", p.name(), p.node_name(), detail);
  end_pod(i, PodEndReason::Evicted);
}

void Cluster::release(Node& node, const Pod& pod) {
  const PodView view = pod_view(pod);
  node.account_requested(sim::now());
  node.requested.cpu_cores -= view.cpu_request_cores.value_or(0);
  node.requested.mem_bytes -= view.mem_request_bytes.value_or(0);
  const CpuMem non_zero = non_zero_request(view);
  node.non_zero_requested.cpu_cores -= non_zero.cpu_cores;
  node.non_zero_requested.mem_bytes -= non_zero.mem_bytes;
  std::erase(node.pods, pod.index());
  if (node.pods.empty()) node.requested = node.non_zero_requested = CpuMem{};  // no drift
}

void Cluster::end_pod(std::size_t i, PodEndReason reason) {
  Pod& p = *pods_[i];
  if (p.phase() == PodPhase::Absent || p.finished()) return;
  ++delete_epoch_[i];
  terminating_.erase(i);
  std::erase(pending_, i);
  unschedulable_.erase(i);
  victims_of_.erase(i);
  nominated_.erase(i);
  for (auto& [preemptor, victims] : victims_of_) victims.erase(i);
  if (p.node_index()) release(nodes_[*p.node_index()], p);
  const PodPhase to = reason == PodEndReason::Succeeded ? PodPhase::Succeeded
                      : reason == PodEndReason::Deleted ? PodPhase::Absent
                                                        : PodPhase::Failed;
  // The VM is not destroyed here: stopping the container makes simcalls (exec cancels) during
  // which a thread of this pod that passed its running() check before the stop can still be
  // between the simcalls that start its exec on this VM (exec_init, set_host, start). Starting
  // an exec on a destroyed VM crashes SimGrid (ExecImpl::start). Such a thread cancels what it
  // started as soon as it sees the new generation (Pod::run_execs); the VM, idle by then, is
  // destroyed at the next sample after this date (destroy_retired_vms).
  if (sim::VirtualMachine* vm = p.stop(to)) retired_vms_.emplace_back(vm, sim::now());
  // What the owner does next (create pods, …) runs after this operation: pods it creates
  // queue behind the older pending pods retried below.
  if (end_hooks_[i]) {
    const EndHook hook = end_hooks_[i];  // a copy: the hook may add pods, and hooks
    hook(p, reason);
  } else if (reason != PodEndReason::Succeeded && reason != PodEndReason::Deleted) {
    start_pod(i);  // the ReplicaSet's replacement, in the same slot
  }
  retry_pending();
}

void Cluster::memory_changed(Pod& pod, double delta_bytes) {
  if (delta_bytes <= 0) return;
  run_exclusive([this, i = pod.index()] {
    if (const auto node = pods_[i]->node_index()) kubelet_.memory_grew(*node);
  });
}

void Cluster::container_failed(Pod& pod, const std::string& /*reason*/) {
  run_exclusive([this, i = pod.index()] {
    // Still the container that failed (not already ended or replaced meanwhile).
    if (pods_[i]->phase() == PodPhase::Waiting) end_pod(i, PodEndReason::ContainerFailed);
  });
}

void Cluster::sample(double interval_s) {
  destroy_retired_vms();
  monitor_.sample(interval_s);
}

void Cluster::destroy_retired_vms() {
  // A VM retired at an earlier date has no thread left that could start on it: the racing
  // starts all happen at the date of the stop (end_pod). destroy() is a simcall during which
  // other actors run and may retire more VMs: the list is taken out first, and what is kept
  // goes back beside them.
  const double t = sim::now();
  std::vector<std::pair<sim::VirtualMachine*, double>> retired;
  retired.swap(retired_vms_);
  std::vector<std::pair<sim::VirtualMachine*, double>> kept;
  for (const auto& r : retired) {
    if (r.second < t)
      r.first->destroy();
    else
      kept.push_back(r);
  }
  retired_vms_.insert(retired_vms_.begin(), kept.begin(), kept.end());
}

std::vector<std::size_t> Cluster::unschedulable_pods() const {
  std::vector<std::size_t> out;
  for (std::size_t i : unschedulable_)
    if (pods_[i]->phase() == PodPhase::Pending) out.push_back(i);
  return out;
}

}  // namespace dlsim::models::k8s
