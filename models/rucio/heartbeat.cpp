#include "models/rucio/heartbeat.hpp"

#include <algorithm>
#include <tuple>

namespace dlsim::models::rucio {

Worker Heartbeats::beat(int slot, double pod_created_s, int thread, double now_s) {
  // Rows not updated within `older_than` are not listed (heartbeat.py#L75-137): forget them.
  // A worker that beats again later gets a row anew, as Rucio's upsert revives its old one.
  const double oldest_live_s = now_s - expiry_s_;
  std::erase_if(rows_, [&](const Row& r) { return r.last_beat_s < oldest_live_s; });
  auto key = [](const Row& r) { return std::tie(r.slot, r.pod_created_s, r.thread); };
  const Row mine{slot, pod_created_s, thread, now_s};
  auto at = std::lower_bound(rows_.begin(), rows_.end(), mine,
                             [&](const Row& a, const Row& b) { return key(a) < key(b); });
  if (at != rows_.end() && key(*at) == key(mine))
    at->last_beat_s = now_s;  // the upsert
  else
    at = rows_.insert(at, mine);
  return Worker{static_cast<int>(at - rows_.begin()), static_cast<int>(rows_.size())};
}

}  // namespace dlsim::models::rucio
