#include "bench/profile.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include <fmt/core.h>
#include <fmt/format.h>

namespace dlsim::bench {
namespace fs = std::filesystem;
namespace {

constexpr int kPerfHz = 499;     // samples per second: ~3 000 for a 6 s FDR, overhead ~1 %
constexpr std::size_t kTop = 4;  // symbols shown per group
constexpr std::size_t kTopServices = 6;

double share(double part, double whole) {
  return whole > 0 ? 100 * part / whole : 0;
}

// Who asks the engine for work: summary.json services[].work, daemons by cycles and servers
// by requests completed, the largest first.
void print_work_by_service(const nlohmann::json& summary) {
  std::vector<std::pair<double, std::string>> cycles, requests;
  double all_cycles = 0, all_requests = 0;
  for (const auto& s : summary["services"]) {
    const double c = s["work"]["cycles"].get<double>();
    const double r = s["work"]["requests"].get<double>();
    const auto name = s["name"].get<std::string>();
    if (c > 0) cycles.emplace_back(c, name), all_cycles += c;
    if (c == 0 && r > 0) requests.emplace_back(r, name), all_requests += r;
  }
  auto print = [](const char* title, auto& list, double all) {
    std::sort(list.rbegin(), list.rend());
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < list.size() && i < kTopServices; ++i)
      shown.push_back(fmt::format("{} {:.0f} ({:.1f} %)", list[i].second, list[i].first,
                                  share(list[i].first, all)));
    if (!shown.empty())
      fmt::print("    {} {:.0f} in all: {}\n", title, all, fmt::join(shown, ", "));
  };
  print("daemon cycles (summary.json work.cycles),", cycles, all_cycles);
  print("server requests (work.requests),", requests, all_requests);
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = fs::path(dir) / program;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// The four groups of the brief: SimGrid's engine, dlsim's own code (its models are linked
// into the binary), the allocator (glibc malloc and operator new/delete), the rest.
std::string group_of(const std::string& dso, const std::string& symbol, const std::string& exe) {
  if (dso.rfind("libsimgrid", 0) == 0) return "SimGrid engine";
  if (dso == exe) return "dlsim models";
  static const char* kAlloc[] = {"malloc",       "free",         "realloc",
                                 "calloc",       "memalign",     "tcache",
                                 "unlink_chunk", "operator new", "operator delete"};
  const bool alloc_dso = dso.rfind("libc.so", 0) == 0 || dso.rfind("libstdc++", 0) == 0;
  for (const char* a : kAlloc)
    if (alloc_dso && symbol.find(a) != std::string::npos) return "libc malloc";
  return "other";
}

struct Group {
  double percent = 0;
  std::vector<std::pair<double, std::string>> items;  // symbols, or DSOs for "other"
};

// A symbol without the namespaces its group already says, at most kMax characters.
std::string shortened(std::string s) {
  for (const char* prefix : {"simgrid::kernel::", "simgrid::", "dlsim::models::", "dlsim::"})
    if (s.rfind(prefix, 0) == 0) {
      s.erase(0, std::string(prefix).size());
      break;
    }
  constexpr std::size_t kMax = 48;
  return s.size() <= kMax ? s : "…" + s.substr(s.size() - kMax);
}

// "# Samples: 3K of event 'cpu-clock'": perf rounds to K or M.
long sample_count(const std::string& line) {
  char* end = nullptr;
  const double n = std::strtod(line.c_str() + 11, &end);
  const double unit = *end == 'K' ? 1e3 : *end == 'M' ? 1e6 : 1;
  return std::lround(n * unit);
}

// Parses `perf report --stdio --sort dso,sym` lines: "  8.91%  libsimgrid.so.3.32  [.] sym".
std::map<std::string, Group> group_report(FILE* report, const std::string& exe, long& samples) {
  std::map<std::string, Group> groups;
  std::map<std::string, double> other_dsos;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, report)) {
    std::string line(buf);
    if (line.rfind("# Samples: ", 0) == 0) samples = sample_count(line);
    std::istringstream in(line);
    double percent = 0;
    std::string dso, kind, symbol;
    if (line[0] == '#' || !(in >> percent) || in.get() != '%' || !(in >> dso >> kind)) continue;
    std::getline(in >> std::ws, symbol);
    const auto g = group_of(dso, symbol, exe);
    groups[g].percent += percent;
    if (g == "other")
      other_dsos[dso] += percent;
    else
      groups[g].items.emplace_back(percent, symbol);
  }
  for (const auto& [dso, percent] : other_dsos) groups["other"].items.emplace_back(percent, dso);
  return groups;
}

void print_groups(std::map<std::string, Group>& groups) {
  for (const char* name : {"SimGrid engine", "dlsim models", "libc malloc", "other"}) {
    auto& g = groups[name];
    std::sort(g.items.rbegin(), g.items.rend());
    std::vector<std::string> top;
    for (std::size_t i = 0; i < g.items.size() && i < kTop; ++i)
      top.push_back(fmt::format("{} {:.1f} %", shortened(g.items[i].second), g.items[i].first));
    fmt::print("    {:<15} {:5.1f} %  {}\n", name, g.percent, fmt::join(top, ", "));
  }
}

}  // namespace

void print_activity_profile(const DlsimRun& run) {
  const auto& a = run.run["engine_activities"];
  const auto all = static_cast<double>(run.engine_activities());
  std::vector<std::string> kinds;
  for (const auto& [kind, count] : a.items())
    kinds.push_back(fmt::format("{} {} ({:.1f} %)", kind, count.get<std::uint64_t>(),
                                share(count.get<double>(), all)));
  fmt::print("    engine activities (run.json) {:.0f}: {}\n", all, fmt::join(kinds, ", "));
  const double done = run.transfers_done(), rows = run.table_rows_inserted();
  fmt::print("    per transferred file {:.3f} ({:.0f} files), per table row {:.4f} ({:.0f} rows)\n",
             done > 0 ? all / done : 0, done, rows > 0 ? all / rows : 0, rows);
  print_work_by_service(run.summary);
}

void print_perf_profile(const std::string& dlsim, const std::string& scenario,
                        const std::vector<std::string>& sets) {
  const auto perf = find_on_path("perf");
  if (perf.empty()) {
    fmt::print("    perf: not on the PATH (Debian package linux-perf), no symbol profile\n");
    return;
  }
  std::string dir = (fs::temp_directory_path() / "dlsim-perf-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return fmt::print("    perf: no temporary directory\n");
  const auto data = (fs::path(dir) / "perf.data").string();
  const auto hz = std::to_string(kPerfHz);
  const auto run = run_dlsim(dlsim, scenario, sets, 0,
                             {perf, "record", "-e", "cpu-clock", "-F", hz, "-q", "-o", data, "--"});
  if (!run.ok() || !fs::exists(data)) {
    fmt::print("    perf: `perf record` failed (status {}; kernel.perf_event_paranoid?)\n",
               run.process.exit_status);
    return (void)fs::remove_all(dir);
  }
  const auto cmd =
      fmt::format("'{}' report -i '{}' --sort dso,sym --stdio 2>/dev/null", perf, data);
  FILE* report = popen(cmd.c_str(), "r");
  long samples = 0;
  auto groups = group_report(report, fs::path(dlsim).filename().string(), samples);
  pclose(report);
  fmt::print("    perf record -e cpu-clock -F {} of one run ({:.1f} s CPU, about {} samples{}):\n",
             hz, run.process.cpu_s(), samples,
             sets.size() > 3 ? fmt::format(", {} --set as measured", sets.size())
             : sets.empty()  ? ""
                             : fmt::format(", --set {}", fmt::join(sets, " --set ")));
  print_groups(groups);
  fs::remove_all(dir);
}

void print_profiles(const std::string& dlsim, const std::vector<Miss>& misses, bool with_perf) {
  for (const auto& m : misses) {
    fmt::print("\nWhere the time goes, {} (a target not met):\n", m.what);
    if (m.measured.ok()) print_activity_profile(m.measured);
    if (m.scenario.empty())
      fmt::print("    perf: not run (a memory target: the CPU profile does not show it)\n");
    else if (with_perf)
      print_perf_profile(dlsim, m.scenario, m.perf_sets);
    fmt::print("    what would get there: docs/performance.md, \"{}\"\n", m.doc_section);
  }
}

}  // namespace dlsim::bench
