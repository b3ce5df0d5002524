// A pod with one container, as the kubelet runs it: a SimGrid VM on its node whose bound is
// the CPU limit (CFS quota) and whose execs carry the CPU request as weight (shares); memory
// accounted by ContainerMemory; OOM kill → CrashLoopBackOff restart (kubernetes.md §9.3-9.5).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "models/k8s/backoff.hpp"
#include "models/k8s/memory.hpp"
#include "models/k8s/resources.hpp"
#include "sim/seam.hpp"

namespace dlsim::models::k8s {

// Work below this is carried over to the pod's next compute instead of being an exec of its
// own (engine cost, not a model parameter: 10 ms of CPU is far below the 15 s sampling
// resolution; the FDR's per-service CPU is unchanged to the 4th decimal, at 1/3 the execs).
inline constexpr double kMinExecCoreSeconds = 1e-2;

enum class PodPhase { Pending, Running, Waiting };  // Waiting = container in back-off

class Pod {
 public:
  Pod(std::string name, std::string service, ContainerResources resources, double base_memory_bytes,
      int priority);

  const std::string& name() const { return name_; }
  const std::string& service() const { return service_; }
  const ContainerResources& resources() const { return resources_; }
  QosClass qos() const { return qos_; }
  int priority() const { return priority_; }
  PodPhase phase() const { return phase_; }
  bool running() const { return phase_ == PodPhase::Running; }
  // Incremented at every container start: work begun under an older generation is void.
  std::uint64_t generation() const { return generation_; }

  // Placement (called by the Cluster).
  void bind(std::size_t node_index, std::string node_name, sim::VirtualMachine* vm, double now_s);
  sim::VirtualMachine* vm() const { return vm_; }
  const std::string& node_name() const { return node_name_; }
  std::optional<std::size_t> node_index() const { return node_index_; }
  double scheduled_s() const { return scheduled_s_; }

  // Runs CPU work on the pod for the calling actor. False if the container was killed
  // meanwhile (the work is lost).
  bool compute(double core_seconds);
  // Sets the heap held by one worker of this container (worker = thread index); the
  // container's heap is the sum. May OOM-kill the container: returns false then.
  bool hold_heap(int worker, double bytes);
  // Blocks the calling actor until the container runs again (after a restart).
  void wait_until_running();

  // Records for the summary and the sampler.
  ContainerMemory& memory() { return memory_; }
  const ContainerMemory& memory() const { return memory_; }
  // CPU used so far, including the done part of work in progress (what cAdvisor counts).
  double cpu_core_seconds() const;
  double throttled_seconds() const;  // time with runnable threads above the limit
  int restarts() const { return backoff_.restart_count(); }
  int oom_kills() const { return oom_kills_; }
  int evictions() const { return evictions_; }

  void set_context(sim::ModelContext* ctx) { ctx_ = ctx; }

 private:
  void kill_container(const char* reason);
  void update_running_threads(int delta);

  std::string name_;
  std::string service_;
  ContainerResources resources_;
  QosClass qos_;
  int priority_ = 0;
  double shares_ = 2;
  PodPhase phase_ = PodPhase::Pending;
  std::uint64_t generation_ = 1;
  std::optional<std::size_t> node_index_;
  std::string node_name_;
  sim::VirtualMachine* vm_ = nullptr;
  double scheduled_s_ = -1;
  ContainerMemory memory_;
  std::vector<double> heap_by_worker_;
  RestartBackoff backoff_;
  int oom_kills_ = 0;
  int evictions_ = 0;
  double cpu_core_seconds_ = 0;
  double cpu_carry_core_seconds_ = 0;
  std::map<sim::ExecPtr, double> active_execs_;  // exec → its core-seconds
  int running_threads_ = 0;
  double throttle_since_s_ = -1;
  double throttled_s_ = 0;
  sim::ModelContext* ctx_ = nullptr;
};

std::string_view to_string(PodPhase phase);

}  // namespace dlsim::models::k8s
