// Helm values files read and layered the way Helm layers `-f a.yaml -f b.yaml`: later files
// win, mappings merge key by key, lists and scalars replace, a null deletes the key
// (helm.sh/docs: "Values Files"; Helm's chartutil coalesce). Every merged value keeps the
// file and line it came from, so that messages point at FILE:LINE:COL of the file that won.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

// One merged value: a mapping (children) or a scalar or list as written in its file.
struct HelmValue {
  YAML::Node node;
  YAML::Node key;  // the key as written (its mark); undefined for the root
  std::size_t file = 0;
  std::map<std::string, HelmValue> children;  // only for mappings
};

// A warning about the input, `FILE:LINE:COL: warning: key.path: message`.
std::string format_warning(const SourceLocation& where, const std::string& path,
                           const std::string& message);

// The layered values of one Helm release.
class HelmValues {
 public:
  // Reads and merges `files` in order; warnings (duplicate keys) are appended to `warnings`.
  HelmValues(const std::vector<std::string>& files, std::vector<std::string>& warnings);

  const HelmValue& root() const { return root_; }
  const InputContext& context(const HelmValue& v) const { return contexts_[v.file]; }
  const std::vector<std::string>& files() const { return files_; }
  SourceLocation locate(const HelmValue& v, const std::string& path) const {
    return context(v).locate(v.node, path);
  }
  SourceLocation locate_key(const HelmValue& v, const std::string& path) const {
    return context(v).locate(v.key, path);
  }

 private:
  std::vector<std::string> files_;
  std::deque<InputContext> contexts_;
  HelmValue root_;
};

// Reads one mapping of merged values: the keys asked for, then finish() warns about every
// other key that is not in `ignored` (keys the chart has and dlsim does not use).
class HelmMap {
 public:
  HelmMap(const HelmValues& values, const HelmValue& map, std::string path,
          std::vector<std::string>& warnings);

  // The child, or nullptr when it is absent (the key counts as known either way).
  const HelmValue* get(const std::string& key);
  void ignore(const std::vector<std::string>& keys);
  // Warns `unknown key 'x' (did you mean 'y'?); ignored` for the keys nobody asked for.
  void finish(const std::string& what);
  std::string child_path(const std::string& key) const { return join_path(path_, key); }

 private:
  const HelmValues& values_;
  const HelmValue& map_;
  std::string path_;
  std::vector<std::string>& warnings_;
  std::vector<std::string> known_;
};

// Helm's template truthiness (`{{ if .x }}`): false for absent, null, false, 0, "" and an
// empty mapping or list.
bool helm_truthy(const HelmValue* v);

}  // namespace dlsim::scenario
