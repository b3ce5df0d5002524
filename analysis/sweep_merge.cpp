#include "analysis/sweep_merge.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using scenario::InputError;

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError({path.string(), 1, 1}, "", "cannot open (expected a dlsim sweep output)");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw InputError({path.string(), 1, 1}, "", fmt::format("invalid JSON: {}", e.what()));
  }
}

std::size_t index_of(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  names.push_back(name);
  return names.size() - 1;
}

MergedRun read_run(MergedSweep& m, const json& summary, int point, std::int64_t seed) {
  MergedRun r{point, seed, {}, {}};
  for (const auto& s : summary.at("services")) {
    const std::size_t i = index_of(m.services, s.at("name"));
    if (r.services.size() <= i) r.services.resize(i + 1);
    r.services[i] = {s.at("oom_kills"), s.at("restarts"), s.at("mem_ws_max_bytes"),
                     s.at("cpu_mean_cores")};
  }
  for (const auto& t : summary.at("tables")) {
    const std::size_t i = index_of(m.tables, t.at("name"));
    if (r.tables.size() <= i) r.tables.resize(i + 1);
    r.tables[i] = {t.at("rows_max"), t.at("rows_final")};
  }
  return r;
}

// The plan part of sweep.json: all directories must come from the same plan bytes.
void read_plan(MergedSweep& m, const json& j, const fs::path& file, std::string& sha) {
  if (sha.empty()) {
    sha = j.at("plan_sha256");
    m.plan = j.at("plan");
    m.keys = j.at("keys").get<std::vector<std::string>>();
    m.runs_in_plan = j.at("runs_in_plan");
    for (const auto& p : j.at("points")) {
      std::vector<std::string> values;
      for (const auto& k : m.keys)
        values.push_back(p.at("sets").contains(k) ? p.at("sets").at(k).get<std::string>() : "");
      m.point_values.push_back(values);
    }
  } else if (j.at("plan_sha256") != sha) {
    throw InputError({file.string(), 1, 1}, "plan_sha256",
                     "this directory is a sweep of another plan (or another version of it)");
  }
}

}  // namespace

MergedSweep merge_sweeps(const std::vector<std::string>& dirs) {
  MergedSweep m;
  std::string sha;
  std::map<std::pair<int, std::int64_t>, std::string> seen;  // run → directory
  std::set<std::int64_t> seeds;
  for (const auto& dir : dirs) {
    const fs::path file = fs::path(dir) / "sweep.json";
    const json j = read_json(file);
    try {
      if (j.value("schema", "") != "dlsim.sweep/1")
        throw InputError({file.string(), 1, 1}, "schema", "expected \"dlsim.sweep/1\"");
      read_plan(m, j, file, sha);
      for (auto s : j.at("seeds")) seeds.insert(s.get<std::int64_t>());
      for (const auto& run : j.at("runs")) {
        const std::pair<int, std::int64_t> key{run.at("point"), run.at("seed")};
        if (auto it = seen.find(key); it != seen.end())
          throw InputError(
              {file.string(), 1, 1}, "",
              fmt::format("run {} is also in {}", run.at("dir").get<std::string>(), it->second));
        seen[key] = dir;
        if (run.at("status") != "ok") continue;
        const json summary =
            read_json(fs::path(dir) / run.at("dir").get<std::string>() / "summary.json");
        m.runs.push_back(read_run(m, summary, key.first, key.second));
      }
    } catch (const json::exception& e) {
      throw InputError({file.string(), 1, 1}, "", fmt::format("not a sweep.json: {}", e.what()));
    }
  }
  std::sort(m.runs.begin(), m.runs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.point, a.seed) < std::tie(b.point, b.seed);
  });
  for (auto& r : m.runs) {
    r.services.resize(m.services.size());
    r.tables.resize(m.tables.size());
  }
  std::set<std::pair<int, std::int64_t>> present;
  for (const auto& r : m.runs) present.insert({r.point, r.seed});
  for (std::size_t p = 0; p < m.point_values.size(); ++p)
    for (auto s : seeds)
      if (!present.count({static_cast<int>(p), s}))
        m.missing.push_back(fmt::format("p{:03}-seed{}", p, s));
  return m;
}

namespace {

// RFC 4180: quote a field holding a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string point_prefix(const MergedSweep& m, int point) {
  std::string out = std::to_string(point);
  for (const auto& v : m.point_values.at(static_cast<std::size_t>(point))) {
    out += ',';
    out += csv_field(v);
  }
  return out;
}

std::string key_header(const MergedSweep& m) {
  std::string out = "point";
  for (const auto& k : m.keys) {
    out += ',';
    out += csv_field(k);
  }
  return out;
}

// The runs of each point, in point order (points without runs left out).
std::vector<std::vector<const MergedRun*>> by_point(const MergedSweep& m) {
  std::vector<std::vector<const MergedRun*>> out(m.point_values.size());
  for (const auto& r : m.runs) out.at(static_cast<std::size_t>(r.point)).push_back(&r);
  return out;
}

}  // namespace

// Numbers are written as fmt's shortest round-trip form, the form summary.json has.
std::string sweep_csv(const MergedSweep& m) {
  std::string out = key_header(m) + ",seed";
  for (const auto& s : m.services)
    out += fmt::format(",{0}.oom_kills,{0}.restarts,{0}.mem_ws_max_bytes,{0}.cpu_mean_cores", s);
  for (const auto& t : m.tables) out += fmt::format(",{0}.rows_max,{0}.rows_final", t);
  out += "\n";
  for (const auto& r : m.runs) {
    out += point_prefix(m, r.point) + fmt::format(",{}", r.seed);
    for (const auto& s : r.services)
      out += fmt::format(",{},{},{},{}", s.oom_kills, s.restarts, s.mem_ws_max_bytes,
                         s.cpu_mean_cores);
    for (const auto& t : r.tables) out += fmt::format(",{},{}", t.rows_max, t.rows_final);
    out += "\n";
  }
  return out;
}

std::string risk_csv(const MergedSweep& m) {
  std::string out = key_header(m) +
                    ",service,runs,runs_with_oom,p_oom,restarts_mean,mem_ws_max_p50_bytes,"
                    "mem_ws_max_p90_bytes,mem_ws_max_max_bytes\n";
  const auto points = by_point(m);
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (points[p].empty()) continue;
    for (std::size_t s = 0; s < m.services.size(); ++s) {
      std::vector<double> ws;
      std::int64_t oom_runs = 0, restarts = 0;
      for (const auto* r : points[p]) {
        ws.push_back(r->services[s].mem_ws_max_bytes);
        oom_runs += r->services[s].oom_kills > 0 ? 1 : 0;
        restarts += r->services[s].restarts;
      }
      const double n = static_cast<double>(points[p].size());
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", point_prefix(m, static_cast<int>(p)),
                         m.services[s], points[p].size(), oom_runs,
                         static_cast<double>(oom_runs) / n, static_cast<double>(restarts) / n,
                         nearest_rank(ws, 0.5), nearest_rank(ws, 0.9), nearest_rank(ws, 1.0));
    }
  }
  return out;
}

std::string backlog_csv(const MergedSweep& m) {
  std::string out = key_header(m) +
                    ",table,runs,rows_max_p50,rows_max_p90,rows_max_max,rows_final_p50,"
                    "rows_final_p90,rows_final_max\n";
  const auto points = by_point(m);
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (points[p].empty()) continue;
    for (std::size_t t = 0; t < m.tables.size(); ++t) {
      std::vector<double> peak, final_rows;
      for (const auto* r : points[p]) {
        peak.push_back(static_cast<double>(r->tables[t].rows_max));
        final_rows.push_back(static_cast<double>(r->tables[t].rows_final));
      }
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", point_prefix(m, static_cast<int>(p)),
                         m.tables[t], points[p].size(), nearest_rank(peak, 0.5),
                         nearest_rank(peak, 0.9), nearest_rank(peak, 1.0),
                         nearest_rank(final_rows, 0.5), nearest_rank(final_rows, 0.9),
                         nearest_rank(final_rows, 1.0));
    }
  }
  return out;
}

std::optional<double> parse_fraction(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const bool percent = text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(number, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != number.size()) return std::nullopt;
  if (percent) v /= 100;
  if (!(v >= 0 && v <= 1)) return std::nullopt;
  return v;
}

double nearest_rank(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto n = static_cast<double>(values.size());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(q * n - 1e-9)));
  return values.at(std::min(rank, values.size()) - 1);
}

}  // namespace dlsim::analysis
