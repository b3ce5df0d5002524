#include "app/size_round.hpp"

#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "analysis/sizing.hpp"
#include "app/child_process.hpp"
#include "app/output.hpp"
#include "scenario/loader.hpp"
#include "scenario/writer.hpp"

namespace dlsim::sim {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

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

namespace {

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
// The node count of each fixed-size pool, so that the round verifies it too. Not for
// autoscaled pools (the autoscaler decides) nor when batch pods, which the sizing does not
// pack, share the nodes.
void add_node_changes(const scenario::Scenario& s, const analysis::SizingResult& r,
                      std::vector<Change>& out) {
  if (!s.batch.jobs.empty() || !s.batch.vacuum.empty() || !r.cluster.unplaced.empty()) return;
  for (const auto& p : r.cluster.pools) {
    const auto& pool = s.cluster.node_pools.at(p.pool);
    if (pool.autoscaled() || pool.count == p.nodes) continue;
    const std::string field = fmt::format("node_pools.{}.count", p.pool);
    out.push_back({"cluster", field, std::to_string(pool.count), std::to_string(p.nodes),
                   fmt::format("cluster.{}={}", field, p.nodes)});
  }
}

std::vector<Change> changes_of(const scenario::Scenario& s, const analysis::SizingResult& r) {
  std::vector<Change> out;
  for (const auto& z : r.services) {
    const auto& group = z.daemon ? s.rucio.daemons : s.rucio.servers;
    const scenario::ServiceSpec& svc = group.at(z.service);
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
  add_node_changes(s, r, out);
  return out;
}

Round run_round(const SizeArgs& args, const std::vector<std::string>& sets, const fs::path& dir,
                int number) {
  scenario::LoadedScenario loaded = scenario::load_scenario(args.scenario, sets);
  const scenario::Scenario& s = loaded.scenario;
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
                      scenario::resolved_scenario_yaml(s), result.summary, *result.recorder,
                      r.files);
  return r;
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
// The child: simulate, size, send {failures, next} (or {error}) through the pipe.
int child_main(const SizeArgs& args, const std::vector<std::string>& sets, const fs::path& dir,
               int number, int fd) {
  ordered_json reply;
  try {
    Round r = run_round(args, sets, dir, number);
    reply = {{"failures", r.failures}, {"next", changes_json(r.next)}};
  } catch (const std::exception& e) {
    reply = {{"error", e.what()}};
  }
  write_all(fd, reply.dump());
  return 0;
}

}  // namespace

Round run_round_in_child(const SizeArgs& args, const std::vector<std::string>& sets,
                         const fs::path& dir, int number) {
  Child child = start_child([&](int fd) { return child_main(args, sets, dir, number, fd); });
  const std::string text = finish_child(child).text;
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

}  // namespace dlsim::sim
