// `dlsim size SCENARIO`: run, size, re-run with the recommendation applied through the same
// overrides as --set, until a round verifies its deployment (docs/outputs.md "dlsim size").
#include "app/cli_size.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "analysis/sizing.hpp"
#include "app/output.hpp"
#include "app/size_round.hpp"
#include "scenario/loader.hpp"

namespace dlsim::sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

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

std::map<std::string, std::string> sizing_files(const scenario::Scenario& s,
                                                const RunResult& result) {
  auto sizing = analysis::size_run(s, result.summary, *result.recorder);
  return {{"sizing.csv", analysis::sizing_csv(sizing)},
          {"sizing.json", analysis::sizing_json(sizing)},
          {"sizing.md", analysis::sizing_md(sizing, s.name)}};
}

namespace {

struct Outcome {
  std::vector<Round> rounds;
  bool converged = false;
};

// Round 1 runs the scenario as given; each next round adds the previous round's changes to
// the accumulated overrides (a later value of one key replaces the earlier one).
Outcome run_rounds(const SizeArgs& args, const std::vector<std::string>& user_sets,
                   const fs::path& dir) {
  Outcome out;
  std::map<std::string, std::string> applied;  // --set path → value
  std::vector<Change> pending;
  for (int k = 1; k <= args.rounds; ++k) {
    std::vector<std::string> sets = user_sets;
    for (const auto& c : pending) applied[c.set.substr(0, c.set.find('='))] = c.to;
    for (const auto& [path, value] : applied) sets.push_back(path + "=" + value);
    Round r = run_round_in_child(args, sets, dir, k);
    r.changes = pending;
    print_round(r);
    out.rounds.push_back(r);
    if (r.failures.empty() && (k > 1 || r.next.empty())) {
      out.converged = true;
      break;
    }
    if (r.next.empty()) break;  // failing, and the sizing has nothing left to change
    pending = r.next;
  }
  return out;
}

// The verified recommendation is the one the passing round ran with: the previous round's.
void write_final(const Outcome& o, const fs::path& dir) {
  const Round& last = o.rounds.back();
  const bool earlier = o.converged && o.rounds.size() > 1;
  auto files = earlier ? o.rounds[o.rounds.size() - 2].files : last.files;
  if (o.converged) {
    const int sized_in = earlier ? last.number - 1 : last.number;
    files["sizing.md"] += fmt::format(
        "\n## Verification (dlsim size)\n\nSized from the run of round {}, applied in round {}, "
        "whose run had no OOM kill, eviction, growing table, Pending pod or missed target.\n",
        sized_in, last.number);
    auto j = ordered_json::parse(files["sizing.json"]);
    j["verified"] = {{"sized_in_round", sized_in}, {"verified_in_round", last.number}};
    files["sizing.json"] = j.dump(2) + "\n";
  }
  for (const auto& [file, text] : files) write_text(dir / file, text);
  write_text(dir / "rounds.json", rounds_json(o.rounds));
}

}  // namespace

int command_size(const SizeArgs& args) {
  std::vector<std::string> user_sets = args.sets;
  if (!args.method.empty()) user_sets.push_back("sizing.method=" + args.method);
  const std::string name = scenario::load_scenario(args.scenario, user_sets).scenario.name;
  const fs::path dir =
      args.output.empty()
          ? fs::path(fmt::format("runs/{}-size-{}", name, utc_stamp("%Y%m%dT%H%M%SZ")))
          : fs::path(args.output);
  fs::create_directories(dir);
  // Round directories of an earlier `dlsim size` into the same DIR would mix with these.
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && entry.path().filename().string().rfind("round-", 0) == 0)
      fs::remove_all(entry.path());
  const Outcome o = run_rounds(args, user_sets, dir);
  write_final(o, dir);
  const Round& last = o.rounds.back();
  if (o.converged) {
    fmt::print("dlsim size: converged in round {} → {}\n", last.number, dir.string());
    return 0;
  }
  fmt::print("dlsim size: not converged after {} round(s) → {}\n", o.rounds.size(), dir.string());
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
