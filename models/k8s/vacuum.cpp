// The vacuum controller; see vacuum.hpp.
#include "models/k8s/vacuum.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace dlsim::models::k8s {

VacuumController::VacuumController(Cluster& cluster, VacuumConfig config)
    : cluster_(cluster),
      config_(std::move(config)),
      rng_(cluster.context().rng.stream("vacuum/" + config_.name)),
      payloads_left_(config_.payloads),
      next_backoff_s_(config_.backoff_s) {}

void VacuumController::start() {
  sim::spawn("vacuum/" + config_.name, cluster_.control_plane(), [this] {
    sim::sleep_until(config_.start_s);
    for (;;) {
      fill();
      sim::sleep_for(config_.interval_s);
    }
  });
}

void VacuumController::fill() {
  if (sim::now() < backoff_until_s_) return;
  const double cpu = config_.pod.resources.cpu_request_cores.value_or(0.0);
  while (live_ < config_.max_pods && (live_ + 1) * cpu <= config_.budget_cpu_cores + 1e-9) launch();
}

void VacuumController::launch() {
  const std::size_t index =
      create_batch_pod(cluster_, config_.pod, config_.name, pods_,
                       [this](Pod& pod, PodEndReason reason) { on_end(pod, reason); });
  ++live_;
  stats_.pod_created();
  const double run_time = draw_run_time(config_.payload, rng_);
  sim::spawn(cluster_.pod(index).name() + "/pilot", cluster_.control_plane(),
             [this, index, run_time] { pilot(index, run_time); });
  cluster_.start_pod(index);
}

void VacuumController::pilot(std::size_t index, double run_time_s) {
  Pod& pod = cluster_.pod(index);
  while (pod.wait_until_running_or_gone()) {
    if (payloads_left_ == 0) {
      // No work: the pilot looks, then exits 0.
      const std::uint64_t generation = pod.generation();
      sim::sleep_for(config_.no_work_s);
      if (!pod.running() || pod.generation() != generation) continue;
      ++no_work_;
      back_off(fmt::format("{} found no work", pod.name()));
      cluster_.complete_pod(index);
      return;
    }
    --payloads_left_;
    if (run_payload(pod, config_.payload, run_time_s)) {
      ++payloads_done_;
      next_backoff_s_ = config_.backoff_s;
      cluster_.complete_pod(index);
      return;
    }
    ++payloads_left_;  // the payload was lost with the container: back in the queue
  }
}

void VacuumController::back_off(const std::string& why) {
  if (sim::now() < backoff_until_s_) return;  // already backing off: no escalation
  backoff_until_s_ = sim::now() + next_backoff_s_;
  ++backoffs_;
  cluster_.context().recorder.event(
      sim::now(), "BackOff", config_.name, "",
      fmt::format("{}; no new pods for {:.0f} s", why, next_backoff_s_));
  next_backoff_s_ = std::min(2 * next_backoff_s_, config_.backoff_max_s);
}

void VacuumController::on_end(Pod& pod, PodEndReason reason) {
  --live_;
  const bool succeeded = reason == PodEndReason::Succeeded;
  stats_.pod_ended(pod, succeeded);
  if (!succeeded && reason != PodEndReason::Deleted)
    back_off(fmt::format("{} {}", pod.name(), to_string(reason)));
}

sim::JobSummary VacuumController::summary() const {
  sim::JobSummary s;
  s.name = config_.name;
  s.kind = "vacuum";
  stats_.fill(s, cluster_, pods_);
  s.payloads_done = payloads_done_;
  s.no_work = no_work_;
  s.backoffs = backoffs_;
  return s;
}

}  // namespace dlsim::models::k8s
