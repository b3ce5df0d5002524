#include "sim/rng.hpp"

namespace dlsim::sim {

std::uint64_t RngStreams::derive(std::uint64_t seed, const std::string& name) {
  // FNV-1a over the name, mixed with the seed through splitmix64's finaliser.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (h | 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::mt19937_64& RngStreams::stream(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) it = streams_.emplace(name, std::mt19937_64(derive(seed_, name))).first;
  return it->second;
}

std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
  // mt19937_64's output is fixed by the standard, the standard distributions are not.
  // Rejecting draws below 2^64 mod n removes the modulo bias.
  const std::uint64_t range = n;
  const std::uint64_t threshold = (std::uint64_t{0} - range) % range;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return static_cast<std::size_t>(x % range);
  }
}

double uniform01(std::mt19937_64& rng) {
  // 53 random bits → [0, 1).
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace dlsim::sim
