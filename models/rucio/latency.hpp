// A latency distribution in constant memory: logarithmic buckets of 2 % width from 1 µs, so
// percentiles of millions of requests cost a few kilobytes and are exact to 2 %.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace dlsim::models::rucio {

class LatencyHistogram {
 public:
  void add(double seconds, std::int64_t count = 1) {
    if (count <= 0) return;
    std::size_t b = bucket(seconds);
    if (counts_.size() <= b) counts_.resize(b + 1, 0);
    counts_[b] += count;
    total_ += count;
  }
  std::int64_t count() const { return total_; }
  // Upper edge of the bucket holding the p-quantile (nearest rank).
  double percentile(double p) const {
    if (total_ == 0) return 0;
    auto rank = static_cast<std::int64_t>(std::ceil(p * static_cast<double>(total_)));
    std::int64_t seen = 0;
    for (std::size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= rank) return kFloor_s * std::pow(kGrowth, static_cast<double>(b + 1));
    }
    return kFloor_s * std::pow(kGrowth, static_cast<double>(counts_.size()));
  }

 private:
  static constexpr double kFloor_s = 1e-6;
  static constexpr double kGrowth = 1.02;
  static std::size_t bucket(double seconds) {
    if (seconds <= kFloor_s) return 0;
    return static_cast<std::size_t>(std::log(seconds / kFloor_s) / std::log(kGrowth));
  }
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
};

}  // namespace dlsim::models::rucio
