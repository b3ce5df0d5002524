#include "app/cli_sweep.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "analysis/sweep_merge.hpp"
#include "app/child_process.hpp"
#include "app/output.hpp"
#include "app/progress.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/units.hpp"

namespace dlsim::sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// The child execs this same binary as `dlsim run SCENARIO -q -o NAME --set …` in DIR/runs, a
// fresh process like a single run (not a fork carrying the parent's heap). The run's figures
// depend on the heap layout in their last digits (models/k8s/pod.hpp keeps its in-flight
// execs in a map ordered by pointer, and sums them in that order), which moves with the
// length of the command-line strings: running in DIR/runs with -o NAME and the scenario's
// absolute path keeps every shard's runs, wherever DIR is, byte-identical. Its stderr (the
// error message, if any) goes to the pipe; with -q it prints nothing on stdout.
int run_point(const SweepPlan& plan, const SweepRun& run, const fs::path& dir, int fd) {
  dup2(fd, STDERR_FILENO);
  close(fd);
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
  const std::string scenario = fs::absolute(plan.scenario).string();
  if (chdir((dir / "runs").c_str()) != 0) {
    fmt::print(stderr, "cannot enter {}: {}\n", (dir / "runs").string(), std::strerror(errno));
    return 3;
  }
  std::vector<std::string> words = {"dlsim", "run", scenario, "-q", "-o", run.name};
  for (const auto& s : run_set_args(plan, run)) {
    words.push_back("--set");
    words.push_back(s);
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  fmt::print(stderr, "cannot run /proc/self/exe: {}\n", std::strerror(errno));
  return 3;
}

ordered_json sweep_json(const SweepPlan& plan, const std::vector<SweepRun>& runs,
                        const std::vector<std::string>& status, std::pair<int, int> shard) {
  ordered_json points = ordered_json::array();
  for (const auto& p : plan.points) {
    ordered_json sets = ordered_json::object();
    for (const auto& s : p.sets) sets[s.key] = s.value;
    points.push_back({{"index", p.index}, {"sets", sets}});
  }
  ordered_json run_list = ordered_json::array();
  for (std::size_t i = 0; i < runs.size(); ++i)
    run_list.push_back({{"dir", "runs/" + runs[i].name},
                        {"point", runs[i].point},
                        {"seed", runs[i].seed},
                        {"status", status[i]}});
  return {{"schema", "dlsim.sweep/1"},
          {"plan", plan.name},
          {"plan_file", plan.file},
          {"plan_sha256", plan.sha256},
          {"scenario", plan.scenario},
          {"set", plan.sets},
          {"keys", plan.keys},
          {"seeds", plan.seeds},
          {"runs_in_plan", plan.points.size() * plan.seeds.size()},
          {"shard", {{"index", shard.first}, {"count", shard.second}}},
          {"points", points},
          {"runs", run_list}};
}

struct Pool {
  const SweepPlan& plan;
  const std::vector<SweepRun>& runs;
  fs::path dir;
  std::size_t jobs;
  bool show_progress;
};

// The progress line, redrawn in place over the previous one (`width` its longest so far).
void draw_progress(const Pool& pool, std::size_t done, std::size_t running,
                   std::chrono::steady_clock::time_point start, std::size_t& width) {
  if (!pool.show_progress) return;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string text = format_sweep_progress(done, pool.runs.size(), running, wall_s);
  fmt::print(stderr, "\r{:{}}", text, width);
  width = std::max(width, text.size());
}

// Runs every run, at most `jobs` at once; returns each run's status ("ok" or "failed").
std::vector<std::string> run_all(const Pool& pool) {
  std::vector<std::string> status(pool.runs.size(), "failed");
  std::vector<Child> running;
  std::size_t next = 0, done = 0, width = 0;
  const auto start = std::chrono::steady_clock::now();
  while (done < pool.runs.size()) {
    while (next < pool.runs.size() && running.size() < pool.jobs) {
      const SweepRun& run = pool.runs[next];
      Child c = start_child([&](int fd) { return run_point(pool.plan, run, pool.dir, fd); });
      c.tag = static_cast<int>(next++);
      running.push_back(std::move(c));
    }
    draw_progress(pool, done, running.size(), start, width);
    auto [index, exit] = wait_any_child(running);
    ++done;
    if (exit.status == 0) {
      status[static_cast<std::size_t>(index)] = "ok";
      continue;
    }
    while (!exit.text.empty() && exit.text.back() == '\n') exit.text.pop_back();
    if (width > 0) fmt::print(stderr, "\r{:{}}\r", "", width);
    fmt::print(stderr, "dlsim sweep: run {} failed (exit {}): {}\n",
               pool.runs[static_cast<std::size_t>(index)].name, exit.status,
               exit.text.empty() ? std::string("no message") : exit.text);
  }
  if (width > 0) fmt::print(stderr, "\r{:{}}\r", "", width);
  return status;
}

void write_text(const fs::path& path, const std::string& text, const std::string& what) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out)
    throw scenario::InputError({what, 1, 1}, "", fmt::format("cannot write '{}'", path.string()));
}

int emit(const SweepArgs& args, const SweepPlan& plan) {
  if (args.emit != "k8s-job")
    throw scenario::InputError({"--emit", 1, 1}, "",
                               fmt::format("unknown format '{}' (expected 'k8s-job')", args.emit));
  if (plan.kubernetes.image.empty())
    throw scenario::InputError({plan.file, 1, 1}, "kubernetes.image",
                               "--emit k8s-job needs the container image (kubernetes.image)");
  const std::string manifest = k8s_job_manifest(plan, args.plan);
  if (args.output.empty() || args.output == "-")
    fmt::print("{}", manifest);
  else
    write_text(args.output, manifest, "-o");
  return 0;
}

}  // namespace

std::string format_sweep_progress(std::size_t done, std::size_t total, std::size_t running,
                                  double wall_s) {
  std::string text = fmt::format("[dlsim sweep] {}/{} runs done, {} running", done, total, running);
  if (done > 0 && done < total && wall_s > 0) {
    const double left_s = wall_s / static_cast<double>(done) * static_cast<double>(total - done);
    text += fmt::format(", about {} left", scenario::units::format_duration(std::max(1.0, left_s)));
  }
  return text;
}

int command_sweep(const SweepArgs& args) {
  if (args.plan.empty()) throw scenario::InputError({"sweep", 1, 1}, "", "missing the PLAN file");
  std::pair<int, int> shard{0, 1};
  if (!args.shard.empty()) {
    auto parsed = parse_shard(args.shard);
    if (!parsed)
      throw scenario::InputError(
          {"--shard", 1, 1}, "",
          fmt::format("'{}' is not a shard (expected I/N with 0 <= I < N)", args.shard));
    shard = *parsed;
  }
  const SweepPlan plan = load_sweep_plan(args.plan);
  if (!args.emit.empty()) return emit(args, plan);
  const auto runs = shard_runs(sweep_runs(plan), shard.first, shard.second);
  const fs::path dir =
      args.output.empty()
          ? fs::path(fmt::format("runs/{}-sweep-{}", plan.name, utc_stamp("%Y%m%dT%H%M%SZ")))
          : fs::path(args.output);
  // Run directories of an earlier sweep into the same DIR would mix with these.
  fs::remove_all(dir / "runs");
  fs::remove(dir / "sweep.json");
  fs::create_directories(dir / "runs");
  const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  const Pool pool{plan, runs, dir,
                  static_cast<std::size_t>(args.jobs > 0 ? args.jobs : static_cast<int>(cpus)),
                  progress_wanted(STDERR_FILENO, args.quiet, std::getenv("CI"))};
  const auto status = run_all(pool);
  write_text(dir / "sweep.json", sweep_json(plan, runs, status, shard).dump(2) + "\n", "-o");
  const auto failed = static_cast<std::size_t>(std::count(status.begin(), status.end(), "failed"));
  if (!args.quiet)
    fmt::print("dlsim sweep: {} run(s) of {} (shard {}/{}), {} failed → {}\n", runs.size(),
               plan.name, shard.first, shard.second, failed, dir.string());
  return failed == 0 ? 0 : 3;
}

int command_sweep_merge(const SweepArgs& args) {
  if (args.merge_output.empty())
    throw scenario::InputError({"sweep merge", 1, 1}, "",
                               "missing -o OUT (the directory to write)");
  const auto threshold = analysis::parse_fraction(args.threshold);
  if (!threshold)
    throw scenario::InputError(
        {"--threshold", 1, 1}, "",
        fmt::format("'{}' is not a probability (expected e.g. 5% or 0.05)", args.threshold));
  const auto merged = analysis::merge_sweeps(args.dirs);
  fs::create_directories(args.merge_output);
  const fs::path out(args.merge_output);
  write_text(out / "sweep.csv", analysis::sweep_csv(merged), "-o");
  write_text(out / "risk.csv", analysis::risk_csv(merged), "-o");
  write_text(out / "backlog.csv", analysis::backlog_csv(merged), "-o");
  write_text(out / "summary.md", analysis::sweep_summary_md(merged, *threshold), "-o");
  fmt::print("dlsim sweep merge: {} run(s) of {} of plan {} → {}\n", merged.runs.size(),
             merged.runs_in_plan, merged.plan, out.string());
  for (const auto& name : merged.missing) fmt::print("  missing: {}\n", name);
  return 0;
}

SweepCommands add_sweep_command(CLI::App& app, SweepArgs& args) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run a sweep plan's points in parallel local processes, a shard, or emit a Job");
  cmd->add_option("PLAN", args.plan, "Sweep plan (YAML, docs/sweep.md)");
  cmd->add_option("-o,--output", args.output,
                  "Directory to write (default: runs/<plan>-sweep-<UTC time>/); with --emit, "
                  "the manifest file (default: stdout)");
  cmd->add_option("--jobs", args.jobs, "Runs at once (default: the number of CPUs)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--shard", args.shard, "Run only shard I of N (I/N, 0 <= I < N)");
  cmd->add_option("--emit", args.emit, "Write a manifest instead of running: k8s-job");
  cmd->add_flag("-q,--quiet", args.quiet, "No progress line and no summary line");
  cmd->require_subcommand(0, 1);
  auto* merge = cmd->add_subcommand("merge", "Join sweep output directories into one CSV");
  merge->add_option("DIR", args.dirs, "Sweep output directories (all shards)")->required();
  merge->add_option("-o,--output", args.merge_output, "Directory for the merged files")->required();
  merge->add_option("--threshold", args.threshold,
                    "Risk threshold of the smallest safe setting (default 5%)");
  return {cmd, merge};
}

}  // namespace dlsim::sim
