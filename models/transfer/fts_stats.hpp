// What FTS's users ask of a day: how long transfers wait in FTS's queue before their
// url-copy starts, and how many end per hour (sim::TransferSummary).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "sim/summary.hpp"

namespace dlsim::models::transfer {

class TransferStats {
 public:
  // `files` transfers start now after waiting `wait_s` in the queue.
  void started(double wait_s, std::int64_t files);
  // `files` transfers end successfully at now_s.
  void done(double now_s, std::int64_t files);
  // Percentiles weighted by files: the smallest wait w with at least p of the files waiting
  // w or less.
  sim::QueueWaitSummary queue_wait() const;
  // Transfers done per clock hour [h, h+1) of the run, at its busiest hour.
  std::int64_t done_per_hour_max() const;

 private:
  std::map<double, std::int64_t> waits_;  // wait → files (waves start on the 2 s grid)
  std::vector<std::int64_t> done_by_hour_;
};

}  // namespace dlsim::models::transfer
