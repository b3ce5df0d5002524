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
  // w or less, to within the histogram's resolution (kWaitBucketBits): the largest wait seen
  // in the bucket that holds that w, at most 2^-8 = 0.39 % above it. Mean, max and count exact.
  sim::QueueWaitSummary queue_wait() const;
  // Transfers done per clock hour [h, h+1) of the run, at its busiest hour.
  std::int64_t done_per_hour_max() const;

  // Mantissa bits of a wait's double that name its bucket: buckets are 2^-8 of a binade wide
  // (relative width ≤ 0.39 %), so a week of waits from 1 ms to 7 days needs at most
  // ~30 binades × 256 buckets, whatever the number of transfers.
  static constexpr int kWaitBucketBits = 8;

 private:
  struct WaitBucket {
    std::int64_t files = 0;
    double max_s = 0;  // the largest wait in the bucket, reported for its percentiles
  };
  // Bucket key: the wait's IEEE-754 bits without the mantissa's low 52 − kWaitBucketBits bits
  // (non-negative doubles order as their bits, so keys order as the waits).
  std::map<std::uint64_t, WaitBucket> waits_;
  std::int64_t started_ = 0;
  double wait_sum_s_ = 0;  // Σ wait × files, for the exact mean
  std::vector<std::int64_t> done_by_hour_;
};

}  // namespace dlsim::models::transfer
