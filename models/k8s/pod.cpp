#include "models/k8s/pod.hpp"

#include <fmt/core.h>

namespace dlsim::models::k8s {

Pod::Pod(std::string name, std::string service, ContainerResources resources,
         double base_memory_bytes, int priority)
    : name_(std::move(name)),
      service_(std::move(service)),
      resources_(apply_request_defaults(resources)),
      qos_(qos_class(std::span<const ContainerResources>(&resources_, 1))),
      priority_(priority),
      shares_(static_cast<double>(cpu_shares(resources_.cpu_request_cores))),
      memory_(base_memory_bytes) {}

void Pod::bind(std::size_t node_index, std::string node_name, sim::VirtualMachine* vm,
               double now_s) {
  node_index_ = node_index;
  node_name_ = std::move(node_name);
  vm_ = vm;
  scheduled_s_ = now_s;
  phase_ = PodPhase::Running;
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
  sim::ExecPtr exec = sim::start_exec(vm_, core_seconds, shares_);
  active_execs_.emplace(exec, core_seconds);
  update_running_threads(+1);
  bool done = sim::wait_exec(exec);
  active_execs_.erase(exec);
  if (done) {
    update_running_threads(-1);
    cpu_core_seconds_ += core_seconds;
  }
  return done && gen == generation_;
}

bool Pod::hold_heap(int worker, double bytes) {
  if (!running()) return false;
  if (heap_by_worker_.size() <= static_cast<std::size_t>(worker))
    heap_by_worker_.resize(static_cast<std::size_t>(worker) + 1, 0.0);
  heap_by_worker_[static_cast<std::size_t>(worker)] = bytes;
  double total = 0;
  for (double b : heap_by_worker_) total += b;
  memory_.set_heap_demand(total);
  if (memory_.enforce_limit(resources_.mem_limit_bytes).oom_kill) {
    kill_container("OOMKilled");
    return false;
  }
  return true;
}

void Pod::kill_container(const char* reason) {
  const double t = sim::now();
  ++oom_kills_;
  if (ctx_)
    ctx_->recorder.event(
        t, reason, name_, node_name_,
        fmt::format("exit 137; rss {:.0f} B over limit {:.0f} B", memory_.non_reclaimable_bytes(),
                    resources_.mem_limit_bytes.value_or(0)));
  // All threads of the container die: cancel their CPU work; their fetched rows stay in
  // their tables because nothing was committed.
  auto execs = active_execs_;
  for (const auto& [e, work] : execs) {
    cpu_core_seconds_ += work - e->get_remaining() / sim::kCoreSpeed;  // used before the kill
    e->cancel();
  }
  active_execs_.clear();
  if (throttle_since_s_ >= 0) {
    throttled_s_ += t - throttle_since_s_;
    throttle_since_s_ = -1;
  }
  running_threads_ = 0;
  std::fill(heap_by_worker_.begin(), heap_by_worker_.end(), 0.0);
  memory_.restart();  // the process is gone; the next one starts from its base
  phase_ = PodPhase::Waiting;
  ++generation_;
  double restart_at = backoff_.on_exit(t);
  if (ctx_ && restart_at > t)
    ctx_->recorder.event(t, "BackOff", name_, node_name_,
                         fmt::format("restart in {:.0f} s", restart_at - t));
  sim::spawn(name_ + "/restart", vm_, [this, restart_at] {
    sim::sleep_until(restart_at);
    memory_.restart();
    phase_ = PodPhase::Running;
    if (ctx_)
      ctx_->recorder.event(sim::now(), "Restarted", name_, node_name_,
                           fmt::format("restart #{}", backoff_.restart_count()));
  });
}

void Pod::wait_until_running() {
  while (!running()) sim::sleep_for(1.0);
}

void Pod::update_running_threads(int delta) {
  // A container is throttled while more threads want CPU than its quota allows
  // (kubernetes.md §9.5.4): parallelism p > limit.
  const double t = sim::now();
  bool was = resources_.cpu_limit_cores && running_threads_ > *resources_.cpu_limit_cores;
  running_threads_ += delta;
  bool is = resources_.cpu_limit_cores && running_threads_ > *resources_.cpu_limit_cores;
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
  double in_flight = 0;
  for (const auto& [exec, work] : active_execs_)
    in_flight += work - exec->get_remaining() / sim::kCoreSpeed;
  return cpu_core_seconds_ + in_flight;
}

std::string_view to_string(PodPhase phase) {
  switch (phase) {
    case PodPhase::Pending:
      return "Pending";
    case PodPhase::Running:
      return "Running";
    case PodPhase::Waiting:
      return "CrashLoopBackOff";
  }
  return "Unknown";
}

}  // namespace dlsim::models::k8s
