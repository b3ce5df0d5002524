#include "scenario/loader_sizing.hpp"

#include "scenario/loader_fields.hpp"

namespace dlsim::scenario {

std::string to_string(SizingMethod m) {
  return m == SizingMethod::Krr ? "krr" : "vpa";
}

namespace {

double read_factor(const InputContext& c, const YAML::Node& n, const std::string& p) {
  return read_number(c, n, p, 1, 10);
}

double read_fraction(const InputContext& c, const YAML::Node& n, const std::string& p) {
  return read_number(c, n, p, 0, 1);
}

void parse_targets(const InputContext& ctx, const YAML::Node& node, const std::string& path,
                   SizingSpec& out) {
  if (!node.IsMap()) ctx.fail(node, path, "expected a mapping of operation: p99 latency");
  for (const auto& entry : node) {
    const std::string op = entry.first.as<std::string>();
    const std::string entry_path = join_path(path, op);
    const double p99_s = read_duration_s(ctx, entry.second, entry_path);
    if (p99_s <= 0) ctx.fail(entry.second, entry_path, "a latency target must be above 0");
    out.p99_targets_s[op] = p99_s;
  }
}

}  // namespace

void parse_sizing(const InputContext& ctx, const YAML::Node& node, SizingSpec& out) {
  MapReader m(ctx, node, "sizing");
  std::string method = to_string(out.method);
  m.field("method", method, one_of({"vpa", "krr"}));
  out.method = method == "krr" ? SizingMethod::Krr : SizingMethod::Vpa;
  m.field("margin", out.margin, read_factor);
  m.field("oom_bump_ratio", out.oom_bump_ratio, read_factor);
  m.field("oom_min_bump", out.oom_min_bump_bytes, read_bytes);
  m.field("throttled_fraction", out.throttled_fraction, read_fraction);
  m.field("cpu_throttle_bump", out.cpu_throttle_bump, read_factor);
  m.field("peak_window", out.peak_window_s, read_duration_s);
  m.field("growing_fraction", out.growing_fraction, read_fraction);
  m.field("growing_window", out.growing_window_s, read_duration_s);
  m.field("server_utilization", out.server_utilization,
          [](const auto& c, const auto& n, const auto& p) {
            double v = read_number(c, n, p, 0.05, 1);
            return v;
          });
  if (auto t = m.get("targets")) parse_targets(ctx, *t, m.child_path("targets"), out);
  m.finish();
}

}  // namespace dlsim::scenario
