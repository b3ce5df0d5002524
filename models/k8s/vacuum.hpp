// A "vacuum" controller: it keeps starting pilot pods up to a resource budget, each pilot
// takes a payload from the experiment's queue if there is one and runs it, or exits after a
// short look if there is none; when pilots find no work or fail, it backs off and starts no
// pod for a while. This is the vacuum model of Vac/Vcycle (www.gridpp.ac.uk/vcycle: "VMs
// appear by spontaneous production in the vacuum", a VM that finds no work makes Vcycle back
// off) applied to Kubernetes pods.
//
// Rules (all times are parameters; their defaults are our assumptions):
// - Every `interval`, unless backing off, create pods while Σ CPU requests of its live pods
//   (Pending or bound) + one more pod ≤ budget_cpu (and the pod count ≤ max_pods).
// - A pod that finds no payload exits 0 after `no_work_time`; a pod that fails (OOM-killed,
//   evicted, preempted) ends Failed. Either starts a back-off of `backoff` doubling up to
//   `backoff_max` for each further no-work or failure after a back-off ended (those during a
//   back-off do not extend it); a payload completed resets it.
// - BackOff events name the vacuum pool and say until when.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "models/k8s/job.hpp"

namespace dlsim::models::k8s {

struct VacuumConfig {
  std::string name;
  PodSpec pod;  // template; pods are named <name>-<n>
  double budget_cpu_cores = 0;
  int max_pods = 1000;
  std::int64_t payloads = 0;  // payloads in the queue at start
  PayloadConfig payload;
  double start_s = 0;
  double interval_s = 60;
  double no_work_s = 60;
  double backoff_s = 600;
  double backoff_max_s = 3600;
};

class VacuumController {
 public:
  VacuumController(Cluster& cluster, VacuumConfig config);

  void start();
  sim::JobSummary summary() const;

 private:
  void fill();
  void launch();
  void pilot(std::size_t pod_index, double run_time_s);
  void back_off(const std::string& why);
  void on_end(Pod& pod, PodEndReason reason);

  Cluster& cluster_;
  VacuumConfig config_;
  std::mt19937_64& rng_;
  std::vector<std::size_t> pods_;
  int live_ = 0;
  std::int64_t payloads_left_ = 0;
  std::int64_t payloads_done_ = 0;
  std::int64_t no_work_ = 0;
  std::int64_t backoffs_ = 0;
  double backoff_until_s_ = -1;
  double next_backoff_s_ = 0;
  BatchStats stats_;
};

}  // namespace dlsim::models::k8s
