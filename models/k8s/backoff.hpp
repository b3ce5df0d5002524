// Kubelet container restart back-off (CrashLoopBackOff) for restartPolicy Always, "simple
// mode" of k/k pkg/kubelet/kubelet.go, client-go util/flowcontrol/backoff.go: restart at exactly
// t_f + b + δ, without the pod worker's jittered re-checks (k/k kubelet.go).
//
// Sources: k/k pkg/kubelet/kubelet.go (initialCrashLoopBackOff 10 s, MaxCrashLoopBackOff
// 300 s, reduced 1 s / 60 s, flat 600 s reset in HasExpiredFunc), client-go
// util/flowcontrol/backoff.go (Next doubles and caps), kuberuntime_manager.go doBackOff.
// Default waits after consecutive crashes: 0, 10, 20, 40, 80, 160, 300, 300, … s.
// Lines (kubernetes master, stored copy read for issue 9): kubelet.go#L166 MaxCrashLoopBackOff,
// #L173 initialCrashLoopBackOff = 10 s; newCrashLoopBackOff picks them. The first crash has no
// back-off entry yet, so doBackOff starts the container at once and Next() creates the 10 s
// entry: the FDR's first restart is immediate (issue 9 read "first waits 10 s" from the event
// order fixed in pod.cpp: the Restarted row came after the second kill at the same instant).
#pragma once

#include <optional>

namespace dlsim::models::k8s {

struct BackoffConfig {
  // First non-zero wait. Default: 10 s, initialCrashLoopBackOff (kubelet.go).
  double initial_s = 10.0;
  // Cap. Default: 300 s, MaxCrashLoopBackOff (kubelet.go). KubeletCrashLoopBackOffMax sets
  // it per node in [1, 300] s; the initial wait is then lowered to the cap if larger.
  double max_s = 300.0;
  // A crash more than this long after the last restart starts afresh. Default: 600 s,
  // HasExpiredFunc in kubelet.go (KEP-4603 flat reset).
  double reset_after_s = 600.0;
  // Kubelet detection latency δ between exit and the sync that restarts. Default here: 0 s;
  // the engine passes its own (k/k kubelet.go back-off assumption ~1 s, genericPlegRelistPeriod,
  // kubelet.go).
  double detection_latency_s = 0.0;

  // Gate ReduceDefaultCrashLoopBackOffDecay: 1 s initial, 60 s cap (kubelet.go, alpha 1.33).
  static BackoffConfig reduced_decay();
};

class RestartBackoff {
 public:
  explicit RestartBackoff(BackoffConfig config = {});

  // The container exited at exit_time_s; returns the time it is restarted and records that
  // restart (restart_count() += 1, back-off state advanced).
  double on_exit(double exit_time_s);

  // Restarts so far (status.containerStatuses[].restartCount; never reset).
  int restart_count() const { return restart_count_; }
  // Wait before the last restart, excluding δ (0 for a first or reset crash). While it is
  // positive the container shows Waiting/CrashLoopBackOff.
  double last_wait_s() const { return last_wait_s_; }
  // Back-off to apply to the next crash (b in k/k kubelet.go back-off); nullopt before the first
  // crash.
  std::optional<double> next_backoff_s() const { return backoff_s_; }
  // Time of the last restart (τ in k/k kubelet.go back-off); nullopt before the first crash.
  std::optional<double> last_restart_s() const { return last_restart_s_; }

  const BackoffConfig& config() const { return config_; }

 private:
  BackoffConfig config_;
  std::optional<double> backoff_s_;
  std::optional<double> last_restart_s_;
  double last_wait_s_ = 0.0;
  int restart_count_ = 0;
};

}  // namespace dlsim::models::k8s
