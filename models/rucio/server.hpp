// The Rucio REST and auth servers (rucio 1.23.10 etc/web/aliases.conf#L2-28): Apache mod_wsgi with
// `processes` × `threads` workers per pod; a client call waits for a free worker on its pod, then
// costs CPU for its statements, rows and the request itself (rucio.model), and database round
// trips. A client's sequence of calls (a dataset's uploads, its registration and its rule) is
// served back to back in one worker, with one exec and one database wait for the whole sequence (an
// engine shortcut): each call's latency is its share of the sequence's time, by CPU.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u/Semaphore.hpp>

#include "models/k8s/pod.hpp"
#include "models/rucio/daemon.hpp"
#include "models/rucio/latency.hpp"
#include "models/rucio/work.hpp"

namespace dlsim::models::rucio {

// `count` identical calls of one API operation.
struct ApiCalls {
  std::string operation;  // "upload", "add_rule", "auth_token", ...
  Work per_call;          // statements, rows; `requests` is set to 1 per call by the server
  double heap_bytes = 0;  // held by the worker while serving
  std::int64_t count = 1;
};

class ServerPool {
 public:
  ServerPool(RucioWorld& world, std::string service, std::vector<k8s::Pod*> pods,
             int workers_per_pod);

  // Serves the calls for the calling (client) actor; false if no pod could serve them.
  bool serve(const ApiCalls& calls) { return serve(std::vector<ApiCalls>{calls}); }
  // Serves a client's calls one after the other in one worker.
  bool serve(const std::vector<ApiCalls>& sequence);
  bool empty() const { return pods_.empty(); }
  const Work& work_done() const { return work_done_; }
  std::vector<sim::ApiSummary> summaries() const;
  // The p-quantile (0 … 1) of the latency of every call completed since the previous call of
  // this function (or the start), and a new window from now: what an HPA's latency metric
  // reads once per period. None when no call completed in the window.
  std::optional<double> take_window_percentile(double p);

 private:
  RucioWorld& world_;
  std::string service_;
  std::vector<k8s::Pod*> pods_;
  std::vector<simgrid::s4u::SemaphorePtr> workers_;  // free WSGI workers per pod
  std::vector<std::vector<int>> free_slots_;         // which worker ids are free, per pod
  std::size_t next_ = 0;
  Work work_done_;
  std::map<std::string, LatencyHistogram> latency_;
  LatencyHistogram window_;  // every operation, since the last take_window_percentile
};

}  // namespace dlsim::models::rucio
