// `include: [a.yaml, b.yaml]` at the top of a scenario: each included file is a scenario
// fragment, merged under the scenario before any section is read (docs/scenario.md#include).
// Mappings merge key by key, a later include wins over an earlier one, lists and scalars
// replace, and the including file's own keys win over all its includes. Includes may include
// (depth-first; a cycle is an error naming the chain). Every merged value keeps the file it
// came from (InputContext::note_origin), so that messages point at FILE:LINE:COL of the file
// whose value won.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

// How deep includes may nest: the scenario's includes are level 1, theirs level 2, ...
inline constexpr int kMaxIncludeDepth = 8;

// Parses one file's text into YAML, with located errors (the scenario loader's parser).
using ParseYaml = std::function<YAML::Node(const std::string& text, const std::string& file)>;

// One document of the merge: its top-level mapping and the file it was read from.
struct IncludeLayer {
  YAML::Node root;
  std::string file;
};

// Merges `layers` (lowest priority first; the last is the including scenario, whose file is
// ctx.file()) into the last layer's mapping, in place. Keys keep the order in which they first
// appear; every key whose value won from another file is noted in `ctx` as coming from it.
void merge_layers(const std::vector<IncludeLayer>& layers, InputContext& ctx);

// Reads the `include` list of `root` (the scenario ctx.file()), recursively, removes the
// `include` keys and merges the included files under `root`. Returns the bytes of each file
// read, in reading order (depth-first, an include before the files it includes).
std::vector<std::string> apply_includes(YAML::Node root, InputContext& ctx, const ParseYaml& parse);

}  // namespace dlsim::scenario
