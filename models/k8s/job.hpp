// Batch work on the cluster: a Job's pods running a payload (a pilot job: CPU on the pod and
// memory held while it runs), created `parallelism` at a time until `completions` succeed
// (k/website concepts/workloads/controllers/job.md).
//
// - A failed pod (evicted, preempted, OOM-killed with restartPolicy Never) is replaced after
//   the Job controller's back-off, 10 s doubling per failure and capped at 6 min (job.md,
//   "Pod backoff failure policy"); after backoff_limit failures (default 6, same page) the
//   Job fails: no new pods, the active ones are deleted.
// - With restartPolicy OnFailure the container restarts in place (CrashLoopBackOff) and the
//   payload starts again from the beginning.
// - The payload's work: `threads` threads each busy for run_time at one full core; under a
//   lower CPU limit or contention it takes longer. Each pod draws its run time uniformly in
//   run_time·[1 − spread, 1 + spread] from the job's own RNG stream.
// Not modelled: completion modes (Indexed), activeDeadlineSeconds, podFailurePolicy, TTL.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "models/k8s/cluster.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::k8s {

struct PayloadConfig {
  double run_time_s = 0;       // wall time at full speed
  double run_time_spread = 0;  // fraction, 0 ≤ spread < 1
  int threads = 1;             // busy threads (cores it can use)
  double memory_bytes = 0;     // heap held while it runs
};

// Runs one payload on a running pod for the calling actor: true if it completed, false if
// the container was killed or the pod ended.
bool run_payload(Pod& pod, const PayloadConfig& payload, double run_time_s);

// Draws a run time from the payload's spread.
double draw_run_time(const PayloadConfig& payload, std::mt19937_64& rng);

// Creates the next pod of a batch controller from its template: named <owner>-<n> with n the
// pods created so far, appended to `pods`, its end reported to `on_end`. Not started yet.
std::size_t create_batch_pod(Cluster& cluster, const PodSpec& pod_template,
                             const std::string& owner, std::vector<std::size_t>& pods,
                             Cluster::EndHook on_end);

// Job controller pod-failure back-off: 10 s · 2^(failures − 1), capped at 360 s (job.md).
double job_failure_backoff_s(int failures);

// Waits and run times of the pods of a job or vacuum pool, for the summary.
class BatchStats {
 public:
  void pod_created() { ++created_; }
  void pod_ended(const Pod& pod, bool succeeded);
  // Fills the common figures; pods still Pending count with their wait so far.
  void fill(sim::JobSummary& out, const Cluster& cluster,
            const std::vector<std::size_t>& pods) const;

 private:
  std::int64_t created_ = 0;
  std::int64_t succeeded_ = 0;
  std::int64_t failed_ = 0;
  std::vector<double> run_s_;
};

struct JobConfig {
  std::string name;
  PodSpec pod;          // template; pods are named <job>-<n>
  int completions = 1;  // Default 1 (Job spec)
  int parallelism = 1;  // Default 1 (Job spec)
  double start_s = 0;
  int backoff_limit = 6;  // Default 6 (Job spec)
  PayloadConfig payload;
};

class Job {
 public:
  Job(Cluster& cluster, JobConfig config);

  void start();  // creates the first pods at start_s
  sim::JobSummary summary() const;

 private:
  void create_pods();
  void on_end(Pod& pod, PodEndReason reason);

  Cluster& cluster_;
  JobConfig config_;
  std::mt19937_64& rng_;
  std::vector<std::size_t> pods_;
  int active_ = 0;
  int succeeded_ = 0;
  int failures_ = 0;
  bool failed_ = false;
  bool creation_delayed_ = false;
  BatchStats stats_;
};

}  // namespace dlsim::models::k8s
