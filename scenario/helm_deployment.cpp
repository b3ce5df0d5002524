// The imported deployment as a scenario fragment, and merged into a scenario's `rucio`.
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/core.h>

#include "scenario/helm_import.hpp"

namespace dlsim::scenario {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  return parts;
}

// Keys in insertion order, for a stable, readable fragment. A child is a named struct, not
// std::pair<std::string, Tree>: clang rejects that pair inside Tree (with libstdc++, the pair's
// conditionally explicit constructor asks whether Tree is default-constructible while Tree's
// own member type is being completed).
struct Branch;
struct Tree {
  std::vector<Branch> children;
  std::string value;
  Tree& child(const std::string& key);
};
struct Branch {
  std::string key;
  Tree tree;
};

Tree& Tree::child(const std::string& key) {
  for (auto& [k, t] : children)
    if (k == key) return t;
  children.push_back({key, Tree{}});
  return children.back().tree;
}

// `{a: 1, b: {c: 2}}`, as scenarios write resources and options.
std::string flow(const Tree& t) {
  if (t.children.empty()) return t.value;
  std::string out;
  for (const auto& [key, child] : t.children)
    out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", key, flow(child));
  return "{" + out + "}";
}

void print_tree(std::string& out, const Tree& t, int indent) {
  for (const auto& [key, child] : t.children) {
    if (child.children.empty() || key == "resources" || key == "options") {
      out += fmt::format("{:{}}{}: {}\n", "", indent, key, flow(child));
    } else {
      out += fmt::format("{:{}}{}:\n", "", indent, key);
      print_tree(out, child, indent + 2);
    }
  }
}

std::vector<std::string> read_file_list(const YAML::Node& n, const std::string& path,
                                        const InputContext& ctx) {
  if (!n.IsSequence()) ctx.fail(n, path, "expected a list of Helm values files");
  // Relative to the file that names them: the scenario, or the include it came from.
  const auto dir = std::filesystem::path(ctx.origin_file(path)).parent_path();
  std::vector<std::string> files;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    const std::filesystem::path name = read_string(ctx, n[i], item_path);
    const auto resolved = (name.is_absolute() ? name : dir / name).lexically_normal();
    if (!std::filesystem::is_regular_file(resolved))
      ctx.fail(n[i], item_path,
               fmt::format("no such file '{}' (a values file is found relative to the "
                           "scenario file)",
                           resolved.string()));
    files.push_back(resolved.string());
  }
  return files;
}

}  // namespace

std::string deployment_yaml(const Deployment& d) {
  std::string out = "# Written by dlsim import-helm from the Helm values of\n";
  for (const auto& s : d.sources) out += "#   " + s + "\n";
  out +=
      "# (docs/scenario.md#helm-values). Paste it into a scenario, or name the values files\n"
      "# in the scenario's rucio.helm_values.\n";
  Tree root;
  Tree& rucio = root.child("rucio");
  rucio.child("servers");
  rucio.child("daemons");
  for (const auto& e : d.entries) {
    Tree* t = &rucio;
    for (const auto& part : split_path(e.path)) t = &t->child(part);
    t->value = e.value;
  }
  for (auto& [key, t] : rucio.children)
    if (t.children.empty()) t.value = "{}";
  print_tree(out, root, 0);
  return out;
}

void merge_deployment(YAML::Node rucio, const Deployment& d, InputContext& ctx) {
  for (const auto& e : d.entries) {
    const auto parts = split_path(e.path);
    YAML::Node node = rucio;
    std::string path = "rucio";
    bool scenario_wins = false;
    for (std::size_t i = 0; i + 1 < parts.size() && !scenario_wins; ++i) {
      path += "." + parts[i];
      if (!node[parts[i]] || node[parts[i]].IsNull()) {
        node[parts[i]] = YAML::Node(YAML::NodeType::Map);
        ctx.note_import(path, e.where);
      }
      scenario_wins = !node[parts[i]].IsMap();  // the scenario's scalar replaces the mapping
      YAML::Node next = node[parts[i]];
      node.reset(next);
    }
    const std::string& leaf = parts.back();
    if (scenario_wins || (node[leaf] && !node[leaf].IsNull())) continue;
    node[leaf] = YAML::Node(e.value);
    ctx.note_import(path + "." + leaf, e.where);
  }
}

void apply_helm_values(YAML::Node root, InputContext& ctx) {
  if (!root.IsMap() || !root["rucio"] || !root["rucio"].IsMap()) return;
  YAML::Node rucio = root["rucio"];
  if (!rucio["helm_values"]) return;
  HelmReleases releases;
  if (!rucio["helm_values"].IsMap())
    ctx.fail(rucio["helm_values"], "rucio.helm_values",
             "expected a mapping of releases (daemons, server, server-auth, ui) to lists of "
             "values files");
  MapReader m(ctx, rucio["helm_values"], "rucio.helm_values");
  auto list = [&](const std::string& key, std::vector<std::string>& out) {
    if (auto n = m.get(key)) out = read_file_list(*n, m.child_path(key), ctx);
  };
  list("daemons", releases.daemons);
  list("server", releases.server);
  list("server-auth", releases.server_auth);
  list("ui", releases.ui);
  m.finish();
  std::vector<std::string> warnings;
  const Deployment d = import_helm(releases, warnings);
  for (const auto& w : warnings) std::cerr << w << "\n";
  rucio.remove("helm_values");
  merge_deployment(rucio, d, ctx);
}

}  // namespace dlsim::scenario
