// Queue-wait percentiles and transfers per hour; see fts_stats.hpp.
#include "models/transfer/fts_stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dlsim::models::transfer {

void TransferStats::started(double wait_s, std::int64_t files) {
  if (files <= 0) return;
  const double wait = std::max(0.0, wait_s);
  const std::uint64_t key = std::bit_cast<std::uint64_t>(wait) >> (52 - kWaitBucketBits);
  WaitBucket& b = waits_[key];
  b.files += files;
  b.max_s = std::max(b.max_s, wait);
  started_ += files;
  wait_sum_s_ += wait * static_cast<double>(files);
}

void TransferStats::done(double now_s, std::int64_t files) {
  const auto hour = static_cast<std::size_t>(std::floor(now_s / 3600.0));
  if (done_by_hour_.size() <= hour) done_by_hour_.resize(hour + 1, 0);
  done_by_hour_[hour] += files;
}

sim::QueueWaitSummary TransferStats::queue_wait() const {
  sim::QueueWaitSummary q;
  q.started = started_;
  if (q.started == 0) return q;
  q.mean_s = wait_sum_s_ / static_cast<double>(q.started);
  q.max_s = waits_.rbegin()->second.max_s;
  auto percentile = [&](double p) {
    const double need = p * static_cast<double>(q.started);
    std::int64_t seen = 0;
    for (const auto& [key, bucket] : waits_) {
      seen += bucket.files;
      if (static_cast<double>(seen) >= need) return bucket.max_s;
    }
    return q.max_s;
  };
  q.p50_s = percentile(0.50);
  q.p95_s = percentile(0.95);
  q.p99_s = percentile(0.99);
  return q;
}

std::int64_t TransferStats::done_per_hour_max() const {
  return done_by_hour_.empty() ? 0 : *std::max_element(done_by_hour_.begin(), done_by_hour_.end());
}

}  // namespace dlsim::models::transfer
