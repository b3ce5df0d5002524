#include "app/sweep_plan.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include "app/output.hpp"
#include "scenario/loader.hpp"
#include "scenario/loader_fields.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::sim {
namespace {

namespace fs = std::filesystem;

// Where each --set of a point came from in the plan, to re-locate the scenario loader's
// "--set:N:C" errors onto the plan's line and column.
using SetMarks = std::vector<YAML::Node>;

struct PlanReading {
  SweepPlan plan;
  SetMarks set_marks;                 // of plan.sets
  std::vector<SetMarks> point_marks;  // of each point's sets
};

YAML::Node parse_plan_yaml(const std::string& text, const std::string& file) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull())
      throw scenario::InputError(
          {file, 1, 1}, "", "the plan is empty (expected name, scenario, grid or points, seeds)");
    if (!root.IsMap())
      throw scenario::InputError({file, 1, 1}, "", "expected a mapping at the top");
    return root;
  } catch (const YAML::ParserException& e) {
    throw scenario::InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                               fmt::format("invalid YAML: {}", e.msg));
  }
}

std::string read_key_path(const scenario::InputContext& ctx, const YAML::Node& key,
                          const std::string& path) {
  std::string k = scenario::read_string(ctx, key, path);
  if (k.find('=') != std::string::npos || k.front() == '.' || k.back() == '.')
    ctx.fail_key(key, path,
                 fmt::format("'{}' is not a key path (expected e.g. database.engine)", k));
  return k;
}

std::string read_value(const scenario::InputContext& ctx, const YAML::Node& n,
                       const std::string& path) {
  if (!n.IsScalar()) ctx.fail(n, path, "expected a scalar value (what --set would take)");
  return n.Scalar();
}

void add_key(SweepPlan& plan, const std::string& key) {
  for (const auto& k : plan.keys)
    if (k == key) return;
  plan.keys.push_back(key);
}

// The grid's product, first key outermost.
void read_grid(const scenario::InputContext& ctx, const YAML::Node& grid, PlanReading& r) {
  if (!grid.IsMap() || grid.size() == 0)
    ctx.fail(grid, "grid", "expected a mapping of key paths to lists of values");
  std::vector<std::pair<std::string, std::vector<YAML::Node>>> axes;
  for (const auto& entry : grid) {
    const std::string key = read_key_path(ctx, entry.first, "grid");
    const std::string path = "grid." + key;
    if (!entry.second.IsSequence() || entry.second.size() == 0)
      ctx.fail(entry.second, path, "expected a non-empty list of values");
    std::vector<YAML::Node> values(entry.second.begin(), entry.second.end());
    for (const auto& v : values) read_value(ctx, v, path);
    axes.emplace_back(key, values);
    add_key(r.plan, key);
  }
  std::vector<std::size_t> at(axes.size(), 0);
  for (bool more = true; more;) {
    SweepPoint p;
    SetMarks marks;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      p.sets.push_back({axes[a].first, axes[a].second[at[a]].Scalar()});
      marks.push_back(axes[a].second[at[a]]);
    }
    r.plan.points.push_back(p);
    r.point_marks.push_back(marks);
    more = false;
    for (std::size_t a = axes.size(); a-- > 0;) {
      if (++at[a] < axes[a].second.size()) {
        more = true;
        break;
      }
      at[a] = 0;
    }
  }
}

void read_points(const scenario::InputContext& ctx, const YAML::Node& points, PlanReading& r) {
  if (!points.IsSequence() || points.size() == 0)
    ctx.fail(points, "points", "expected a non-empty list of mappings (key path: value)");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string path = fmt::format("points[{}]", i);
    const YAML::Node& point = points[i];
    if (!point.IsMap() || point.size() == 0)
      ctx.fail(point, path, "expected a mapping of key paths to values");
    SweepPoint p;
    SetMarks marks;
    for (const auto& entry : point) {
      const std::string key = read_key_path(ctx, entry.first, path);
      p.sets.push_back({key, read_value(ctx, entry.second, path + "." + key)});
      marks.push_back(entry.second);
      add_key(r.plan, key);
    }
    r.plan.points.push_back(p);
    r.point_marks.push_back(marks);
  }
}

void read_seeds(const scenario::InputContext& ctx, const YAML::Node& n, SweepPlan& plan) {
  constexpr std::int64_t kMaxSeeds = 100000;
  if (n.IsScalar()) {
    const auto count = scenario::read_integer(ctx, n, "seeds", 1, kMaxSeeds);
    for (std::int64_t s = 1; s <= count; ++s) plan.seeds.push_back(s);
    return;
  }
  if (!n.IsSequence() || n.size() == 0)
    ctx.fail(n, "seeds", "expected a count (seeds 1..N) or a non-empty list of seeds");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const auto seed = scenario::read_integer(ctx, n[i], fmt::format("seeds[{}]", i), 0, INT64_MAX);
    for (auto s : plan.seeds)
      if (s == seed) ctx.fail(n[i], fmt::format("seeds[{}]", i), "this seed is listed twice");
    plan.seeds.push_back(seed);
  }
}

void read_kubernetes(const scenario::InputContext& ctx, const YAML::Node& n, SweepKubernetes& k) {
  scenario::MapReader m(ctx, n, "kubernetes");
  m.field("image", k.image, scenario::read_string);
  m.field("shards", k.shards, scenario::integer(1, 100000));
  m.field("parallelism", k.parallelism, scenario::integer(1, 100000));
  m.field("jobs", k.jobs, scenario::integer(1, 1024));
  m.field("backoff_limit", k.backoff_limit, scenario::integer(0, 100));
  if (auto r = m.get("requests")) {
    scenario::MapReader q(ctx, *r, "kubernetes.requests");
    if (auto c = q.get("cpu")) {
      scenario::read_cpu_cores(ctx, *c, "kubernetes.requests.cpu");
      k.cpu_request = c->Scalar();
    }
    if (auto c = q.get("memory")) {
      scenario::read_bytes(ctx, *c, "kubernetes.requests.memory");
      k.memory_request = c->Scalar();
    }
    q.finish();
  }
  m.field("output_claim", k.output_claim, scenario::read_string);
  m.field("plan_path", k.plan_path, scenario::read_string);
  m.field("working_dir", k.working_dir, scenario::read_string);
  m.finish();
}

PlanReading read_plan(const YAML::Node& root, const scenario::InputContext& ctx) {
  PlanReading r;
  scenario::MapReader m(ctx, root, "");
  m.required("name", r.plan.name, scenario::read_string);
  const YAML::Node scenario = m.require("scenario");
  r.plan.scenario = scenario::read_string(ctx, scenario, "scenario");
  if (auto sets = m.get("set")) {
    if (!sets->IsSequence()) ctx.fail(*sets, "set", "expected a list of key.path=value");
    for (std::size_t i = 0; i < sets->size(); ++i) {
      const std::string text = scenario::read_string(ctx, (*sets)[i], fmt::format("set[{}]", i));
      if (text.find('=') == std::string::npos)
        ctx.fail((*sets)[i], fmt::format("set[{}]", i), "expected key.path=value");
      r.plan.sets.push_back(text);
      r.set_marks.push_back((*sets)[i]);
    }
  }
  auto grid = m.get("grid");
  auto points = m.get("points");
  if (!grid && !points) m.fail("a plan needs a grid, a list of points, or both");
  if (grid) read_grid(ctx, *grid, r);
  if (points) read_points(ctx, *points, r);
  read_seeds(ctx, m.require("seeds"), r.plan);
  if (auto k = m.get("kubernetes")) read_kubernetes(ctx, *k, r.plan.kubernetes);
  m.finish();
  for (std::size_t i = 0; i < r.plan.points.size(); ++i)
    r.plan.points[i].index = static_cast<int>(i);
  // The scenario is named relative to the plan (as `include` in scenarios).
  fs::path scenario_path(r.plan.scenario);
  if (scenario_path.is_relative())
    scenario_path = fs::path(ctx.file()).parent_path() / scenario_path;
  if (!fs::is_regular_file(scenario_path))
    ctx.fail(scenario, "scenario",
             fmt::format("no scenario file '{}'", scenario_path.lexically_normal().string()));
  r.plan.scenario = scenario_path.lexically_normal().string();
  return r;
}

// Each point must load: the scenario loader's error about the k-th --set is re-located onto
// the plan node that --set came from ("--set:K:C: error: REST" → "PLAN:L:C: error: REST").
void check_points(const PlanReading& r, const scenario::InputContext& ctx) {
  for (std::size_t i = 0; i < r.plan.points.size(); ++i) {
    SweepRun probe{static_cast<int>(i), r.plan.seeds.front(), ""};
    try {
      scenario::load_scenario(r.plan.scenario, run_set_args(r.plan, probe));
    } catch (const scenario::InputError& e) {
      if (e.where().file != "--set") throw;
      const std::size_t k = static_cast<std::size_t>(e.where().line) - 1;
      const std::string text = e.what();
      const std::string rest = text.substr(text.find(": error: ") + 9);
      if (k < r.set_marks.size())  // a plan-wide set: every point fails alike
        throw scenario::InputError(ctx.locate(r.set_marks[k], ""), "", rest);
      throw scenario::InputError(
          ctx.locate(r.point_marks[i].at(k - r.set_marks.size()), ""), "",
          fmt::format("{} (point {} of the plan)", rest, r.plan.points[i].index));
    }
  }
}

}  // namespace

SweepPlan load_sweep_plan(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw scenario::InputError({file, 1, 1}, "", "cannot open the sweep plan");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  scenario::InputContext ctx(file);
  PlanReading r = read_plan(parse_plan_yaml(text, file), ctx);
  r.plan.file = file;
  r.plan.sha256 = sha256_hex(text);
  check_points(r, ctx);
  return r.plan;
}

std::vector<SweepRun> sweep_runs(const SweepPlan& plan) {
  std::vector<SweepRun> out;
  for (const auto& p : plan.points)
    for (auto seed : plan.seeds)
      out.push_back({p.index, seed, fmt::format("p{:03}-seed{}", p.index, seed)});
  return out;
}

std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, int shard, int shards) {
  std::vector<SweepRun> out;
  for (std::size_t k = 0; k < runs.size(); ++k)
    if (static_cast<int>(k % static_cast<std::size_t>(shards)) == shard) out.push_back(runs[k]);
  return out;
}

std::vector<std::string> run_set_args(const SweepPlan& plan, const SweepRun& run) {
  std::vector<std::string> out = plan.sets;
  for (const auto& s : plan.points.at(static_cast<std::size_t>(run.point)).sets)
    out.push_back(s.key + "=" + s.value);
  out.push_back(fmt::format("seed={}", run.seed));
  return out;
}

std::optional<std::pair<int, int>> parse_shard(const std::string& text) {
  int i = 0, n = 0;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> i >> slash >> n) || slash != '/' || !in.eof() || n < 1 || i < 0 || i >= n)
    return std::nullopt;
  return std::make_pair(i, n);
}

}  // namespace dlsim::sim
