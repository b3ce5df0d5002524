// Rucio's HEARTBEATS table for one daemon (rucio 1.23.10
// lib/rucio/core/heartbeat.py#L75-137): every worker thread upserts its row each
// cycle and takes as its partition its position among the rows of the daemon updated within
// `older_than` seconds, and as the partition count their number. A pod that never started never
// beats; the rows of a killed pod stay counted until they are `older_than` old.
#pragma once

#include <cstddef>
#include <vector>

namespace dlsim::models::rucio {

// Worker identity for partitioning: rank among the live heartbeats of the daemon, and their count.
struct Worker {
  int rank = 0;
  int count = 1;
};

class Heartbeats {
 public:
  // `expiry_s`: the daemon's `older_than` (scenario::heartbeat_expiry_s).
  explicit Heartbeats(double expiry_s) : expiry_s_(expiry_s) {}
  // The beat of thread `thread` of the pod in slot `slot`, created at `pod_created_s` (a pod
  // created anew has a new hostname, so a new row; a restarted container keeps its row), at
  // `now_s`; returns the worker's rank and count among the live rows. O(rows).
  Worker beat(int slot, double pod_created_s, int thread, double now_s);
  // Rows currently held (live or not yet purged), for tests.
  std::size_t rows() const { return rows_.size(); }

 private:
  struct Row {
    int slot;
    double pod_created_s;
    int thread;
    double last_beat_s;
  };
  double expiry_s_;
  // Ordered as Rucio orders them, by (hostname, pid, thread id): the pod slot stands in for the
  // hostname (pod names end in the slot number), then the pod's creation, then the thread.
  std::vector<Row> rows_;
};

}  // namespace dlsim::models::rucio
