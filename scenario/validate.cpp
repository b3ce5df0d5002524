#include "scenario/validate.hpp"

#include <sstream>

#include <fmt/core.h>

#include "scenario/rse_expression.hpp"
#include "scenario/units.hpp"
#include "scenario/validate_k8s.hpp"

namespace dlsim::scenario {
namespace {

// The node at a dotted path ("rses.CERN.quota", "workload.injections.x.rules[0]"), or the
// deepest existing ancestor, for locating messages.
YAML::Node find_node(const YAML::Node& root, const std::string& path) {
  YAML::Node node = root;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) {
    std::optional<std::size_t> index;
    if (auto bracket = part.find('['); bracket != std::string::npos) {
      index = std::stoul(part.substr(bracket + 1));
      part.resize(bracket);
    }
    if (!node.IsMap() || !node[part]) return node;
    YAML::Node next = node[part];
    if (index) {
      if (!next.IsSequence() || *index >= next.size()) return next;
      next = next[*index];
    }
    node.reset(next);
  }
  return node;
}

class Validator {
 public:
  Validator(const Scenario& s, const YAML::Node& root, const InputContext& ctx)
      : s_(s), root_(root), ctx_(ctx) {}

  void run() {
    check_top();
    check_cluster();
    for (const auto& [name, svc] : s_.rucio.servers) check_service("rucio.servers." + name, svc);
    for (const auto& [name, svc] : s_.rucio.daemons) check_service("rucio.daemons." + name, svc);
    check_network();
    check_rses();
    check_workload();
    validate_k8s(
        s_, [this](const std::string& path, const std::string& message) { fail(path, message); });
  }

 private:
  // A value as the user wrote it (their units), for messages.
  std::string as_written(const std::string& path) const {
    YAML::Node n = find_node(root_, path);
    return n.IsScalar() ? n.Scalar() : path;
  }

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    ctx_.fail(find_node(root_, path), path, message);
  }

  void check_top() const {
    if (s_.duration_s <= 0) fail("duration", "must be greater than zero");
    if (s_.sample_interval_s <= 0) fail("sample_interval", "must be greater than zero");
    if (s_.sample_interval_s > s_.duration_s)
      fail("sample_interval", fmt::format("{} is longer than the scenario's duration ({})",
                                          units::format_duration(s_.sample_interval_s),
                                          units::format_duration(s_.duration_s)));
  }

  void check_cluster() const {
    if (s_.cluster.node_pools.empty()) fail("cluster.node_pools", "needs at least one node pool");
    for (const auto& [name, pool] : s_.cluster.node_pools) {
      auto p = "cluster.node_pools." + name;
      if (pool.cpu_cores <= 0) fail(p + ".cpu", "must be greater than zero");
      if (pool.mem_bytes <= 0) fail(p + ".memory", "must be greater than zero");
      if (pool.reserved_cpu_cores >= pool.cpu_cores)
        fail(p + ".reserved.cpu", "reserves the whole node's CPU");
      if (pool.reserved_mem_bytes >= pool.mem_bytes)
        fail(p + ".reserved.memory", "reserves the whole node's memory");
    }
  }

  void check_service(const std::string& path, const ServiceSpec& svc) const {
    for (std::size_t i = 0; i < svc.rollout_restarts_s.size(); ++i)
      if (svc.rollout_restarts_s[i] >= s_.duration_s)
        fail(fmt::format("{}.rollout_restarts[{}]", path, i), "is not before the scenario's end");
    const auto& r = svc.resources;
    auto res = path + ".resources";
    check_requests_within_limits(
        path, r, [this](const std::string& p, const std::string& m) { fail(p, m); });
    if (r.cpu_limit_cores && *r.cpu_limit_cores < 0.001)
      fail(res + ".limits.cpu", "is below 1m, the smallest CFS quota Kubernetes sets");
    if (r.mem_limit_bytes && *r.mem_limit_bytes < 4 * 1024 * 1024)
      fail(res + ".limits.memory", "is below 4Mi; no container can start under it");
  }

  void check_network() const {
    if (s_.network.latency_min_s > s_.network.latency_max_s)
      fail("network.latency_min", "is larger than network.latency_max");
    if (s_.network.tcp_window_bytes <= 0) fail("network.tcp_window", "must be greater than zero");
  }

  void check_rses() const {
    // RSEs are needed only by a Rucio workload; a batch-only scenario has none.
    if (s_.rses.empty() && (!s_.workload.injections.empty() || s_.workload.noise))
      fail("rses", "needs at least one RSE (the workload uploads files)");
    std::vector<std::string> names;
    for (const auto& [name, _] : s_.rses) names.push_back(name);
    for (const auto& [name, rse] : s_.rses) {
      if (rse.quota_bytes <= 0) fail("rses." + name + ".quota", "must be greater than zero");
      if (rse.min_free_bytes > rse.quota_bytes)
        fail("rses." + name + ".min_free",
             fmt::format("{} is more than the quota ({})", as_written("rses." + name + ".min_free"),
                         as_written("rses." + name + ".quota")));
      for (std::size_t i = 0; i < rse.no_link_to.size(); ++i) {
        const auto& to = rse.no_link_to[i];
        const auto path = fmt::format("rses.{}.no_link_to[{}]", name, i);
        if (!s_.rses.count(to))
          fail(path, fmt::format("no RSE named '{}' in rses{}", to, did_you_mean(to, names)));
        if (to == name) fail(path, "an RSE is not linked to itself anyway");
      }
      if (rse.catalog && rse.catalog->bytes > rse.quota_bytes)
        fail("rses." + name + ".catalog.bytes",
             fmt::format("{} is more than the quota ({})",
                         as_written("rses." + name + ".catalog.bytes"),
                         as_written("rses." + name + ".quota")));
    }
  }

  // Deletion campaigns tombstone replicas of the RSEs' initial catalogs, never more than
  // those hold.
  void check_deletions(const std::vector<std::string>& rse_names) const {
    for (const auto& [name, d] : s_.workload.deletions) {
      const auto p = "workload.deletions." + name;
      std::vector<std::string> unknown;
      const auto selected = resolve_rse_expression(d.rse_expression, s_.rses, &unknown);
      if (!unknown.empty())
        fail(p + ".rse_expression", fmt::format("no RSE named '{}' in rses{}", unknown.front(),
                                                did_you_mean(unknown.front(), rse_names)));
      std::int64_t initial = 0;
      for (const auto& rse : selected)
        if (const auto& c = s_.rses.at(rse).catalog) initial += c->files;
      if (d.files > initial)
        fail(p + ".files", fmt::format("{} is more than the {} files the catalogs of '{}' hold "
                                       "before the run (rses.*.catalog)",
                                       d.files, initial, d.rse_expression));
      if (d.period_s <= 0) fail(p + ".period", "must be greater than zero");
      if (d.start_s >= d.end_s.value_or(s_.duration_s))
        fail(p + ".start", "starts at or after its end");
    }
  }

  void check_workload() const {
    std::vector<std::string> rse_names;
    for (const auto& [name, _] : s_.rses) rse_names.push_back(name);
    for (const auto& [name, c] : s_.workload.clients) {
      if (c.interval_s <= 0)
        fail("workload.clients." + name + ".interval", "must be greater than zero");
      if (c.operation == ClientOperation::Download && c.file_size_bytes <= 0)
        fail("workload.clients." + name + ".operation",
             "a download needs the population's 'file_size' (bytes read per call)");
      if (c.start_s >= c.end_s.value_or(s_.duration_s))
        fail("workload.clients." + name + ".start", "starts at or after its end");
    }
    if (s_.workload.noise) {
      if (s_.workload.noise->period_s <= 0)
        fail("workload.noise.period", "must be greater than zero");
      if (s_.workload.noise->file_size_bytes <= 0)
        fail("workload.noise.file_size", "must be greater than zero");
    }
    check_deletions(rse_names);
    for (const auto& [name, inj] : s_.workload.injections) {
      auto p = "workload.injections." + name;
      if (!s_.rses.count(inj.rse))
        fail(p + ".rse",
             fmt::format("no RSE named '{}' in rses{}", inj.rse, did_you_mean(inj.rse, rse_names)));
      double end = inj.end_s.value_or(s_.duration_s);
      if (inj.start_s >= end)
        fail(p + ".start",
             fmt::format("starts at {} but ends at {}", units::format_duration(inj.start_s),
                         units::format_duration(end)));
      if (inj.start_s > s_.duration_s) fail(p + ".start", "starts after the end of the scenario");
      if (inj.file_size_bytes <= 0) fail(p + ".file_size", "must be greater than zero");
      if (inj.every_s && *inj.every_s < end - inj.start_s)
        fail(p + ".every",
             fmt::format("is shorter than the campaign's window ({} to {})",
                         units::format_duration(inj.start_s), units::format_duration(end)));
      for (std::size_t i = 0; i < inj.rules.size(); ++i) {
        const auto& rule = inj.rules[i];
        auto rp = fmt::format("{}.rules[{}]", p, i);
        std::vector<std::string> unknown;
        auto selected = resolve_rse_expression(rule.rse_expression, s_.rses, &unknown);
        if (!unknown.empty() && unknown.front().find('=') != std::string::npos)
          fail(rp + ".rse_expression", fmt::format("no RSE has the attribute {}", unknown.front()));
        if (!unknown.empty())
          fail(rp + ".rse_expression", fmt::format("no RSE named '{}' in rses{}", unknown.front(),
                                                   did_you_mean(unknown.front(), rse_names)));
        if (rule.on_container && !inj.container)
          fail(rp + ".level", "a container rule needs the campaign's 'container'");
        if (rule.after_s && !rule.on_container)
          fail(rp + ".after", "'after' is for a container rule ('level: container')");
        if (static_cast<std::size_t>(rule.copies) > selected.size())
          fail(rp + ".copies", fmt::format("asks for {} copies but '{}' selects {} RSE(s)",
                                           rule.copies, rule.rse_expression, selected.size()));
      }
    }
  }

  const Scenario& s_;
  const YAML::Node& root_;
  const InputContext& ctx_;
};

}  // namespace

void validate_scenario(const Scenario& s, const YAML::Node& root, const InputContext& ctx) {
  Validator(s, root, ctx).run();
}

}  // namespace dlsim::scenario
