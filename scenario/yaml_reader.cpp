#include "scenario/yaml_reader.hpp"

#include <cmath>
#include <limits>

#include <fmt/core.h>

#include "scenario/units.hpp"

namespace dlsim::scenario {

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string parent_path(const std::string& path) {
  const auto cut = path.find_last_of(".[");
  return cut == std::string::npos ? std::string() : path.substr(0, cut);
}

const std::string& InputContext::origin_file(const std::string& path) const {
  if (origins_.empty()) return file_;
  for (std::string p = path;; p = parent_path(p)) {
    if (auto it = origins_.find(p); it != origins_.end()) return it->second;
    if (p.empty()) return file_;
  }
}

SourceLocation InputContext::locate_key(const YAML::Node& key, const std::string& path) const {
  if (const Override* o = override_at(path)) {
    auto last_dot = path.rfind('.');
    return SourceLocation{"--set", o->index,
                          static_cast<int>(last_dot == std::string::npos ? 1 : last_dot + 2)};
  }
  return locate(key, path);
}

void InputContext::fail_key(const YAML::Node& key, const std::string& path,
                            const std::string& message) const {
  throw InputError(locate_key(key, path), path, message);
}

SourceLocation InputContext::locate(const YAML::Node& node, const std::string& path) const {
  // The innermost override at or above `path` wrote this node (or one of its parents).
  for (std::string p = path;;) {
    if (const Override* o = override_at(p)) {
      // The value starts after "path="; an intermediate node is the start of its component.
      auto last_dot = p.rfind('.');
      int column = (p == o->path)
                       ? static_cast<int>(o->path.size()) + 2
                       : static_cast<int>(last_dot == std::string::npos ? 1 : last_dot + 2);
      return SourceLocation{"--set", o->index, column};
    }
    auto dot = p.rfind('.');
    if (dot == std::string::npos) break;
    p.resize(dot);
  }
  if (auto imported = imports_.find(path); imported != imports_.end()) return imported->second;
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null()) return SourceLocation{origin_file(path), 1, 1};
  return SourceLocation{origin_file(path), mark.line + 1, mark.column + 1};
}

void InputContext::fail(const YAML::Node& node, const std::string& path,
                        const std::string& message) const {
  throw InputError(locate(node, path), path, message);
}

void InputContext::note_override(const std::string& path, const Override& o, bool created) {
  overrides_[path] = o;
  if (created) created_.insert(path);
}

bool InputContext::created_by_override(const std::string& path) const {
  return created_.count(path) > 0;
}

const Override* InputContext::override_at(const std::string& path) const {
  auto it = overrides_.find(path);
  return it == overrides_.end() ? nullptr : &it->second;
}

namespace {

std::string scalar_or_fail(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                           const char* expected) {
  if (!n.IsScalar())
    ctx.fail(n, path,
             fmt::format("expected {}, found a {}", expected, n.IsMap() ? "mapping" : "list"));
  return n.Scalar();
}

template <typename Parse>
double read_quantity(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                     const char* expected, Parse parse, double max, const char* max_text) {
  auto text = scalar_or_fail(ctx, n, path, expected);
  auto parsed = parse(text);
  if (!parsed.ok()) ctx.fail(n, path, parsed.error());
  if (parsed.value() > max)
    ctx.fail(n, path, fmt::format("{} is out of range (expected 0 to {})", text, max_text));
  return parsed.value();
}

}  // namespace

std::string read_string(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  auto s = scalar_or_fail(ctx, n, path, "a string");
  if (s.empty()) ctx.fail(n, path, "must not be empty");
  return s;
}

double read_number(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                   double min, double max) {
  auto s = scalar_or_fail(ctx, n, path, "a number");
  double v = 0;
  try {
    std::size_t used = 0;
    v = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
  } catch (const std::exception&) {
    ctx.fail(n, path, fmt::format("'{}' is not a number", s));
  }
  if (!std::isfinite(v) || v < min || v > max)
    ctx.fail(n, path, fmt::format("{} is out of range (expected {} to {})", s, min, max));
  return v;
}

std::int64_t read_integer(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                          std::int64_t min, std::int64_t max) {
  auto s = scalar_or_fail(ctx, n, path, "an integer");
  long double v = 0;
  try {
    std::size_t used = 0;
    v = std::stold(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
  } catch (const std::exception&) {
    ctx.fail(n, path, fmt::format("'{}' is not an integer", s));
  }
  if (v != std::floor(v)) ctx.fail(n, path, fmt::format("'{}' is not a whole number", s));
  if (v < static_cast<long double>(min) || v > static_cast<long double>(max))
    ctx.fail(n, path, fmt::format("{} is out of range (expected {} to {})", s, min, max));
  return static_cast<std::int64_t>(v);
}

bool read_bool(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  auto s = scalar_or_fail(ctx, n, path, "true or false");
  if (s == "true" || s == "True" || s == "yes") return true;
  if (s == "false" || s == "False" || s == "no") return false;
  ctx.fail(n, path, fmt::format("'{}' is not a boolean (expected true or false)", s));
}

double read_cpu_cores(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  return read_quantity(ctx, n, path, "a CPU quantity", units::parse_cpu_cores, kMaxCpuCores,
                       "1024");
}
double read_bytes(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  return read_quantity(ctx, n, path, "a size", units::parse_bytes, kMaxBytes, "1000PB");
}
double read_bandwidth_Bps(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  return read_quantity(ctx, n, path, "a bandwidth", units::parse_bandwidth_Bps, 1e15, "8000Tbps");
}
double read_duration_s(const InputContext& ctx, const YAML::Node& n, const std::string& path) {
  return read_quantity(ctx, n, path, "a duration", units::parse_duration_s, kMaxDuration_s, "366d");
}

std::string read_enum(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                      const std::vector<std::string>& allowed) {
  auto s = scalar_or_fail(ctx, n, path, "one of the listed names");
  for (const auto& a : allowed)
    if (a == s) return s;
  ctx.fail(n, path,
           fmt::format("unknown value '{}' (expected {}){}", s, quoted_list(allowed),
                       did_you_mean(s, allowed)));
}

MapReader::MapReader(const InputContext& ctx, YAML::Node node, std::string path)
    : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  if (!node_.IsMap())
    ctx_.fail(node_, path_.empty() ? std::string() : path_,
              node_.IsNull() ? "expected a mapping, found nothing"
                             : fmt::format("expected a mapping, found a {}",
                                           node_.IsSequence() ? "list" : "scalar"));
  // yaml-cpp keeps duplicate keys; a scenario must not have them.
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    auto key = kv.first.Scalar();
    if (!seen.insert(key).second)
      ctx_.fail(kv.first, join_path(path_, key),
                "duplicate key (each key may appear once in a mapping)");
  }
}

std::optional<YAML::Node> MapReader::get(const std::string& key) {
  known_.push_back(key);
  for (const auto& kv : node_)
    if (kv.first.Scalar() == key) {
      if (kv.second.IsNull()) return std::nullopt;
      return kv.second;
    }
  return std::nullopt;
}

YAML::Node MapReader::require(const std::string& key) {
  auto n = get(key);
  if (!n) {
    // Point at the mapping that lacks the key; a present key that looks like it is a typo.
    std::vector<std::string> present;
    for (const auto& kv : node_) present.push_back(kv.first.Scalar());
    auto near = closest_matches(key, present);
    ctx_.fail(node_, child_path(key),
              near.empty() ? std::string("missing required key")
                           : fmt::format("missing required key (is '{}' a misspelling of it?)",
                                         near.front()));
  }
  return *n;
}

void MapReader::finish() {
  for (const auto& kv : node_) {
    auto key = kv.first.Scalar();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    auto where = child_path(key);
    ctx_.fail_key(kv.first, where,
                  fmt::format("unknown key '{}'{}", key, did_you_mean(key, known_)));
  }
}

void for_each_named(const InputContext& ctx, const YAML::Node& node, const std::string& path,
                    const std::string& what,
                    const std::function<void(const std::string&, const YAML::Node&,
                                             const std::string&, const YAML::Node&)>& visit) {
  MapReader map(ctx, node, path);  // checks mapping and duplicate names
  std::vector<std::string> existing;
  for (const auto& kv : node)
    if (!ctx.created_by_override(join_path(path, kv.first.Scalar())))
      existing.push_back(kv.first.Scalar());
  for (const auto& kv : node) {
    auto name = kv.first.Scalar();
    auto entry_path = join_path(path, name);
    if (ctx.created_by_override(entry_path))
      ctx.fail(kv.first, entry_path,
               fmt::format("no {} named '{}' in this scenario{}", what, name,
                           did_you_mean(name, existing)));
    visit(name, kv.second, entry_path, kv.first);
  }
}

}  // namespace dlsim::scenario
