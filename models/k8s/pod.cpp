// Pod lifecycle, CPU work, memory and container restarts; see pod.hpp.
#include "models/k8s/pod.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace dlsim::models::k8s {

Pod::Pod(PodSpec spec, std::size_t index, sim::Host* actor_host)
    : spec_(std::move(spec)),
      index_(index),
      actor_host_(actor_host),
      memory_(spec_.base_memory_bytes) {
  spec_.resources = apply_request_defaults(resolve_quantities(spec_.resources));
  qos_ = qos_class(std::span<const ContainerResources>(&spec_.resources, 1));
  shares_ = static_cast<double>(cpu_shares(spec_.resources.cpu_request_cores));
}

void Pod::set_phase(PodPhase phase) {
  note_phase(phase);
  state_changed_.notify_all();
}

void Pod::note_phase(PodPhase to) {
  const double t = sim::now();
  if (phase_ == PodPhase::Running && to != PodPhase::Running) ran_s_ += t - running_since_s_;
  if (phase_ != PodPhase::Running && to == PodPhase::Running) running_since_s_ = t;
  phase_ = to;
}

double Pod::running_seconds() const {
  return ran_s_ + (running() ? sim::now() - running_since_s_ : 0.0);
}

double Pod::bound_seconds() const {
  return bound_s_ + (node_index_ ? sim::now() - scheduled_s_ : 0.0);
}

void Pod::create(double now_s) {
  created_s_ = now_s;
  backoff_ = RestartBackoff{};  // a new pod starts with no back-off history
  std::fill(heap_by_worker_.begin(), heap_by_worker_.end(), 0.0);
  memory_.restart();
  set_phase(PodPhase::Pending);
}

void Pod::bind(std::size_t node_index, std::string node_name, sim::VirtualMachine* vm,
               double now_s) {
  node_index_ = node_index;
  node_name_ = std::move(node_name);
  last_node_name_ = node_name_;
  vm_ = vm;
  scheduled_s_ = now_s;
  ++generation_;
  start_process();
}

void Pod::start_process() {
  // A new process starts from its base RSS. If that is above memory.max, the allocation that
  // crosses the limit cannot be reclaimed and the OOM killer runs in the cgroup as the process
  // starts (Linux Documentation/admin-guide/cgroup-v2.rst, memory.max; kubernetes.io
  // manage-resources-containers), not at its first work cycle. Checked before the waiters wake, so
  // no work starts.
  memory_.restart();
  note_phase(PodPhase::Running);
  if (memory_.enforce_limit(spec_.resources.mem_limit_bytes).oom_kill) {
    kill_container("OOMKilled", fmt::format("exit 137 at start; rss {:.0f} B over limit {:.0f} B",
                                            memory_.non_reclaimable_bytes(),
                                            spec_.resources.mem_limit_bytes.value_or(0)));
    return;
  }
  state_changed_.notify_all();
}

bool Pod::compute(double core_seconds) {
  if (!running() || core_seconds <= 0) return running();
  // Slivers of CPU (an idle cycle's heartbeat) are carried over and run with the next
  // compute that reaches kMinExecCoreSeconds: the same CPU, far fewer engine activities.
  core_seconds += cpu_carry_core_seconds_;
  if (core_seconds < kMinExecCoreSeconds) {
    cpu_carry_core_seconds_ = core_seconds;
    return true;
  }
  cpu_carry_core_seconds_ = 0;
  const std::uint64_t gen = generation_;
  return run_execs({sim::start_exec(vm_, core_seconds, shares_)}, core_seconds, gen);
}

bool Pod::compute_parallel(double core_seconds_each, int threads) {
  if (!running()) return false;
  if (core_seconds_each <= 0 || threads <= 0) return true;
  const std::uint64_t gen = generation_;
  return run_execs(sim::start_execs(vm_, core_seconds_each, threads, shares_), core_seconds_each,
                   gen);
}

bool Pod::run_execs(std::vector<sim::ExecPtr> execs, double core_seconds_each, std::uint64_t gen) {
  // Starting an exec takes simcalls, during which the container may have been stopped
  // (Cluster::end_pod, an OOM kill): stop_container cancelled only the execs it knew of, so
  // these are cancelled here, and the work is lost like the rest of the container's.
  if (gen != generation_) {
    for (const auto& e : execs) e->cancel();
    return false;
  }
  for (const auto& e : execs) active_execs_.emplace_back(e, core_seconds_each);
  update_running_threads(static_cast<int>(execs.size()));
  bool done = true;
  for (const auto& e : execs) {
    const bool ok = sim::wait_exec(e);
    auto it = std::find_if(active_execs_.begin(), active_execs_.end(),
                           [&](const auto& a) { return a.first == e; });
    if (ok && it != active_execs_.end()) {
      active_execs_.erase(it);
      update_running_threads(-1);
      cpu_core_seconds_ += core_seconds_each;
    }
    done = done && ok;
  }
  return done && gen == generation_;
}

bool Pod::hold_heap(int worker, double bytes) {
  if (!running()) return false;
  const std::uint64_t gen = generation_;
  if (heap_by_worker_.size() <= static_cast<std::size_t>(worker))
    heap_by_worker_.resize(static_cast<std::size_t>(worker) + 1, 0.0);
  heap_by_worker_[static_cast<std::size_t>(worker)] = bytes;
  double total = 0;
  for (double b : heap_by_worker_) total += b;
  const double before = memory_.non_reclaimable_bytes();
  memory_.set_heap_demand(total);
  return after_memory_change(before, gen);
}

bool Pod::hold_child_processes(double bytes) {
  if (!running()) return false;
  const double before = memory_.non_reclaimable_bytes();
  memory_.set_child_process_bytes(bytes);
  return after_memory_change(before, generation_);
}

bool Pod::after_memory_change(double before_bytes, std::uint64_t gen) {
  if (memory_.enforce_limit(spec_.resources.mem_limit_bytes).oom_kill) {
    kill_container("OOMKilled", fmt::format("exit 137; rss {:.0f} B over limit {:.0f} B",
                                            memory_.non_reclaimable_bytes(),
                                            spec_.resources.mem_limit_bytes.value_or(0)));
    return false;
  }
  const double delta = memory_.non_reclaimable_bytes() - before_bytes;
  if (listener_ && delta != 0) listener_->memory_changed(*this, delta);
  return running() && gen == generation_;
}

void Pod::stop_container(PodPhase next) {
  // All threads of the container die; their fetched rows stay in their tables because nothing
  // was committed. The state changes first: cancelling an exec is a simcall during which other
  // actors run, and the ones whose work is cancelled must find the container gone.
  const double t = sim::now();
  const auto execs = active_execs_;
  active_execs_.clear();
  if (throttle_since_s_ >= 0) {
    throttled_s_ += t - throttle_since_s_;
    throttle_since_s_ = -1;
  }
  running_threads_ = 0;
  std::fill(heap_by_worker_.begin(), heap_by_worker_.end(), 0.0);
  memory_.restart();  // the process is gone; the next one starts from its base
  ++generation_;
  note_phase(next);
  for (const auto& [e, work] : execs) {
    cpu_core_seconds_ += work - e->get_remaining() / sim::kCoreSpeed;  // used before the kill
    e->cancel();
  }
  state_changed_.notify_all();
}

void Pod::kill_container(const std::string& reason, const std::string& detail) {
  if (!running()) return;
  const double t = sim::now();
  ++oom_kills_;
  if (ctx_) ctx_->recorder.event(t, reason, spec_.name, node_name_, detail);
  // Waiting: the container is terminated (restartPolicy Never: until the listener ends the pod).
  stop_container(PodPhase::Waiting);
  if (spec_.restart_policy == RestartPolicy::Never) {
    if (listener_) {
      listener_->container_failed(*this, reason);
    } else {
      set_phase(PodPhase::Failed);
    }
    return;
  }
  const double restart_at = backoff_.on_exit(t);
  if (ctx_ && restart_at > t)
    ctx_->recorder.event(t, "BackOff", spec_.name, node_name_,
                         fmt::format("restart in {:.0f} s", restart_at - t));
  const std::uint64_t gen = generation_;
  sim::spawn(spec_.name + "/restart", actor_host_, [this, restart_at, gen] {
    sim::sleep_until(restart_at);
    if (generation_ != gen || phase_ != PodPhase::Waiting) return;  // pod stopped meanwhile
    ++restarts_;
    // Stamped as the new process starts, before anything it runs into (an OOM kill at start
    // comes after it, at the same instant).
    if (ctx_)
      ctx_->recorder.event(sim::now(), "Restarted", spec_.name, node_name_,
                           fmt::format("restart #{}", restarts_));
    start_process();
  });
}

sim::VirtualMachine* Pod::stop(PodPhase to) {
  sim::VirtualMachine* vm = vm_;
  vm_ = nullptr;
  if (node_index_) bound_s_ += sim::now() - scheduled_s_;
  node_index_.reset();
  node_name_.clear();
  if (running()) {
    stop_container(to);
  } else {
    ++generation_;
    set_phase(to);
  }
  return vm;
}

void Pod::wait_until_running() {
  while (!running()) state_changed_.wait();
}

bool Pod::wait_until_running_or_gone() {
  while (!running()) {
    if (finished()) return false;
    state_changed_.wait();
  }
  return true;
}

void Pod::update_running_threads(int delta) {
  // A container is throttled while more threads want CPU than its quota allows
  // (k/k pkg/kubelet/cm/helpers_linux.go; cgroup v2 cpu.max): parallelism p > limit.
  const double t = sim::now();
  const auto& limit = spec_.resources.cpu_limit_cores;
  bool was = limit && running_threads_ > *limit;
  running_threads_ += delta;
  bool is = limit && running_threads_ > *limit;
  if (!was && is) throttle_since_s_ = t;
  if (was && !is && throttle_since_s_ >= 0) {
    throttled_s_ += t - throttle_since_s_;
    throttle_since_s_ = -1;
  }
}

double Pod::throttled_seconds() const {
  return throttled_s_ + (throttle_since_s_ >= 0 ? sim::now() - throttle_since_s_ : 0.0);
}

double Pod::cpu_core_seconds() const {
  // A copy: get_remaining() is a simcall, and other actors may end execs of this pod (and
  // erase them from active_execs_) while it is answered.
  const auto execs = active_execs_;
  const double done = cpu_core_seconds_;
  double in_flight = 0;
  for (const auto& [exec, work] : execs)
    in_flight += work - exec->get_remaining() / sim::kCoreSpeed;
  return done + in_flight + idle_cores_ * running_seconds();
}

std::string_view to_string(PodPhase phase) {
  switch (phase) {
    case PodPhase::Absent:
      return "Absent";
    case PodPhase::Pending:
      return "Pending";
    case PodPhase::Running:
      return "Running";
    case PodPhase::Waiting:
      return "CrashLoopBackOff";
    case PodPhase::Succeeded:
      return "Succeeded";
    case PodPhase::Failed:
      return "Failed";
  }
  return "Unknown";
}

}  // namespace dlsim::models::k8s
