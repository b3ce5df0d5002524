#include "analysis/invariants.hpp"

#include <map>
#include <set>

#include <fmt/core.h>

namespace dlsim::analysis {

namespace {

// CPU samples are rates over a sample interval, summed in floating point.
constexpr double kCpuSlack = 1e-6;

void check_tables(const sim::Summary& s, std::vector<std::string>& out) {
  for (const auto& t : s.tables) {
    if (t.inserted - t.drained != t.rows_final)
      out.push_back(fmt::format("table {}: inserted {} - drained {} = {}, but {} rows at the end",
                                t.name, t.inserted, t.drained, t.inserted - t.drained,
                                t.rows_final));
    if (t.rows_final < 0 || t.rows_final > t.rows_max || t.inserted < 0 || t.drained < 0)
      out.push_back(fmt::format("table {}: rows final {}, max {}, inserted {}, drained {}", t.name,
                                t.rows_final, t.rows_max, t.inserted, t.drained));
  }
}

void check_counts(const sim::Summary& s, std::vector<std::string>& out) {
  for (const auto& r : s.rses)
    if (r.files_final < 0 || r.bytes_final < 0 || r.replicas_max < 0 || r.bytes_read < 0)
      out.push_back(fmt::format("RSE {}: negative files ({}) or bytes ({})", r.name, r.files_final,
                                r.bytes_final));
  const auto& x = s.transfers;
  if (x.submitted < 0 || x.done < 0 || x.failed < 0 || x.bytes_done < 0 || x.done > x.submitted)
    out.push_back(fmt::format("transfers: submitted {}, done {}, failed {}, bytes {}", x.submitted,
                              x.done, x.failed, x.bytes_done));
  for (const auto& v : s.services)
    if (v.cpu_mean_cores < 0 || v.cpu_max_cores < 0 || v.mem_ws_max_bytes < 0 || v.oom_kills < 0 ||
        v.restarts < 0 || v.evictions < 0 || v.throttled_fraction < 0 || v.throttled_fraction > 1)
      out.push_back(
          fmt::format("service {}: a negative figure or a throttled share outside 0..1", v.name));
}

// The scheduler never binds more requests than a node's allocatable, so a pool's requested
// core-hours stay within its allocatable core-hours.
void check_pools(const sim::Summary& s, std::vector<std::string>& out) {
  for (const auto& p : s.pools)
    if (p.cpu_requested_core_hours < -kCpuSlack || p.cpu_used_core_hours < -kCpuSlack ||
        p.cpu_requested_core_hours > p.cpu_allocatable_core_hours * (1 + kCpuSlack) + kCpuSlack)
      out.push_back(fmt::format("pool {}: {:.6f} core-hours requested of {:.6f} allocatable",
                                p.name, p.cpu_requested_core_hours, p.cpu_allocatable_core_hours));
}

void check_oom_kills(const sim::Summary& s, const sim::Recorder& rec,
                     std::vector<std::string>& out) {
  std::map<std::string, double> open_kill;  // pod → time of a kill not yet followed up
  for (const auto& e : rec.events()) {
    if (e.kind == "OOMKilled") {
      open_kill.try_emplace(e.object, e.time_s);
    } else if (e.kind == "Restarted" || e.kind == "BackOff") {
      open_kill.erase(e.object);
    }
  }
  std::set<std::string> ended;
  for (const auto& p : s.pods)
    if (p.phase == "Failed" || p.phase == "Succeeded") ended.insert(p.name);
  for (const auto& [pod, t] : open_kill)
    if (!ended.count(pod))
      out.push_back(
          fmt::format("pod {}: OOMKilled at {:.3f} s, then neither restarted nor ended", pod, t));
}

void check_cpu_limits(const sim::Summary& s, const sim::Recorder& rec,
                      std::vector<std::string>& out) {
  std::map<std::string, double, std::less<>> limit;
  for (const auto& p : s.pods)
    if (p.resources.cpu_limit_cores) limit[p.name] = *p.resources.cpu_limit_cores;
  for (const auto& series : rec.series()) {
    if (series.name != "pods" || series.value_columns.empty()) continue;
    std::set<std::string> reported;
    series.for_each_row([&](const sim::SeriesRow& row) {
      const std::string& pod = series.object_names[row.object];
      auto it = limit.find(pod);
      const double cpu = row.values[0];  // cpu_cores is the first column
      if (it == limit.end() || cpu <= it->second * (1 + kCpuSlack) + kCpuSlack) return;
      if (reported.insert(pod).second)
        out.push_back(fmt::format("pod {}: {:.6f} cores at {:.0f} s, above its limit of {} cores",
                                  pod, cpu, row.time_s, it->second));
    });
  }
}

}  // namespace

std::vector<std::string> check_invariants(const sim::Summary& summary,
                                          const sim::Recorder& recorder) {
  std::vector<std::string> out;
  check_tables(summary, out);
  check_counts(summary, out);
  check_pools(summary, out);
  check_oom_kills(summary, recorder, out);
  check_cpu_limits(summary, recorder, out);
  return out;
}

}  // namespace dlsim::analysis
