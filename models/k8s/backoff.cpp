// CrashLoopBackOff, simple mode; see backoff.hpp for the sources.
#include "models/k8s/backoff.hpp"

#include <algorithm>
#include <cassert>

namespace dlsim::models::k8s {

BackoffConfig BackoffConfig::reduced_decay() {
  BackoffConfig c;
  c.initial_s = 1.0;  // reducedInitialCrashLoopBackOff (kubelet.go)
  c.max_s = 60.0;     // reducedMaxCrashLoopBackOff (kubelet.go)
  return c;
}

RestartBackoff::RestartBackoff(BackoffConfig config) : config_(config) {
  assert(config_.max_s > 0.0 && config_.initial_s > 0.0);
  // newCrashLoopBackOff (kubelet.go): the initial wait never exceeds the configured max.
  config_.initial_s = std::min(config_.initial_s, config_.max_s);
}

double RestartBackoff::on_exit(double exit_time_s) {
  const bool fresh =
      !backoff_s_ || !last_restart_s_ || exit_time_s - *last_restart_s_ > config_.reset_after_s;
  double restart_s = 0.0;
  if (fresh) {
    // k/k kubelet.go back-off: first crash, or the container ran > reset_after_s: restart at once.
    last_wait_s_ = 0.0;
    restart_s = exit_time_s + config_.detection_latency_s;
    backoff_s_ = config_.initial_s;
  } else {
    // k/k kubelet.go back-off simple mode: Waiting/CrashLoopBackOff until t_f + b, restart at t_f +
    // b + δ.
    last_wait_s_ = *backoff_s_;
    restart_s = exit_time_s + *backoff_s_ + config_.detection_latency_s;
    backoff_s_ = std::min(2.0 * *backoff_s_, config_.max_s);
  }
  last_restart_s_ = restart_s;
  ++restart_count_;
  return restart_s;
}

}  // namespace dlsim::models::k8s
