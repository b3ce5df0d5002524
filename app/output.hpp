// The run directory (docs/design.md §5): run.json, scenario.resolved.yaml, summary.json, pods.csv,
// events.csv and timeseries/*.csv, written into a temporary sibling directory and renamed
// into place only when complete, so a failed run leaves nothing behind.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/recorder.hpp"
#include "sim/summary.hpp"

namespace dlsim::sim {

struct RunInfo {
  std::string scenario_name;
  std::string scenario_file;
  std::string scenario_sha256;
  std::uint64_t seed = 0;
  double simulated_s = 0;
  double wall_s = 0;                 // wall-clock field: differs between identical runs
  std::string started_at_utc;        // wall-clock field
  std::uint64_t peak_rss_bytes = 0;  // wall-clock field (machine-dependent)
};

// summary.json from the field tables of app/summary_fields.hpp (output_summary.cpp).
nlohmann::ordered_json summary_to_json(const Summary& s);

// Writes the whole directory atomically, with `extra_files` (name → content: the sizing
// files); replaces `dir` if it exists. Throws on I/O errors
// (after removing the temporary directory).
void write_run_directory(const std::string& dir, const RunInfo& info,
                         const std::string& resolved_yaml, const Summary& summary,
                         const Recorder& recorder,
                         const std::map<std::string, std::string>& extra_files = {});

std::string sha256_hex(const std::string& bytes);

// The current UTC time in a strftime format (run directory names, run.json's start time).
std::string utc_stamp(const char* format);

}  // namespace dlsim::sim
