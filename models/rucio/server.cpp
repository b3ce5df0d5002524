#include "models/rucio/server.hpp"

namespace dlsim::models::rucio {

bool ServerPool::handle(int statements, double rows, double heap_bytes) {
  for (std::size_t tries = 0; tries < pods_.size(); ++tries) {
    k8s::Pod& pod = *pods_[next_];
    next_ = (next_ + 1) % pods_.size();
    if (!pod.running()) continue;
    const auto& k = world_.cost;
    // The request's heap lives while it is served (worker slot 0: one request at a time per
    // pod in this model).
    if (!pod.hold_heap(0, heap_bytes)) continue;
    bool ok = pod.compute(statements * k.cpu_per_statement_s + rows * k.cpu_per_row_s);
    world_.db.execute(statements, statements * k.db_cpu_per_statement_s);
    pod.hold_heap(0, 0.0);
    if (ok) return true;
  }
  return false;
}

}  // namespace dlsim::models::rucio
