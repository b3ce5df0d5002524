#include "scenario/loader.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "scenario/helm_import.hpp"
#include "scenario/include.hpp"
#include "scenario/loader_fts.hpp"
#include "scenario/loader_k8s.hpp"
#include "scenario/loader_rucio.hpp"
#include "scenario/loader_sites.hpp"
#include "scenario/loader_sizing.hpp"
#include "scenario/loader_workload.hpp"
#include "scenario/validate.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {
namespace {

// The first byte that is not valid UTF-8, as a 1-based (line, column), or nullopt.
std::optional<std::pair<int, int>> first_invalid_utf8(const std::string& text) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > text.size()) return std::make_pair(line, column);
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return std::make_pair(line, column);
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return std::nullopt;
}

struct Opener {
  int line;
  int column;
  char bracket;
};

// The innermost '{' or '[' still open at byte `end`, skipping quoted strings and comments.
std::optional<Opener> unclosed_flow_opener(const std::string& text, std::size_t end) {
  std::vector<Opener> open;
  int line = 1, column = 1;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size() && i < end; ++i) {
    char c = text[i];
    if (c == '\n') {
      comment = false;
      ++line;
      column = 1;
      continue;
    }
    if (!comment) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        comment = true;
      } else if (c == '{' || c == '[') {
        open.push_back({line, column, c});
      } else if ((c == '}' || c == ']') && !open.empty()) {
        open.pop_back();
      }
    }
    ++column;
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  if (auto bad = first_invalid_utf8(text))
    throw InputError({file, bad->first, bad->second}, "",
                     "the file is not valid UTF-8 (scenario files are UTF-8 text)");
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull())
      throw InputError({file, 1, 1}, "",
                       "the file is empty (expected a scenario: name, duration, cluster, rucio, "
                       "rses, workload)");
    return root;
  } catch (const YAML::ParserException& e) {
    // yaml-cpp reports an unclosed flow collection where it gave up; point at the opener.
    if (e.msg.find("flow not found") != std::string::npos)
      if (auto opener = unclosed_flow_opener(text, e.mark.pos))
        throw InputError(
            {file, opener->line, opener->column}, "",
            fmt::format("invalid YAML: this '{}' is never closed ({})", opener->bracket, e.msg));
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("invalid YAML: {}", e.msg));
  }
}

// Applies one --set to the document, creating missing mappings on the way. A component
// may address a list item as name[i] (as messages print it).
void apply_override(YAML::Node root, const Override& o, InputContext& ctx) {
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty())
      throw InputError({"--set", o.index, 1}, "",
                       fmt::format("'{}' is not a key path (expected a.b.c=value)", o.path));
    parts.push_back(part);
  }
  YAML::Node node = root;
  std::string path;
  int column = 1;  // of the current component in the --set argument
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string key = parts[i];
    std::optional<std::size_t> index;
    if (auto bracket = key.find('['); bracket != std::string::npos && key.back() == ']') {
      try {
        index = std::stoul(key.substr(bracket + 1, key.size() - bracket - 2));
      } catch (const std::exception&) {
        throw InputError({"--set", o.index, column}, join_path(path, key),
                         "expected a list index like rules[0]");
      }
      key.resize(bracket);
    }
    path = join_path(path, parts[i]);
    if (!node.IsMap())
      throw InputError({"--set", o.index, column}, path,
                       node.IsSequence()
                           ? fmt::format("--set cannot descend here: '{}' is a list (address an "
                                         "item as {}[0])",
                                         parts[i - 1], parts[i - 1])
                           : std::string("--set cannot descend here: the value above it is not "
                                         "a mapping"));
    bool existed = static_cast<bool>(node[key]);
    if (index) {
      if (!existed || !node[key].IsSequence() || *index >= node[key].size())
        throw InputError({"--set", o.index, column}, path, "no such list item in the scenario");
    }
    if (i + 1 == parts.size()) {
      YAML::Node value;
      try {
        value = YAML::Load(o.value);
      } catch (const YAML::Exception&) {
        value = YAML::Node(o.value);
      }
      if (!value.IsDefined() || value.IsNull()) value = YAML::Node(o.value);
      if (!value.IsScalar())
        throw InputError({"--set", o.index, static_cast<int>(o.path.size()) + 2}, path,
                         "--set takes one value; set the keys of a mapping or list one by one");
      if (index) {
        node[key][*index] = value;
      } else {
        node[key] = value;
      }
      ctx.note_override(path, o, !existed);
    } else {
      if (!existed) {
        node[key] = YAML::Node(YAML::NodeType::Map);
        ctx.note_override(path, o, true);
      }
      YAML::Node next = node[key];
      node.reset(index ? YAML::Node(next[*index]) : next);
    }
    column += static_cast<int>(parts[i].size()) + 1;
  }
}

Override parse_set_arg(const std::string& arg, int index) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError({"--set", index, 1}, "",
                     fmt::format("'{}' is not of the form key.path=value", arg));
  return Override{arg.substr(0, eq), arg.substr(eq + 1), index};
}

Scenario parse_document(const YAML::Node& root, const InputContext& ctx) {
  Scenario s;
  s.file = ctx.file();
  MapReader m(ctx, root, "");
  m.required("name", s.name, read_string);
  m.field("description", s.description, read_string);
  m.field("seed", s.seed, [](const auto& c, const auto& n, const auto& p) {
    return static_cast<std::uint64_t>(
        read_integer(c, n, p, 0, std::numeric_limits<std::int64_t>::max()));
  });
  m.required("duration", s.duration_s, read_duration_s);
  m.field("sample_interval", s.sample_interval_s, read_duration_s);
  parse_cluster(ctx, m.require("cluster"), s.cluster);
  if (auto n = m.get("database")) parse_database(ctx, *n, s.database);
  if (auto n = m.get("rucio")) parse_rucio(ctx, *n, s.rucio);
  if (auto n = m.get("network")) parse_network(ctx, *n, s.network);
  if (auto n = m.get("rses")) parse_rses(ctx, *n, s.rses);
  if (auto n = m.get("transfers")) parse_transfers(ctx, *n, s.transfers);
  if (auto n = m.get("workload")) parse_workload(ctx, *n, s.workload);
  if (auto n = m.get("batch")) parse_batch(ctx, *n, s.batch);
  if (auto n = m.get("sizing")) parse_sizing(ctx, *n, s.sizing);
  m.finish();
  return s;
}

}  // namespace

LoadedScenario load_scenario_text(const std::string& text, const std::string& file,
                                  const std::vector<std::string>& set_args) {
  InputContext ctx(file);
  YAML::Node root = parse_yaml(text, file);
  if (!root.IsMap())
    throw InputError({file, 1, 1}, "", "expected a mapping at the top of the file");
  std::string source_text = text;  // and each included file's bytes, in reading order
  for (const auto& bytes : apply_includes(root, ctx, parse_yaml)) source_text += bytes;
  apply_helm_values(root, ctx);  // rucio.helm_values, before the --set overrides
  for (std::size_t i = 0; i < set_args.size(); ++i)
    apply_override(root, parse_set_arg(set_args[i], static_cast<int>(i) + 1), ctx);
  LoadedScenario out{parse_document(root, ctx), std::move(source_text)};
  validate_scenario(out.scenario, root, ctx);
  return out;
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& set_args) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "", "cannot open the scenario file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_scenario_text(buffer.str(), path, set_args);
}

}  // namespace dlsim::scenario
