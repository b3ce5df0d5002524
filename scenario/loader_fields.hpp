// What the section loaders of scenario/loader*.cpp share: bounds that catch absurd input
// (1e30 replicas) without limiting real deployments, and the field readers made from a bound or a
// list of words, for MapReader::field/required (one helper per kind of field instead of a
// lambda per key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

constexpr std::int64_t kMaxReplicas = 10'000;
constexpr std::int64_t kMaxThreads = 1'000;
constexpr std::int64_t kMaxNodes = 100'000;
constexpr std::int64_t kMaxPods = 10'000'000;
constexpr std::int64_t kMaxFiles = 1'000'000'000'000;

// An int in [min, max].
inline auto integer(std::int64_t min, std::int64_t max) {
  return [min, max](const InputContext& c, const YAML::Node& n, const std::string& p) {
    return static_cast<int>(read_integer(c, n, p, min, max));
  };
}

// A 64-bit count in [min, max] (files, rows).
inline auto integer64(std::int64_t min, std::int64_t max) {
  return [min, max](const InputContext& c, const YAML::Node& n, const std::string& p) {
    return read_integer(c, n, p, min, max);
  };
}

// A number in [min, max].
inline auto number(double min, double max) {
  return [min, max](const InputContext& c, const YAML::Node& n, const std::string& p) {
    return read_number(c, n, p, min, max);
  };
}

// One of `words`.
inline auto one_of(std::vector<std::string> words) {
  return [words = std::move(words)](const InputContext& c, const YAML::Node& n,
                                    const std::string& p) { return read_enum(c, n, p, words); };
}

// A campaign's window, `start` and `end` (durations from the run's start), into `start_s`
// and `end_s`; a key left out keeps its default (end: unset, the scenario's end).
inline void read_window(MapReader& m, double& start_s, std::optional<double>& end_s) {
  m.field("start", start_s, read_duration_s);
  m.field("end", end_s, read_duration_s);
}

}  // namespace dlsim::scenario
