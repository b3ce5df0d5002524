#include "bench/dlsim_run.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>

namespace dlsim::bench {
namespace fs = std::filesystem;

std::uint64_t DlsimRun::engine_activities() const {
  std::uint64_t n = 0;
  for (const auto& [kind, count] : run["engine_activities"].items())
    n += count.get<std::uint64_t>();
  return n;
}

double DlsimRun::transfers_done() const {
  return summary["transfers"]["done"].get<double>();
}

double DlsimRun::table_rows_inserted() const {
  double rows = 0;
  for (const auto& table : summary["tables"]) rows += table["inserted"].get<double>();
  return rows;
}

DlsimRun run_dlsim(const std::string& binary, const std::string& scenario,
                   const std::vector<std::string>& sets, double rss_period_s,
                   const std::vector<std::string>& prefix) {
  std::string tmpl = (fs::temp_directory_path() / "dlsim-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    fmt::print(stderr, "bench: cannot create a temporary directory\n");
    std::exit(3);
  }
  const fs::path dir = fs::path(tmpl) / "run";
  std::vector<std::string> argv = prefix;
  for (const auto& a :
       {binary, std::string("run"), scenario, std::string("-q"), std::string("-o"), dir.string()})
    argv.push_back(a);
  for (const auto& s : sets) {
    argv.push_back("--set");
    argv.push_back(s);
  }
  DlsimRun r;
  r.process = run_command(argv, rss_period_s);
  if (r.process.exit_status == 0) {
    std::ifstream in(dir / "run.json");
    r.run = nlohmann::json::parse(in);
    std::ifstream summary(dir / "summary.json");
    r.summary = nlohmann::json::parse(summary);
  } else {
    std::string args;
    for (const auto& s : sets) args += " --set " + s;
    fmt::print(stderr, "bench: `{} run {}{}` failed with status {}\n", binary, scenario, args,
               r.process.exit_status);
  }
  fs::remove_all(tmpl);
  return r;
}

}  // namespace dlsim::bench
