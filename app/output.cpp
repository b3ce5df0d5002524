#include "app/output.hpp"

#include "sim/seam.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/core.h>
#include <fmt/format.h>
#include <openssl/evp.h>

namespace dlsim::sim {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

// CSV numbers: shortest representation that reads back exactly; integers without ".0".
std::string num(double v) {
  return fmt::format("{}", v);
}
std::string opt(const std::optional<double>& v) {
  return v ? num(*v) : std::string();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_file(const fs::path& path, const std::string& content) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(),
                                         errno ? std::strerror(errno) : "write failed"));
}

std::string pods_csv(const Summary& s) {
  std::string out =
      "pod,service,node,qos,phase,cpu_request_cores,cpu_limit_cores,mem_request_bytes,"
      "mem_limit_bytes,scheduled_s,restarts,oom_kills,evictions,cpu_mean_cores,cpu_p95_cores,"
      "cpu_max_cores,mem_ws_max_bytes,mem_rss_max_bytes,throttled_fraction\n";
  for (const auto& p : s.pods) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", p.name, p.service, p.node,
        p.qos, p.phase, opt(p.resources.cpu_request_cores), opt(p.resources.cpu_limit_cores),
        opt(p.resources.mem_request_bytes), opt(p.resources.mem_limit_bytes),
        p.scheduled_s < 0 ? std::string() : num(p.scheduled_s), p.restarts, p.oom_kills,
        p.evictions, num(p.cpu_mean_cores), num(p.cpu_p95_cores), num(p.cpu_max_cores),
        num(p.mem_ws_max_bytes), num(p.mem_rss_max_bytes), num(p.throttled_fraction));
  }
  return out;
}

std::string events_csv(const Recorder& r) {
  std::string out = "time_s,kind,object,node,detail\n";
  for (const auto& e : r.events())
    out += fmt::format("{},{},{},{},{}\n", num(e.time_s), e.kind, csv_field(e.object),
                       csv_field(e.node), csv_field(e.detail));
  return out;
}

// timeseries/NAME.csv, streamed from the series' rows (most of them read back from its spill
// file) in blocks of about 1 MiB: a 7-day run's files are never held whole in memory.
void write_series_csv(const fs::path& path, const Series& s) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  std::string block = "time_s,object";
  for (const auto& c : s.value_columns) block += "," + c;
  block += "\n";
  const std::size_t width = s.value_columns.size();
  s.for_each_row([&](const SeriesRow& row) {
    block += num(row.time_s);
    block += ',';
    block += csv_field(s.object_names[row.object]);
    for (std::size_t k = 0; k < width; ++k) {
      block += ',';
      block += num(row.values[k]);
    }
    block += '\n';
    if (block.size() < (1 << 20)) return;
    out << block;
    block.clear();
  });
  out << block;
  out.close();
  if (!out)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(),
                                         errno ? std::strerror(errno) : "write failed"));
}

ordered_json run_json(const RunInfo& info, const Recorder& r) {
  ordered_json events = ordered_json::object();
  for (const auto& [kind, n] : r.event_counts()) events[kind] = n;
  const auto& a = engine_activity_counts();
  ordered_json activities{
      {"sleeps", a.sleeps}, {"execs", a.execs}, {"comms", a.comms}, {"actors", a.actors}};
  ordered_json counts = ordered_json::object();
  for (const auto& [kind, n] : r.counts()) counts[kind] = n;
  return ordered_json{{"schema", "dlsim.run/1"},
                      {"dlsim_version", DLSIM_VERSION},
                      {"scenario", info.scenario_name},
                      {"scenario_file", info.scenario_file},
                      {"scenario_sha256", info.scenario_sha256},
                      {"seed", info.seed},
                      {"simulated_s", info.simulated_s},
                      {"events", events},
                      {"engine_activities", activities},
                      {"model_counts", counts},
                      {"wall_clock",
                       {{"started_at_utc", info.started_at_utc},
                        {"wall_s", info.wall_s},
                        {"peak_rss_bytes", info.peak_rss_bytes}}}};
}

}  // namespace

void write_run_directory(const std::string& dir, const RunInfo& info,
                         const std::string& resolved_yaml, const Summary& summary,
                         const Recorder& recorder,
                         const std::map<std::string, std::string>& extra_files) {
  fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  fs::create_directories(target.parent_path());
  fs::path tmp =
      target.parent_path() / fmt::format(".{}.tmp-{}", target.filename().string(), getpid());
  fs::remove_all(tmp);
  try {
    fs::create_directories(tmp / "timeseries");
    write_file(tmp / "run.json", run_json(info, recorder).dump(2) + "\n");
    write_file(tmp / "scenario.resolved.yaml", resolved_yaml);
    write_file(tmp / "summary.json", summary_to_json(summary).dump(2) + "\n");
    write_file(tmp / "pods.csv", pods_csv(summary));
    write_file(tmp / "events.csv", events_csv(recorder));
    for (const auto& s : recorder.series())
      write_series_csv(tmp / "timeseries" / (s.name + ".csv"), s);
    for (const auto& [name, content] : extra_files) write_file(tmp / name, content);
    if (fs::exists(target)) {
      fs::path old =
          target.parent_path() / fmt::format(".{}.old-{}", target.filename().string(), getpid());
      fs::rename(target, old);
      fs::rename(tmp, target);
      fs::remove_all(old);
    } else {
      fs::rename(tmp, target);
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
}

std::string utc_stamp(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

}  // namespace dlsim::sim
