// Where FTS runs when the scenario deploys it (transfers.fts): its url-copy processes spread
// over FTS hosts (VMs, or server pods on Kubernetes), and the CPU its REST API and monitoring
// spend on the calls and transfers they handle.
//
// - Every FTS host runs at most `slots_per_host` fts_url_copy processes: TransfersService
//   counts the fts_url_copy processes it sees and starts no more than MaxUrlCopyProcesses
//   (TransfersService.cpp#L271-L281, v3.9.5); a server pod sees its own. On a VM the bound
//   is also memory: below MinRequiredFreeRAM of free RAM the server drains and starts nothing
//   (DrainMode.h#L79-L91), so a VM starts the processes that fit above it (vm_slots()).
// - Each running transfer is one fts_url_copy process holding `process_bytes` in its host
//   until the transfer ends. The FTS optimizer's grants are capped by the free slots of the
//   hosts that are up; a wave's files take the free slots of the hosts with the most free
//   first (FTS servers pull from the shared queue in turn).
// - A host that goes away (a server pod scaled down or evicted) starts nothing more; the
//   transfers it runs end as planned (assumption: the pod's grace period lets them finish;
//   dlsim does not cancel them).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "sim/seam.hpp"

namespace dlsim::models::transfer {

// One FTS host as the url-copy scheduler sees it.
struct UrlCopyHost {
  std::function<bool()> up;                // may start transfers now
  std::function<void(double bytes)> hold;  // resident memory of its url-copy processes
};

// url-copy processes that fit on one VM of `vm_bytes` (less what the system reserves) next to
// the other FTS services, above MinRequiredFreeRAM, within MaxUrlCopyProcesses.
int vm_slots(double vm_bytes, double others_bytes, double min_free_bytes, double process_bytes,
             int max_url_copy_processes);

class UrlCopyHosts {
 public:
  UrlCopyHosts(std::vector<UrlCopyHost> hosts, int slots_per_host, double process_bytes);

  // (host, processes) taken by one wave.
  using Allocation = std::vector<std::pair<std::size_t, std::int64_t>>;
  std::int64_t free_slots() const;
  // Slots of the hosts that are up (the capacity the optimizer's grants are capped by).
  std::int64_t capacity() const;
  Allocation start(std::int64_t files);
  void end(const Allocation& a);

  std::int64_t running() const { return running_total_; }
  std::int64_t running_peak() const { return running_peak_; }
  int slots_per_host() const { return slots_per_host_; }
  std::size_t hosts() const { return hosts_.size(); }
  // Most processes one host ran at once.
  std::int64_t host_peak() const { return host_peak_; }

 private:
  void hold(std::size_t host);

  std::vector<UrlCopyHost> hosts_;
  std::vector<std::int64_t> running_;
  int slots_per_host_;
  double process_bytes_;
  std::int64_t running_total_ = 0;
  std::int64_t running_peak_ = 0;
  std::int64_t host_peak_ = 0;
};

// CPU a service spends per unit of work (a REST call, a transfer's monitoring messages),
// spread over its running pods as a Kubernetes Service spreads connections over its ready
// endpoints: each unit is shared at once between the pods running then, and each pod runs
// its share as one exec every `period_s` (an engine shortcut: one activity per pod and
// period, whatever the number of calls).
struct LoadPod {
  std::function<bool()> up;
  std::function<bool(double core_seconds)> compute;  // blocks; false if the pod died
  sim::Host* actor_host = nullptr;
};

class ServiceLoad {
 public:
  // `meter_host` runs the actor that samples the rate every period.
  ServiceLoad(std::string name, std::vector<LoadPod> pods, double cpu_per_unit_s, double period_s,
              sim::Host* meter_host);
  // Units arriving now; with no pod up they are not served (counted in unserved()).
  void add(double units);
  // Units per second over the last minute (Prometheus' rate over 1m, as an HPA on a request
  // rate reads it through an adapter).
  double rate();
  double units() const { return units_; }
  double unserved() const { return unserved_; }
  double peak_rate() const { return peak_rate_; }
  void start();

 private:
  std::string name_;
  std::vector<LoadPod> pods_;
  std::vector<double> owed_units_;
  double cpu_per_unit_s_;
  double period_s_;
  sim::Host* meter_host_;
  double units_ = 0;
  double unserved_ = 0;
  double peak_rate_ = 0;
  std::deque<std::pair<double, double>> recent_;  // (time, units) of the last minute
};

}  // namespace dlsim::models::transfer
