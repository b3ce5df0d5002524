// Field tables: one declaration per struct of the keys an output writes for it, in order, with
// how each value is read and formatted. The resolved-scenario writer (scenario/writer.cpp) and
// summary.json (app/output_summary.cpp) are visitors over these tables, and the docs test
// (tests/docs/test_documented_keys.cpp) walks the same tables to check that every key is
// documented. A table is a std::tuple of the field kinds below, so a visitor is plain overload
// resolution: no macros, no reflection, no run-time registry.
//
// A getter is anything std::invoke can call with the struct: a data member pointer
// (&NodePoolSpec::count) or a captureless lambda for a computed value (an enum's name). A
// getter that returns std::optional<V> marks a value that may be absent: the YAML writer leaves
// the key out, summary.json writes null. `when` (set by .only_when) is a predicate on the struct:
// false leaves the key out in every output (the resolved scenario's conditional blocks).
#pragma once

#include <string_view>
#include <tuple>
#include <utility>

namespace dlsim::scenario::fields {

// How a number is written in the resolved scenario (scenario/writer.cpp): plain (shortest
// form that reads back exactly), bytes (a plain integer), seconds ("30s", plain decimal),
// bandwidth ("1.25e+09B/s"), percent ("80%"), quoted (a string in double quotes), flag (a
// number written as true/false). summary.json writes every number as JSON.
enum class Format { plain, bytes, seconds, bandwidth, percent, quoted, flag };
// A YAML mapping or sequence written in block style (one key per line) or flow ({a: 1}).
enum class Style { block, flow };

struct Always {
  constexpr bool operator()(const auto&) const { return true; }
};

// The keys of struct T, documented under the heading `doc` of docs/scenario.md or
// docs/outputs.md (empty: under its parent's heading, with its key path from there).
template <class T, class... Fields>
struct Table {
  using Struct = T;
  std::string_view doc;
  std::tuple<Fields...> fields;
};
template <class T, class... Fields>
constexpr Table<T, Fields...> table(std::string_view doc, Fields... f) {
  return {doc, std::tuple<Fields...>{f...}};
}

// The field kinds. Each but Inline has `when`, set by .only_when(predicate) on a builder below.
template <class Get, class When = Always>
struct Scalar {  // key: value
  std::string_view key;
  Get get;
  Format format = Format::plain;
  When when{};
  template <class W>
  constexpr Scalar<Get, W> only_when(W w) const {
    return {key, get, format, w};
  }
};
template <class Get, class Sub, class When = Always>
struct Nested {  // key: mapping of a member struct (or of an optional one: absent, no key)
  std::string_view key;
  Get get;
  Sub table;
  Style style = Style::block;
  When when{};
  template <class W>
  constexpr Nested<Get, Sub, W> only_when(W w) const {
    return {key, get, table, style, w};
  }
};
template <class Sub, class When = Always>
struct Group {  // key: mapping of more keys of the same struct
  std::string_view key;
  Sub table;
  When when{};
  template <class W>
  constexpr Group<Sub, W> only_when(W w) const {
    return {key, table, w};
  }
};
template <class Get, class Sub>
struct Inline {  // the keys of a member struct written into this struct's own mapping
  Get get;
  Sub table;
};
template <class Get, class Sub, class When = Always>
struct Each {  // key: a std::map name → struct (a mapping) or a std::vector (a sequence)
  std::string_view key;
  Get get;
  Sub table;
  Style item_style = Style::block;
  When when{};
  template <class W>
  constexpr Each<Get, Sub, W> only_when(W w) const {
    return {key, get, table, item_style, w};
  }
};
// One value of a collection whose keys come from elsewhere (a daemon kind's options).
struct KeyedValue {
  std::string_view key;
  double value = 0;
  Format format = Format::plain;
};
template <class Get, class When = Always>
struct List {  // key: a std::vector of scalars (a sequence), a std::map or KeyedValues (a mapping)
  std::string_view key;
  Get get;
  Format format = Format::plain;
  Style style = Style::block;
  When when{};
  template <class W>
  constexpr List<Get, W> only_when(W w) const {
    return {key, get, format, style, w};
  }
};

template <class Get>
constexpr Scalar<Get> field(std::string_view key, Get get, Format format = Format::plain) {
  return {key, get, format};
}
template <class Get, class Sub>
constexpr Nested<Get, Sub> nested(std::string_view key, Get get, Sub sub,
                                  Style style = Style::block) {
  return {key, get, sub, style};
}
template <class Sub>
constexpr Group<Sub> group(std::string_view key, Sub sub) {
  return {key, sub};
}
template <class Get, class Sub>
constexpr Inline<Get, Sub> inlined(Get get, Sub sub) {
  return {get, sub};
}
template <class Get, class Sub>
constexpr Each<Get, Sub> each(std::string_view key, Get get, Sub sub,
                              Style item_style = Style::block) {
  return {key, get, sub, item_style};
}
template <class Get>
constexpr List<Get> list(std::string_view key, Get get, Format format = Format::plain,
                         Style style = Style::block) {
  return {key, get, format, style};
}

// Calls visit(field) for every field of `t`, in order.
template <class T, class... Fields, class Visit>
constexpr void for_each_field(const Table<T, Fields...>& t, Visit&& visit) {
  std::apply([&](const auto&... f) { (visit(f), ...); }, t.fields);
}

}  // namespace dlsim::scenario::fields
