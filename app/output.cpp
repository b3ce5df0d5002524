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

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json resources_json(const ResourceSpec& r) {
  return ordered_json{{"cpu_request_cores", optional_number(r.cpu_request_cores)},
                      {"cpu_limit_cores", optional_number(r.cpu_limit_cores)},
                      {"mem_request_bytes", optional_number(r.mem_request_bytes)},
                      {"mem_limit_bytes", optional_number(r.mem_limit_bytes)}};
}

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

ordered_json service_to_json(const ServiceSummary& v) {
  ordered_json j{
      {"name", v.name}, {"kind", v.kind}, {"replicas", v.replicas}, {"threads", v.threads}};
  j.update(resources_json(v.resources));
  j.update(ordered_json{{"cpu_mean_cores", v.cpu_mean_cores},
                        {"cpu_p95_cores", v.cpu_p95_cores},
                        {"cpu_max_cores", v.cpu_max_cores},
                        {"mem_ws_max_bytes", v.mem_ws_max_bytes},
                        {"mem_rss_max_bytes", v.mem_rss_max_bytes},
                        {"oom_kills", v.oom_kills},
                        {"restarts", v.restarts},
                        {"evictions", v.evictions},
                        {"throttled_fraction", v.throttled_fraction},
                        {"work",
                         {{"statements", v.work.statements},
                          {"rows", v.work.rows},
                          {"dedup_pairs", v.work.dedup_pairs},
                          {"messages", v.work.messages},
                          {"requests", v.work.requests},
                          {"fts_calls", v.work.fts_calls},
                          {"cycles", v.cycles}}},
                        {"pods_min", v.pods_min},
                        {"pods_max", v.pods_max},
                        {"pod_hours", v.pod_hours}});
  return j;
}

ordered_json summary_to_json(const Summary& s) {
  ordered_json services = ordered_json::array();
  for (const auto& v : s.services) services.push_back(service_to_json(v));
  ordered_json tables = ordered_json::array();
  for (const auto& t : s.tables)
    tables.push_back({{"name", t.name},
                      {"rows_max", t.rows_max},
                      {"rows_final", t.rows_final},
                      {"inserted", t.inserted},
                      {"drained", t.drained}});
  ordered_json rses = ordered_json::array();
  for (const auto& r : s.rses)
    rses.push_back({{"name", r.name},
                    {"files_final", r.files_final},
                    {"bytes_final", r.bytes_final},
                    {"quota_bytes", r.quota_bytes},
                    {"replicas_max", r.replicas_max},
                    {"bytes_read", r.bytes_read}});
  ordered_json links = ordered_json::array();
  for (const auto& l : s.transfers.links)
    links.push_back({{"source", l.source},
                     {"destination", l.destination},
                     {"submitted", l.submitted},
                     {"done", l.done},
                     {"failed", l.failed},
                     {"bytes_done", l.bytes_done}});
  ordered_json nodes = ordered_json::array();
  for (const auto& n : s.nodes)
    nodes.push_back({{"name", n.name},
                     {"pool", n.pool},
                     {"pods", n.pods},
                     {"cpu_allocatable_cores", n.cpu_allocatable_cores},
                     {"mem_allocatable_bytes", n.mem_allocatable_bytes},
                     {"cpu_requested_cores", n.cpu_requested_cores},
                     {"mem_requested_bytes", n.mem_requested_bytes},
                     {"cpu_used_mean_cores", n.cpu_used_mean_cores},
                     {"cpu_used_max_cores", n.cpu_used_max_cores},
                     {"mem_ws_max_bytes", n.mem_ws_max_bytes}});
  ordered_json pools = ordered_json::array();
  for (const auto& p : s.pools)
    pools.push_back({{"name", p.name},
                     {"nodes_min", p.nodes_min},
                     {"nodes_max", p.nodes_max},
                     {"nodes_final", p.nodes_final},
                     {"node_hours", p.node_hours},
                     {"cost", p.cost},
                     {"cpu_requested_mean_fraction", p.cpu_requested_mean_fraction},
                     {"cpu_used_mean_fraction", p.cpu_used_mean_fraction},
                     {"capacity_type", p.capacity_type},
                     {"price_per_node_hour", p.price_per_node_hour},
                     {"cpu_allocatable_core_hours", p.cpu_allocatable_core_hours},
                     {"cpu_requested_core_hours", p.cpu_requested_core_hours},
                     {"cpu_used_core_hours", p.cpu_used_core_hours}});
  ordered_json jobs = ordered_json::array();
  for (const auto& j : s.jobs)
    jobs.push_back({{"name", j.name},
                    {"kind", j.kind},
                    {"pods_created", j.pods_created},
                    {"succeeded", j.succeeded},
                    {"failed", j.failed},
                    {"running_final", j.running_final},
                    {"pending_final", j.pending_final},
                    {"payloads_done", j.payloads_done},
                    {"no_work", j.no_work},
                    {"backoffs", j.backoffs},
                    {"wait_mean_s", j.wait_mean_s},
                    {"wait_p95_s", j.wait_p95_s},
                    {"wait_max_s", j.wait_max_s},
                    {"run_mean_s", j.run_mean_s},
                    {"wait_p50_s", j.wait_p50_s},
                    {"pods_min", j.pods_min},
                    {"pods_max", j.pods_max},
                    {"pod_hours", j.pod_hours}});
  ordered_json api = ordered_json::array();
  for (const auto& a : s.api)
    api.push_back({{"service", a.service},
                   {"operation", a.operation},
                   {"requests", a.requests},
                   {"p50_s", a.p50_s},
                   {"p95_s", a.p95_s},
                   {"p99_s", a.p99_s}});
  return ordered_json{{"schema", "dlsim.summary/1"},
                      {"scenario", s.scenario},
                      {"seed", s.seed},
                      {"simulated_s", s.simulated_s},
                      {"services", services},
                      {"tables", tables},
                      {"rses", rses},
                      {"transfers", transfers_to_json(s.transfers, links)},
                      {"nodes", nodes},
                      {"pools", pools},
                      {"jobs", jobs},
                      {"api", api}};
}

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
