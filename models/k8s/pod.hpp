// A pod with one container, as the kubelet runs it: a SimGrid VM on its node whose bound is
// the CPU limit (CFS quota) and whose execs carry the CPU request as weight (shares); memory
// accounted by ContainerMemory; OOM kill → restart after CrashLoopBackOff or, with
// restartPolicy Never, a Failed pod (kubernetes.io pod-lifecycle).
//
// A Pod object is a pod *slot*: a Deployment's replica keeps its object (and its row in
// pods.csv) across an eviction and its replacement, and across a scale-down and a later
// scale-up; the Kubernetes pods it stands for have the same name here. Batch jobs create one
// object per pod. Actors that run the pod's processes live on the cluster's control-plane
// host (vm()) so that they survive the pod moving between nodes; their CPU work runs on the
// pod's VM on its node.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/backoff.hpp"
#include "models/k8s/memory.hpp"
#include "models/k8s/resources.hpp"
#include "sim/seam.hpp"

namespace dlsim::models::k8s {

// Work below this is carried over to the pod's next compute instead of being an exec of its
// own (engine cost, not a model parameter: 10 ms of CPU is far below the 15 s sampling
// resolution; the FDR's per-service CPU is unchanged to the 4th decimal, at 1/3 the execs).
inline constexpr double kMinExecCoreSeconds = 1e-2;
// terminationGracePeriodSeconds default 30 s (kubernetes.io pod-lifecycle).
inline constexpr double kDefaultTerminationGraceS = 30.0;

enum class PodPhase {
  Absent,     // no Kubernetes pod in this slot (never created, or scaled down)
  Pending,    // created, not bound to a node
  Running,    // bound, container running
  Waiting,    // bound, container in CrashLoopBackOff
  Succeeded,  // container exited 0 (Job pods)
  Failed,     // evicted, preempted, or its container failed with restartPolicy Never
};

// restartPolicy (kubernetes.io pod-lifecycle). OnFailure restarts in place like Always
// because a simulated container only ever exits non-zero by being killed.
enum class RestartPolicy { Always, OnFailure, Never };

class Pod;

// Told about what a pod's container does that matters beyond the pod (the Cluster).
class PodListener {
 public:
  virtual ~PodListener() = default;
  // The container's non-reclaimable memory changed by `delta_bytes` (node memory accounting).
  virtual void memory_changed(Pod& pod, double delta_bytes) = 0;
  // The container was killed and, with restartPolicy Never, will not run again.
  virtual void container_failed(Pod& pod, const std::string& reason) = 0;
};

// What a pod is created from (the pod template of its controller).
struct PodSpec {
  std::string name;
  std::string owner;  // service, job or vacuum pool it belongs to
  ContainerResources resources;
  double base_memory_bytes = 0;  // resident memory of the freshly started process
  int priority = 0;              // PriorityClass value; Default 0 (no PriorityClass)
  RestartPolicy restart_policy = RestartPolicy::Always;
  double termination_grace_s = kDefaultTerminationGraceS;
  std::optional<std::string> node_pool;  // nodeSelector on a node pool; unset: any node
};

class Pod {
 public:
  Pod(PodSpec spec, std::size_t index, sim::Host* actor_host);

  const std::string& name() const { return spec_.name; }
  const std::string& service() const { return spec_.owner; }
  const PodSpec& spec() const { return spec_; }
  const ContainerResources& resources() const { return spec_.resources; }
  QosClass qos() const { return qos_; }
  int priority() const { return spec_.priority; }
  std::size_t index() const { return index_; }  // in Cluster::pods()
  PodPhase phase() const { return phase_; }
  bool running() const { return phase_ == PodPhase::Running; }
  bool bound() const { return phase_ == PodPhase::Running || phase_ == PodPhase::Waiting; }
  bool finished() const { return phase_ == PodPhase::Succeeded || phase_ == PodPhase::Failed; }
  // Incremented at every container start and stop: work begun under an older one is void.
  std::uint64_t generation() const { return generation_; }

  // The host on which actors running this pod's processes live (the control plane).
  sim::Host* vm() const { return actor_host_; }
  // The VM on the pod's node while bound, else nullptr.
  sim::VirtualMachine* node_vm() const { return vm_; }
  const std::string& node_name() const { return node_name_; }
  // The node the pod is or was last bound to ("" if never): what pods.csv reports.
  const std::string& last_node_name() const { return last_node_name_; }
  std::optional<std::size_t> node_index() const { return node_index_; }
  double created_s() const { return created_s_; }      // last creation (Pending since)
  double scheduled_s() const { return scheduled_s_; }  // last binding, −1 if never bound
  bool ever_existed() const { return created_s_ >= 0; }

  // Runs CPU work on the pod for the calling actor. False if the container was killed
  // meanwhile (the work is lost) or is not running.
  bool compute(double core_seconds);
  // `threads` execs of `core_seconds_each` at once (a multi-core payload).
  bool compute_parallel(double core_seconds_each, int threads);
  // Sets the heap held by one worker of this container (worker = thread index); the
  // container's heap is the sum. May OOM-kill the container: returns false then.
  bool hold_heap(int worker, double bytes);
  // Sets the resident memory of the container's short-lived child processes (FTS url-copy
  // processes; freed when they exit). May OOM-kill the container: returns false then.
  bool hold_child_processes(double bytes);
  // Blocks the calling actor until the container runs (forever if it never does again).
  void wait_until_running();
  // Blocks until the container runs (true) or the pod is finished (false). An Absent pod may
  // still be started (its creation can be queued behind a cluster operation): it waits.
  bool wait_until_running_or_gone();

  // Kills the container now (cgroup or node OOM): exit 137, back-off restart or, with
  // restartPolicy Never, the listener's container_failed().
  void kill_container(const std::string& reason, const std::string& detail);

  // Records for the summary and the sampler.
  ContainerMemory& memory() { return memory_; }
  const ContainerMemory& memory() const { return memory_; }
  // CPU used so far, including the done part of work in progress and the idle load (what
  // cAdvisor counts).
  double cpu_core_seconds() const;
  // A steady background load of the container's processes while it runs (interpreter
  // housekeeping): counted in cpu_core_seconds() without engine activities. It does not
  // compete for the CPU (an engine shortcut for loads of a few millicores: a percent or two
  // of any limit).
  void set_idle_cores(double cores) { idle_cores_ = cores; }
  double running_seconds() const;    // time the container has run, over all its starts
  double bound_seconds() const;      // time bound to a node (holding its requests), all bindings
  double throttled_seconds() const;  // time with runnable threads above the limit
  int restarts() const { return restarts_; }
  int oom_kills() const { return oom_kills_; }
  int evictions() const { return evictions_; }
  int preemptions() const { return preemptions_; }

  void set_context(sim::ModelContext* ctx) { ctx_ = ctx; }
  void set_listener(PodListener* listener) { listener_ = listener; }

  // Lifecycle transitions, driven by the Cluster only.
  void create(double now_s);  // Absent/finished → Pending
  void bind(std::size_t node_index, std::string node_name, sim::VirtualMachine* vm, double now_s);
  // Stops the container (work lost), leaves the node; phase becomes `to` (Pending for an
  // in-place replacement). Returns the VM the pod had, for the caller to destroy.
  sim::VirtualMachine* stop(PodPhase to);
  void count_eviction() { ++evictions_; }
  void count_preemption() { ++preemptions_; }

 private:
  void stop_container(PodPhase next);
  void update_running_threads(int delta);
  void note_phase(PodPhase to);  // sets phase_, keeping the running time
  void start_process();          // Running from the base RSS, or OOMKilled at once
  void set_phase(PodPhase phase);
  // After a memory change: the cgroup limit (OOM kill), then the node's accounting.
  bool after_memory_change(double before_bytes, std::uint64_t generation);
  bool run_execs(std::vector<sim::ExecPtr> execs, double core_seconds_each, std::uint64_t gen);

  PodSpec spec_;
  std::size_t index_;
  sim::Host* actor_host_;
  QosClass qos_;
  double shares_ = 2;
  PodPhase phase_ = PodPhase::Absent;
  std::uint64_t generation_ = 1;
  std::optional<std::size_t> node_index_;
  std::string node_name_;
  std::string last_node_name_;
  sim::VirtualMachine* vm_ = nullptr;
  double created_s_ = -1;
  double scheduled_s_ = -1;
  ContainerMemory memory_;
  std::vector<double> heap_by_worker_;
  RestartBackoff backoff_;
  int restarts_ = 0;
  int oom_kills_ = 0;
  int evictions_ = 0;
  int preemptions_ = 0;
  double cpu_core_seconds_ = 0;
  double cpu_carry_core_seconds_ = 0;
  // exec → its core-seconds, in the order they started: sums over it must not depend on
  // heap addresses (same scenario and seed, same bytes).
  std::vector<std::pair<sim::ExecPtr, double>> active_execs_;
  int running_threads_ = 0;
  double idle_cores_ = 0;
  double running_since_s_ = 0;
  double ran_s_ = 0;
  double bound_s_ = 0;  // closed bindings; the open one counts from scheduled_s_
  double throttle_since_s_ = -1;
  double throttled_s_ = 0;
  sim::Signal state_changed_;
  sim::ModelContext* ctx_ = nullptr;
  PodListener* listener_ = nullptr;
};

std::string_view to_string(PodPhase phase);

}  // namespace dlsim::models::k8s
