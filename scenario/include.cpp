#include "scenario/include.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/core.h>

namespace dlsim::scenario {
namespace {

namespace fs = std::filesystem;

// One mapping taking part in a merge, and the file it was read from.
struct MapLayer {
  YAML::Node map;
  const std::string* file;
};

SourceLocation mark_in(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<std::pair<YAML::Node, YAML::Node>> find_entry(const YAML::Node& map,
                                                            const std::string& key) {
  for (const auto& kv : map)
    if (kv.first.Scalar() == key) return std::make_pair(kv.first, kv.second);
  return std::nullopt;
}

// The keys of all layers in the order they first appear; a key twice in one mapping is an
// error (as MapReader says it for a single file).
std::vector<std::string> keys_in_order(const std::vector<MapLayer>& layers,
                                       const std::string& path) {
  std::vector<std::string> order;
  for (const auto& layer : layers) {
    std::set<std::string> seen;
    for (const auto& kv : layer.map) {
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second)
        throw InputError(mark_in(kv.first, *layer.file), join_path(path, key),
                         "duplicate key (each key may appear once in a mapping)");
      if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
    }
  }
  return order;
}

void merge_maps(const std::vector<MapLayer>& layers, const std::string& path, InputContext& ctx);

// The winning key and value of `key`: the highest layer that has it; when that value is a
// mapping, the mappings below it down to the first layer whose value is not one merge into it.
std::pair<YAML::Node, YAML::Node> merge_entry(const std::vector<MapLayer>& layers,
                                              const std::string& key, const std::string& path,
                                              InputContext& ctx) {
  // Only ever constructed, never assigned: assigning a YAML::Node overwrites the node it refers
  // to (yaml-cpp), so no std::reverse or std::swap of nodes either.
  std::vector<std::size_t> below;  // layers whose mappings merge, highest first
  std::size_t winner = layers.size();
  for (std::size_t i = layers.size(); i-- > 0;) {
    const auto entry = find_entry(layers[i].map, key);
    if (!entry) continue;
    if (winner == layers.size()) winner = i;
    if (!entry->second.IsMap()) break;
    below.push_back(i);
  }
  if (*layers[winner].file != ctx.file())
    ctx.note_origin(join_path(path, key), *layers[winner].file);
  if (below.size() > 1) {
    std::vector<MapLayer> maps;
    for (auto i = below.rbegin(); i != below.rend(); ++i)
      maps.push_back({find_entry(layers[*i].map, key)->second, layers[*i].file});
    merge_maps(maps, join_path(path, key), ctx);
  }
  return *find_entry(layers[winner].map, key);
}

// Merges `layers` (lowest priority first) into the last one's mapping, keeping its node (and
// so its line and column) and rebuilding its keys in first-appearance order.
void merge_maps(const std::vector<MapLayer>& layers, const std::string& path, InputContext& ctx) {
  const auto order = keys_in_order(layers, path);
  std::vector<std::pair<YAML::Node, YAML::Node>> merged;
  for (const auto& key : order) merged.push_back(merge_entry(layers, key, path, ctx));
  YAML::Node target = layers.back().map;
  for (const auto& key : order) target.remove(key);
  for (const auto& [key, value] : merged) target.force_insert(key, value);
}

// The walk down the include lists: the chain of files being read (for cycles and depth), the
// layers in merge order (an include's own includes before it), the bytes in reading order.
struct IncludeWalk {
  const ParseYaml& parse;
  std::vector<std::string> chain;
  std::vector<fs::path> chain_ids;
  std::deque<InputContext> contexts;  // of the included files, for their messages
  std::vector<IncludeLayer> layers;
  std::vector<std::string> bytes;
};

std::string read_include(const InputContext& ctx, const YAML::Node& item, const fs::path& file) {
  std::string reason;
  std::error_code ec;
  if (!fs::exists(file, ec))
    reason = "no such file; an include is found relative to the file that names it";
  else if (fs::is_directory(file, ec))
    reason = "it is a directory";
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (reason.empty() && !in) reason = errno != 0 ? std::strerror(errno) : "cannot open it";
  std::stringstream buffer;
  if (reason.empty() && !(buffer << in.rdbuf()) && in.bad()) reason = "read error";
  if (!reason.empty())
    ctx.fail(item, "include", fmt::format("cannot read '{}' ({})", file.string(), reason));
  return buffer.str();
}

// The parsed fragment: a mapping, or an empty one for a file with nothing in it.
YAML::Node parse_fragment(const IncludeWalk& walk, const std::string& text,
                          const std::string& file) {
  bool empty = false;
  try {
    const YAML::Node probe = YAML::Load(text);
    empty = !probe.IsDefined() || probe.IsNull();
  } catch (const YAML::Exception&) {
    return walk.parse(text, file);  // the scenario parser locates the error
  }
  if (empty) return YAML::Node(YAML::NodeType::Map);
  YAML::Node root = walk.parse(text, file);
  if (!root.IsMap())
    throw InputError(mark_in(root, file), "",
                     "expected a mapping of scenario keys at the top of an included file");
  return root;
}

std::string chain_text(const std::vector<std::string>& chain, const std::string& last) {
  std::string out;
  for (const auto& f : chain) out += f + " -> ";
  return out + last;
}

void walk_includes(IncludeWalk& walk, YAML::Node root, const InputContext& ctx);

void include_one(IncludeWalk& walk, const InputContext& ctx, const YAML::Node& item,
                 std::size_t index) {
  const fs::path name = read_string(ctx, item, fmt::format("include[{}]", index));
  const fs::path file =
      (name.is_absolute() ? name : fs::path(ctx.file()).parent_path() / name).lexically_normal();
  std::error_code ec;
  const fs::path id = fs::weakly_canonical(file, ec);
  if (std::find(walk.chain_ids.begin(), walk.chain_ids.end(), id) != walk.chain_ids.end())
    ctx.fail(item, "include",
             fmt::format("cycle of includes: {}", chain_text(walk.chain, file.string())));
  if (walk.chain.size() > static_cast<std::size_t>(kMaxIncludeDepth))
    ctx.fail(item, "include",
             fmt::format("includes nest deeper than {} levels: {}", kMaxIncludeDepth,
                         chain_text(walk.chain, file.string())));
  walk.bytes.push_back(read_include(ctx, item, file));
  YAML::Node fragment = parse_fragment(walk, walk.bytes.back(), file.string());
  walk.contexts.emplace_back(file.string());
  walk.chain.push_back(file.string());
  walk.chain_ids.push_back(id);
  walk_includes(walk, fragment, walk.contexts.back());
  walk.chain.pop_back();
  walk.chain_ids.pop_back();
}

void walk_includes(IncludeWalk& walk, YAML::Node root, const InputContext& ctx) {
  const YAML::Node& const_root = root;
  if (const YAML::Node list = const_root["include"]; list.IsDefined() && !list.IsNull()) {
    if (!list.IsSequence())
      ctx.fail(list, "include", "expected a list of scenario files to include");
    for (std::size_t i = 0; i < list.size(); ++i) include_one(walk, ctx, list[i], i);
    root.remove("include");
  } else if (list.IsDefined()) {
    root.remove("include");
  }
  walk.layers.push_back({root, ctx.file()});
}

}  // namespace

void merge_layers(const std::vector<IncludeLayer>& layers, InputContext& ctx) {
  std::vector<MapLayer> maps;
  for (const auto& layer : layers) maps.push_back({layer.root, &layer.file});
  if (maps.size() > 1) merge_maps(maps, "", ctx);
}

std::vector<std::string> apply_includes(YAML::Node root, InputContext& ctx,
                                        const ParseYaml& parse) {
  const YAML::Node& const_root = root;
  if (!const_root["include"].IsDefined()) return {};
  IncludeWalk walk{parse, {ctx.file()}, {}, {}, {}, {}};
  std::error_code ec;
  walk.chain_ids.push_back(fs::weakly_canonical(ctx.file(), ec));
  walk_includes(walk, root, ctx);
  merge_layers(walk.layers, ctx);
  return walk.bytes;
}

}  // namespace dlsim::scenario
