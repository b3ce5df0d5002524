#include "documented_keys.hpp"

#include <sstream>

namespace dlsim::test {
namespace {

int heading_level(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  return n > 0 && n < line.size() && line[n] == ' ' ? static_cast<int>(n) : 0;
}

// The `backticked` names of one line.
std::vector<std::string> tokens(std::string_view line) {
  std::vector<std::string> out;
  for (std::size_t open = line.find('`'); open != std::string_view::npos;) {
    const std::size_t close = line.find('`', open + 1);
    if (close == std::string_view::npos) break;
    out.emplace_back(line.substr(open + 1, close - open - 1));
    open = line.find('`', close + 1);
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Rule 1 of documented_keys.hpp: the name is the path or ends with ".path".
bool names(std::string_view token, const std::string& path) {
  return token == path || ends_with(token, "." + path);
}
// Rule 2: the name is a key below the path.
bool names_child(std::string_view token, const std::string& path) {
  return token.starts_with(path + ".") || token.find("." + path + ".") != std::string_view::npos;
}
// Rule 3: a table row whose first cell names the parent and whose text names the last key.
bool row_names(const std::string& line, const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || !line.starts_with("|")) return false;
  const std::size_t cell_end = line.find('|', 1);
  const std::string parent = path.substr(0, dot);
  bool parent_named = false;
  for (const auto& t : tokens(std::string_view(line).substr(0, cell_end)))
    parent_named = parent_named || names(t, parent);
  if (!parent_named) return false;
  for (const auto& t : tokens(line))
    if (t == path.substr(dot + 1)) return true;
  return false;
}

bool documented(const std::vector<std::string>& section, const std::string& path) {
  for (const auto& line : section) {
    for (const auto& t : tokens(line))
      if (names(t, path) || names_child(t, path)) return true;
    if (row_names(line, path)) return true;
  }
  return false;
}

}  // namespace

MarkdownSections::MarkdownSections(const std::string& text) {
  std::vector<std::pair<std::string, int>> open;  // headings whose sections are being read
  std::istringstream in(text);
  bool in_code = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```")) {
      in_code = !in_code;
      continue;
    }
    if (in_code) continue;
    if (const int level = heading_level(line)) {
      while (!open.empty() && open.back().second >= level) open.pop_back();
      open.emplace_back(line.substr(static_cast<std::size_t>(level) + 1), level);
      sections_[open.back().first];
      continue;
    }
    for (const auto& [heading, _] : open) sections_[heading].push_back(line);
  }
}

const std::vector<std::string>& MarkdownSections::lines(const std::string& heading) const {
  static const std::vector<std::string> none;
  const auto it = sections_.find(heading);
  return it == sections_.end() ? none : it->second;
}

std::vector<std::string> undocumented(const std::vector<KeyPath>& paths,
                                      const MarkdownSections& page) {
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const auto& k : paths) {
    if (!seen.insert(k.path).second) continue;
    if (!documented(page.lines(k.heading), k.relative))
      missing.push_back(k.path + " (under \"" + k.heading + "\")");
  }
  return missing;
}

}  // namespace dlsim::test
