#include "scenario/helm_values.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

namespace dlsim::scenario {
namespace {

YAML::Node load_values_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file, 1, 1}, "", "cannot open the Helm values file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    YAML::Node root = YAML::Load(buffer.str());
    // An empty values file sets nothing (Helm accepts it).
    if (!root.IsDefined() || root.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap())
      throw InputError({file, root.Mark().line + 1, root.Mark().column + 1}, "",
                       "expected a mapping of Helm values at the top of the file");
    return root;
  } catch (const YAML::ParserException& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("invalid YAML: {}", e.msg));
  }
}

HelmValue make_value(const YAML::Node& key, const YAML::Node& node, std::size_t file,
                     const InputContext& ctx, const std::string& path,
                     std::vector<std::string>& warnings);

// Merges the mapping `node` of file `file` into `into` (Helm's coalesce of a later file).
void merge_map(HelmValue& into, const YAML::Node& node, std::size_t file, const InputContext& ctx,
               const std::string& path, std::vector<std::string>& warnings) {
  std::map<std::string, YAML::Node> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar())
      ctx.fail(kv.first, path, "a key of Helm values must be a plain string");
    const std::string key = kv.first.Scalar();
    const std::string child_path = join_path(path, key);
    if (auto first = seen.find(key); first != seen.end())
      // go-yaml (Helm's reader) keeps the later of two equal keys.
      warnings.push_back(format_warning(
          ctx.locate(kv.first, child_path), child_path,
          fmt::format("duplicate key '{}' (also at line {}); the later one wins, as Helm reads it",
                      key, first->second.Mark().line + 1)));
    seen[key] = kv.first;
    if (!kv.second.IsDefined() || kv.second.IsNull()) {
      into.children.erase(key);  // a null deletes the key
      continue;
    }
    auto existing = into.children.find(key);
    if (existing != into.children.end() && existing->second.node.IsMap() && kv.second.IsMap()) {
      existing->second.key = kv.first;
      existing->second.file = file;
      merge_map(existing->second, kv.second, file, ctx, child_path, warnings);
    } else {
      into.children[key] = make_value(kv.first, kv.second, file, ctx, child_path, warnings);
    }
  }
}

HelmValue make_value(const YAML::Node& key, const YAML::Node& node, std::size_t file,
                     const InputContext& ctx, const std::string& path,
                     std::vector<std::string>& warnings) {
  HelmValue v;
  v.key = key;
  v.node = node;
  v.file = file;
  if (node.IsMap()) merge_map(v, node, file, ctx, path, warnings);
  return v;
}

}  // namespace

std::string format_warning(const SourceLocation& where, const std::string& path,
                           const std::string& message) {
  return fmt::format("{}:{}:{}: warning: {}{}", where.file, where.line, where.column,
                     path.empty() ? "" : path + ": ", message);
}

HelmValues::HelmValues(const std::vector<std::string>& files, std::vector<std::string>& warnings)
    : files_(files) {
  root_.node = YAML::Node(YAML::NodeType::Map);
  for (std::size_t i = 0; i < files.size(); ++i) {
    contexts_.emplace_back(files[i]);
    merge_map(root_, load_values_file(files[i]), i, contexts_.back(), "", warnings);
  }
}

HelmMap::HelmMap(const HelmValues& values, const HelmValue& map, std::string path,
                 std::vector<std::string>& warnings)
    : values_(values), map_(map), path_(std::move(path)), warnings_(warnings) {}

const HelmValue* HelmMap::get(const std::string& key) {
  known_.push_back(key);
  auto it = map_.children.find(key);
  return it == map_.children.end() ? nullptr : &it->second;
}

void HelmMap::ignore(const std::vector<std::string>& keys) {
  known_.insert(known_.end(), keys.begin(), keys.end());
}

void HelmMap::finish(const std::string& what) {
  for (const auto& [key, value] : map_.children) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    const std::string path = child_path(key);
    warnings_.push_back(format_warning(
        values_.locate_key(value, path), path,
        fmt::format("unknown key '{}' of {}{}; ignored", key, what, did_you_mean(key, known_))));
  }
}

bool helm_truthy(const HelmValue* v) {
  if (v == nullptr || !v->node.IsDefined() || v->node.IsNull()) return false;
  if (v->node.IsMap()) return !v->children.empty();
  if (v->node.IsSequence()) return v->node.size() > 0;
  const std::string& s = v->node.Scalar();
  if (v->node.Tag() == "!") return !s.empty();  // a quoted string: true unless empty
  // Plain scalars as go-yaml resolves them (YAML 1.1 booleans, numbers).
  static const std::vector<std::string> falsy = {"",   "false", "False", "FALSE", "no", "No",
                                                 "NO", "off",   "Off",   "OFF",   "n",  "N"};
  if (std::find(falsy.begin(), falsy.end(), s) != falsy.end()) return false;
  try {
    std::size_t used = 0;
    double d = std::stod(s, &used);
    if (used == s.size()) return d != 0;
  } catch (const std::exception&) {
  }
  return true;
}

}  // namespace dlsim::scenario
