// The docs check of the field tables (scenario/field_table.hpp): every key a table declares
// must be documented under the heading the table names. A key's path is written relative to
// the nearest table with a heading (`reserved.cpu` for a node pool); it counts as documented
// when, in that heading's section (down to the next heading of the same or a higher level,
// code blocks left out), a `backticked` name
//   1. is the path or ends with `.path` (`cluster.node_pools`, `sites.<site>.uplink`), or
//   2. starts with `path.` or holds `.path.` (`reserved.cpu` documents `reserved`), or
//   3. is the path's last key, on a table row whose first cell documents its parent by 1 (the
//      `work` row naming `statements`).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "scenario/field_table.hpp"

namespace dlsim::test {

struct KeyPath {
  std::string path;      // from the root, `<name>` for a map entry, `[]` for a list item
  std::string heading;   // the section that documents it
  std::string relative;  // its path from that section's table
};

template <class V>
constexpr bool is_map_v = false;
template <class K, class V>
constexpr bool is_map_v<std::map<K, V>> = true;

// Every key path of a table and its sub-tables, in table order.
class KeyWalker {
 public:
  template <class T, class... Fields>
  static std::vector<KeyPath> paths(const scenario::fields::Table<T, Fields...>& table) {
    KeyWalker walker;
    walker.walk(table, "", "", "");
    return std::move(walker.out_);
  }

 private:
  std::vector<KeyPath> out_;

  static std::string join(const std::string& a, std::string_view b) {
    return a.empty() ? std::string(b) : a + "." + std::string(b);
  }
  template <class T, class... Fields>
  void walk(const scenario::fields::Table<T, Fields...>& table, const std::string& path,
            std::string heading, std::string relative) {
    if (!table.doc.empty()) {
      heading = std::string(table.doc);
      relative.clear();
    }
    scenario::fields::for_each_field(table,
                                     [&](const auto& f) { visit<T>(f, path, heading, relative); });
  }
  void add(std::string_view key, const std::string& path, const std::string& heading,
           const std::string& relative) {
    out_.push_back({join(path, key), heading, join(relative, key)});
  }

  template <class T, class F>
  void visit(const F& f, const std::string& path, const std::string& heading,
             const std::string& relative) {
    using namespace scenario::fields;
    if constexpr (requires { f.table; }) {
      if constexpr (requires { f.key; }) {
        add(f.key, path, heading, relative);
        std::string sub = join(path, f.key);
        if constexpr (requires { f.item_style; }) {
          using Items = std::decay_t<decltype(std::invoke(f.get, std::declval<const T&>()))>;
          sub += is_map_v<Items> ? ".<name>" : "[]";
        }
        walk(f.table, sub, heading, join(relative, f.key));
      } else {
        walk(f.table, path, heading, relative);  // Inline: the keys of a member, in place
      }
    } else {
      add(f.key, path, heading, relative);  // Scalar, List
    }
  }
};

// A Markdown page split into sections by heading text (without the #s).
class MarkdownSections {
 public:
  explicit MarkdownSections(const std::string& text);
  // Empty when the page has no such heading.
  const std::vector<std::string>& lines(const std::string& heading) const;

 private:
  std::map<std::string, std::vector<std::string>> sections_;
};

// The keys of `paths` not documented in `page` (as the header says), as "path (under
// "heading")", each once, in table order.
std::vector<std::string> undocumented(const std::vector<KeyPath>& paths,
                                      const MarkdownSections& page);

}  // namespace dlsim::test
