// Named random streams derived from the scenario seed (docs/design.md §3.5). Each model draws from
// its own stream ("scheduler", "network", "workload.CTA", ...), so adding draws in one model
// does not shift the numbers of another, and the same seed gives the same run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>

namespace dlsim::sim {

class RngStreams {
 public:
  explicit RngStreams(std::uint64_t seed) : seed_(seed) {}

  // The stream of this name, created on first use from hash(seed, name).
  std::mt19937_64& stream(const std::string& name);

  // The 64-bit seed of a named stream (stable across platforms and runs).
  static std::uint64_t derive(std::uint64_t seed, const std::string& name);

 private:
  std::uint64_t seed_;
  std::map<std::string, std::mt19937_64> streams_;
};

// A uniform double in [0, 1) from a stream; portable (unlike std::uniform_real_distribution,
// whose algorithm the standard leaves to the library).
double uniform01(std::mt19937_64& rng);
// A uniform index in [0, n), n > 0, portable and without modulo bias (rejection sampling).
std::size_t uniform_index(std::mt19937_64& rng, std::size_t n);

}  // namespace dlsim::sim
