// Exact nearest-rank percentiles of many keyed streams of doubles (the sizing's CPU samples:
// per service, per pod) with memory bounded by the number of keys, not of samples: the
// samples are read three times (a radix selection on their bits) instead of being held.
// The value returned is bit for bit the one analysis::percentile() picks from a sorted copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dlsim::analysis {

// Per key: how many samples, the largest, and the percentile asked.
struct StreamQuantile {
  std::int64_t count = 0;
  double max = 0;
  double value = 0;  // the sample of rank ⌈p × count⌉ (clamped to 1 … count); 0 if none
};

// Calls `emit(key, value)` once per sample, every sample of every key, in the same order on
// every call (a series read back from its rows).
using SampleSource =
    std::function<void(const std::function<void(std::size_t key, double value)>& emit)>;

// `p[k]` is key k's percentile (0 < p ≤ 1). Reads `source` three times; holds two
// 4096-bin histograms per key at a time, then the distinct samples of one bin per key
// (2^-12 of a binade: a handful of values unless many samples are equal, which collapse).
std::vector<StreamQuantile> stream_quantiles(const std::vector<double>& p,
                                             const SampleSource& source);

}  // namespace dlsim::analysis
