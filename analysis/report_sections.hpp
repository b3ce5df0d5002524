// The report's view of a run directory, loaded once, and one function per section of the
// page (analysis/report*.cpp). Internal to the report.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/report_data.hpp"

namespace dlsim::analysis::report {

struct PodRow {  // pods.csv
  std::string name, service, node, phase;
  std::optional<double> cpu_request_cores, cpu_limit_cores, mem_request_bytes, mem_limit_bytes;
};

struct EventRow {  // events.csv
  double time_s = 0;
  std::string kind, object, node, detail;
};

// A service's samples (timeseries/pods.csv) aggregated over its pods at each sample time.
struct ServiceUsage {
  Points mem_ws_max_bytes, mem_ws_mean_bytes, cpu_max_cores, cpu_mean_cores,
      throttled_mean_fraction;
  int pods_in_sample = 0;  // pods sampled at the last time seen (while reading)
};

struct RunData {
  std::filesystem::path dir;
  nlohmann::json run, summary;
  double end_s = 0;
  std::vector<PodRow> pods;
  std::map<std::string, std::size_t> pod_index;
  std::vector<EventRow> events;
  std::vector<std::string> services;  // summary order, then services only pods.csv names
  std::map<std::string, ServiceUsage> usage;
  std::map<std::string, double> pod_last_sample_s;
};

// Reads summary.json, run.json, pods.csv, events.csv and timeseries/pods.csv.
RunData load_run(const std::filesystem::path& dir);

std::string section_summary(const RunData& run);
std::string section_services(const RunData& run, std::size_t max_points);
std::string section_tables(const RunData& run, std::size_t max_points);
std::string section_rses(const RunData& run, std::size_t max_points);
std::string section_transfers(const RunData& run);
std::string section_pods(const RunData& run);
std::string section_nodes(const RunData& run);
std::string section_sizing(const RunData& run);
std::string section_rounds(const RunData& run);  // empty when there is no rounds.json
// Usage and cost per node pool (summary.json pools[]); part of the summary section.
std::string pools_table(const nlohmann::json& pools);

// Colour of the i-th series of a chart (a fixed palette, cycled).
std::string palette(std::size_t i);
// A number as text: integers without decimals, others with up to 4 significant digits.
std::string format_number(double v);

}  // namespace dlsim::analysis::report
