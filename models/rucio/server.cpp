#include "models/rucio/server.hpp"

namespace dlsim::models::rucio {

ServerPool::ServerPool(RucioWorld& world, std::string service, std::vector<k8s::Pod*> pods,
                       int workers_per_pod)
    : world_(world), service_(std::move(service)), pods_(std::move(pods)) {
  for (std::size_t i = 0; i < pods_.size(); ++i) {
    workers_.push_back(simgrid::s4u::Semaphore::create(static_cast<unsigned>(workers_per_pod)));
    free_slots_.emplace_back();
    for (int w = workers_per_pod - 1; w >= 0; --w) free_slots_.back().push_back(w);
  }
}

bool ServerPool::serve(const std::vector<ApiCalls>& sequence) {
  if (sequence.empty()) return true;
  const auto& k = world_.cost;
  Work work;
  double heap_bytes = 0;
  std::vector<double> cpu_of;
  for (const auto& calls : sequence) {
    Work w = static_cast<double>(calls.count) * calls.per_call;
    w.requests = static_cast<double>(calls.count);
    cpu_of.push_back(cpu_seconds(w, k));
    work += w;
    heap_bytes = std::max(heap_bytes, calls.heap_bytes);
  }
  // Round robin over the pods, as a Service spreads connections; a pod that is not running
  // (Pending, in back-off) refuses and the next one is tried.
  for (std::size_t tries = 0; tries < pods_.size(); ++tries) {
    const std::size_t i = next_;
    next_ = (next_ + 1) % pods_.size();
    k8s::Pod& pod = *pods_[i];
    if (!pod.running()) continue;
    const double start = sim::now();
    workers_[i]->acquire();
    const int slot = free_slots_[i].back();
    free_slots_[i].pop_back();
    // Every busy worker of the pod holds its request's objects (the largest call's).
    bool ok = pod.hold_heap(slot, heap_bytes) && pod.compute(cpu_seconds(work, k));
    if (ok) {
      const int statements = static_cast<int>(work.statements);
      world_.db.execute(statements, statements * k.db_cpu_per_statement_s);
      pod.hold_heap(slot, 0.0);
    }
    free_slots_[i].push_back(slot);
    workers_[i]->release();
    if (!ok) continue;
    work_done_ += work;
    const double elapsed = sim::now() - start;
    double total_cpu = 0;
    for (double c : cpu_of) total_cpu += c;
    for (std::size_t c = 0; c < sequence.size(); ++c) {
      const double share =
          total_cpu > 0 ? cpu_of[c] / total_cpu : 1.0 / static_cast<double>(sequence.size());
      const double latency_s = elapsed * share / static_cast<double>(sequence[c].count);
      latency_[sequence[c].operation].add(latency_s, sequence[c].count);
      window_.add(latency_s, sequence[c].count);
    }
    return true;
  }
  return false;
}

std::optional<double> ServerPool::take_window_percentile(double p) {
  if (window_.count() == 0) return std::nullopt;
  const double value = window_.percentile(p);
  window_ = LatencyHistogram{};
  return value;
}

std::vector<sim::ApiSummary> ServerPool::summaries() const {
  std::vector<sim::ApiSummary> out;
  for (const auto& [op, h] : latency_)
    out.push_back(
        {service_, op, h.count(), h.percentile(0.5), h.percentile(0.95), h.percentile(0.99)});
  return out;
}

}  // namespace dlsim::models::rucio
