// `dlsim size SCENARIO`: run, size, re-run with the recommendation applied through the same
// overrides as --set, until a round verifies its deployment (docs/outputs.md "dlsim size").
#include "sim/cli_size.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "analysis/sizing.hpp"
#include "sim/output.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

namespace dlsim::sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

struct Change {
  std::string service;
  std::string field;
  std::string from;
  std::string to;
  std::string set;  // the --set that applies it
};

std::string cores_text(const std::optional<double>& v) {
  return v ? fmt::format("{:.3f}", *v) : std::string("unset");
}

std::string bytes_text(const std::optional<double>& v) {
  return v ? fmt::format("{:.0f}", *v) : std::string("unset");
}

void add_change(std::vector<Change>& out, const std::string& service, const std::string& prefix,
                const std::string& field, const std::string& from, const std::string& to) {
  if (from == to || to == "unset") return;
  out.push_back({service, field, from, to, fmt::format("{}.{}={}", prefix, field, to)});
}

// The changes that turn the scenario's deployment into the recommendation.
std::vector<Change> changes_of(const Scenario& s, const analysis::SizingResult& r) {
  std::vector<Change> out;
  for (const auto& z : r.services) {
    const auto& group = z.daemon ? s.rucio.daemons : s.rucio.servers;
    const ServiceSpec& svc = group.at(z.service);
    const std::string prefix =
        fmt::format("rucio.{}.{}", z.daemon ? "daemons" : "servers", z.service);
    const auto& now = svc.resources;
    add_change(out, z.service, prefix, "replicas", std::to_string(svc.replicas),
               std::to_string(z.replicas));
    add_change(out, z.service, prefix, "resources.requests.cpu", cores_text(now.cpu_request_cores),
               cores_text(z.cpu.request_cores));
    add_change(out, z.service, prefix, "resources.limits.cpu", cores_text(now.cpu_limit_cores),
               cores_text(z.cpu.limit_cores));
    add_change(out, z.service, prefix, "resources.requests.memory",
               bytes_text(now.mem_request_bytes), bytes_text(z.mem.request_bytes));
    add_change(out, z.service, prefix, "resources.limits.memory", bytes_text(now.mem_limit_bytes),
               bytes_text(z.mem.limit_bytes));
  }
  return out;
}

struct Round {
  int number = 0;
  std::vector<Change> changes;  // applied going into this round
  std::vector<std::string> failures;
  std::map<std::string, std::string> files;  // sizing files of this round's run
  std::vector<Change> next;                  // what this round's sizing would change
};

std::string stamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Round run_round(const SizeArgs& args, const std::vector<std::string>& sets, const fs::path& dir,
                int number) {
  LoadedScenario loaded = load_scenario(args.scenario, sets);
  const Scenario& s = loaded.scenario;
  RunResult result = run_scenario(s);
  auto sizing = analysis::size_run(s, result.summary, *result.recorder);
  Round r;
  r.number = number;
  r.failures = sizing.failures;
  r.files = {{"sizing.csv", analysis::sizing_csv(sizing)},
             {"sizing.json", analysis::sizing_json(sizing)},
             {"sizing.md", analysis::sizing_md(sizing, s.name)}};
  r.next = changes_of(s, sizing);
  RunInfo info;
  info.scenario_name = s.name;
  info.scenario_file = args.scenario;
  info.scenario_sha256 = sha256_hex(loaded.source_text);
  info.seed = s.seed;
  info.simulated_s = s.duration_s;
  write_run_directory((dir / fmt::format("round-{}", number)).string(), info,
                      resolved_scenario_yaml(s), result.summary, *result.recorder, r.files);
  return r;
}

ordered_json changes_json(const std::vector<Change>& changes) {
  ordered_json out = ordered_json::array();
  for (const auto& c : changes)
    out.push_back({{"service", c.service},
                   {"field", c.field},
                   {"from", c.from},
                   {"to", c.to},
                   {"set", c.set}});
  return out;
}

std::vector<Change> changes_from_json(const nlohmann::json& j) {
  std::vector<Change> out;
  for (const auto& c : j)
    out.push_back({c.at("service"), c.at("field"), c.at("from"), c.at("to"), c.at("set")});
  return out;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One SimGrid engine per process (docs/design.md §2): each round simulates in a child process
// that writes its run directory and sends its failures and next changes back through a pipe.
Round run_round_in_child(const SizeArgs& args, const std::vector<std::string>& sets,
                         const fs::path& dir, int number) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("cannot create a pipe");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot fork");
  if (pid == 0) {
    close(fds[0]);
    ordered_json reply;
    try {
      Round r = run_round(args, sets, dir, number);
      reply = {{"failures", r.failures}, {"next", changes_json(r.next)}};
    } catch (const std::exception& e) {
      reply = {{"error", e.what()}};
    }
    const std::string text = reply.dump();
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (text.empty()) throw std::runtime_error(fmt::format("round {} crashed", number));
  const auto reply = nlohmann::json::parse(text);
  if (reply.contains("error"))
    throw std::runtime_error(
        fmt::format("round {}: {}", number, reply.at("error").get<std::string>()));
  Round r;
  r.number = number;
  r.failures = reply.at("failures").get<std::vector<std::string>>();
  r.next = changes_from_json(reply.at("next"));
  for (const char* file : {"sizing.csv", "sizing.json", "sizing.md"})
    r.files[file] = read_text(dir / fmt::format("round-{}", number) / file);
  return r;
}

void print_round(const Round& r) {
  fmt::print("round {}: {} change(s) applied\n", r.number, r.changes.size());
  for (const auto& c : r.changes)
    fmt::print("  {} {}: {} → {}\n", c.service, c.field, c.from, c.to);
  if (r.failures.empty())
    fmt::print(
        "  verified: no OOM kill, eviction, growing table, Pending pod or missed "
        "target\n");
  for (const auto& f : r.failures) fmt::print("  still failing: {}\n", f);
}

std::string rounds_json(const std::vector<Round>& rounds) {
  ordered_json out = ordered_json::array();
  for (const auto& r : rounds) {
    ordered_json changes = changes_json(r.changes);
    for (auto& c : changes) c.erase("set");
    out.push_back({{"round", r.number},
                   {"run_dir", fmt::format("round-{}", r.number)},
                   {"changes", changes},
                   {"failures", r.failures}});
  }
  return out.dump(2) + "\n";
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

}  // namespace

std::map<std::string, std::string> sizing_files(const Scenario& s, const RunResult& result) {
  auto sizing = analysis::size_run(s, result.summary, *result.recorder);
  return {{"sizing.csv", analysis::sizing_csv(sizing)},
          {"sizing.json", analysis::sizing_json(sizing)},
          {"sizing.md", analysis::sizing_md(sizing, s.name)}};
}

int command_size(const SizeArgs& args) {
  std::vector<std::string> user_sets = args.sets;
  if (!args.method.empty()) user_sets.push_back("sizing.method=" + args.method);
  const std::string name = load_scenario(args.scenario, user_sets).scenario.name;
  const fs::path dir = args.output.empty() ? fs::path(fmt::format("runs/{}-size-{}", name, stamp()))
                                           : fs::path(args.output);
  fs::create_directories(dir);
  std::map<std::string, std::string> applied;  // --set path → value, accumulated
  std::vector<Round> rounds;
  std::vector<Change> pending;
  bool converged = false;
  for (int k = 1; k <= args.rounds; ++k) {
    std::vector<std::string> sets = user_sets;
    for (const auto& c : pending) applied[c.set.substr(0, c.set.find('='))] = c.to;
    for (const auto& [path, value] : applied) sets.push_back(path + "=" + value);
    Round r = run_round_in_child(args, sets, dir, k);
    r.changes = pending;
    print_round(r);
    rounds.push_back(r);
    if (r.failures.empty() && (k > 1 || r.next.empty())) {
      converged = true;
      break;
    }
    if (r.next.empty()) break;  // failing, and the sizing has nothing left to change
    pending = r.next;
  }
  const Round& last = rounds.back();
  // The verified recommendation is the one the passing round ran with: the previous round's.
  const auto& final_files =
      converged && rounds.size() > 1 ? rounds[rounds.size() - 2].files : last.files;
  auto files = final_files;
  if (converged) {
    const int sized_in = rounds.size() > 1 ? last.number - 1 : last.number;
    files["sizing.md"] += fmt::format(
        "\n## Verification (dlsim size)\n\nSized from the run of round {}, applied in round {}, "
        "whose run had no OOM kill, eviction, growing table, Pending pod or missed target.\n",
        sized_in, last.number);
    auto j = ordered_json::parse(files["sizing.json"]);
    j["verified"] = {{"sized_in_round", sized_in}, {"verified_in_round", last.number}};
    files["sizing.json"] = j.dump(2) + "\n";
  }
  for (const auto& [file, text] : files) write_text(dir / file, text);
  write_text(dir / "rounds.json", rounds_json(rounds));
  if (converged) {
    fmt::print("dlsim size: converged in round {} → {}\n", last.number, dir.string());
    return 0;
  }
  fmt::print("dlsim size: not converged after {} round(s) → {}\n", rounds.size(), dir.string());
  if (last.next.empty())
    fmt::print("  the sizing has nothing left to change, so these cannot converge by sizing:\n");
  else
    fmt::print("  still failing in the last round (the round limit is --rounds {}):\n",
               args.rounds);
  for (const auto& f : last.failures) fmt::print("  - {}\n", f);
  return 1;
}

CLI::App* add_size_command(CLI::App& app, SizeArgs& args) {
  auto* cmd = app.add_subcommand(
      "size", "Size a scenario's deployment and verify it by re-simulation, round by round");
  cmd->add_option("SCENARIO", args.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("-o,--output", args.output,
                  "Directory for the rounds and the final sizing (default: runs/<scenario>-size-"
                  "<UTC time>/)");
  cmd->add_option("--rounds", args.rounds, "Most rounds to run (default 5)")
      ->check(CLI::Range(1, 50));
  cmd->add_option("--sizing-method", args.method, "vpa (default) or krr")
      ->check(CLI::IsMember({"vpa", "krr"}));
  cmd->add_option("--set", args.sets, "Override a value: key.path=value (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return cmd;
}

}  // namespace dlsim::sim
