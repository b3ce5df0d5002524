// Reading YAML into typed structs with exact locations: every value is read through a
// MapReader that knows its key path, reports `FILE:LINE:COL: error: key.path: …`, and at the
// end rejects keys nobody asked for, with "did you mean" suggestions (docs/design.md §4).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/diagnostics.hpp"

namespace dlsim::scenario {

// One `--set key.path=value` from the command line.
struct Override {
  std::string path;
  std::string value;
  int index = 0;  // 1-based position among the --set options, used as the "line" of errors
};

// Where the document came from, and which of its nodes were written by overrides.
class InputContext {
 public:
  explicit InputContext(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  // Location of a node at `path`: the --set that wrote it, else its mark in the file.
  SourceLocation locate(const YAML::Node& node, const std::string& path) const;
  // Like locate(), for an error about the key itself (a --set points at the key, not the value).
  SourceLocation locate_key(const YAML::Node& key, const std::string& path) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                         const std::string& message) const;
  [[noreturn]] void fail_key(const YAML::Node& key, const std::string& path,
                             const std::string& message) const;

  void note_override(const std::string& path, const Override& o, bool created);
  // True if the node at `path` did not exist in the file and an override created it.
  bool created_by_override(const std::string& path) const;
  const Override* override_at(const std::string& path) const;
  // A node written from another file (`rucio.helm_values`): where its value came from.
  void note_import(const std::string& path, const SourceLocation& where) { imports_[path] = where; }
  // The node at `path` and everything below it (unless noted otherwise) was read from `file`
  // (`include`): its own marks are lines and columns of that file.
  void note_origin(const std::string& path, const std::string& file) { origins_[path] = file; }
  // The file the node at `path` was read from: the innermost noted origin, else file().
  const std::string& origin_file(const std::string& path) const;

 private:
  std::string file_;
  std::map<std::string, Override> overrides_;  // by full path of the node written
  std::set<std::string> created_;
  std::map<std::string, SourceLocation> imports_;  // by full path of the node written
  std::map<std::string, std::string> origins_;     // by full path of the node read
};

// The path one level up: `a.b` of `a.b.c` and `a.b[2]`; empty at the top.
std::string parent_path(const std::string& path);

std::string join_path(const std::string& parent, const std::string& key);

// Typed scalar readers; each fails with a located message.
std::string read_string(const InputContext& ctx, const YAML::Node& n, const std::string& path);
double read_number(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                   double min, double max);
std::int64_t read_integer(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                          std::int64_t min, std::int64_t max);
bool read_bool(const InputContext& ctx, const YAML::Node& n, const std::string& path);
// Quantities are bounded to catch absurd input (1e30) before it reaches the engine.
inline constexpr double kMaxCpuCores = 1024;
inline constexpr double kMaxBytes = 1e18;  // 1000 PB
inline constexpr double kMaxDuration_s = 366 * 86400.0;
double read_cpu_cores(const InputContext& ctx, const YAML::Node& n, const std::string& path);
double read_bytes(const InputContext& ctx, const YAML::Node& n, const std::string& path);
double read_bandwidth_Bps(const InputContext& ctx, const YAML::Node& n, const std::string& path);
double read_duration_s(const InputContext& ctx, const YAML::Node& n, const std::string& path);
std::string read_enum(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                      const std::vector<std::string>& allowed);

// A mapping being read field by field. Call finish() after the last field.
class MapReader {
 public:
  MapReader(const InputContext& ctx, YAML::Node node, std::string path);

  const InputContext& context() const { return ctx_; }
  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  std::string child_path(const std::string& key) const { return join_path(path_, key); }

  // The child node if present (and not null); marks the key as known either way.
  std::optional<YAML::Node> get(const std::string& key);
  // The child node; fails with "missing required key" if absent.
  YAML::Node require(const std::string& key);

  // Convenience: read an optional field with a reader, leaving `out` at its default if absent.
  template <typename T, typename Read>
  void field(const std::string& key, T& out, Read read) {
    if (auto n = get(key)) out = read(ctx_, *n, child_path(key));
  }
  template <typename T, typename Read>
  void field(const std::string& key, std::optional<T>& out, Read read) {
    if (auto n = get(key)) out = read(ctx_, *n, child_path(key));
  }
  template <typename T, typename Read>
  void required(const std::string& key, T& out, Read read) {
    out = read(ctx_, require(key), child_path(key));
  }

  // Rejects keys that no get()/require() asked for.
  void finish();
  [[noreturn]] void fail(const std::string& message) const { ctx_.fail(node_, path_, message); }

 private:
  const InputContext& ctx_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> known_;
};

// Iterates a mapping keyed by user-chosen names (services, RSEs, node pools), checking that
// names are unique and that no entry was invented by a --set.
void for_each_named(
    const InputContext& ctx, const YAML::Node& node, const std::string& path,
    const std::string& what,
    const std::function<void(const std::string& name, const YAML::Node& value,
                             const std::string& entry_path, const YAML::Node& key)>& visit);

}  // namespace dlsim::scenario
