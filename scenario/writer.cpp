// scenario.resolved.yaml: the scenario written through its field table (scenario/fields.hpp),
// key by key in table order, each value in its table format (docs/outputs.md).
#include "scenario/writer.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <type_traits>

#include "scenario/fields.hpp"

namespace dlsim::scenario {
namespace {

// Plain units that load back exactly: bytes as integers, seconds with "s".
std::string bytes(double b) {
  return fmt::format("{}", b);
}
// Plain decimal notation (the duration syntax has no exponent), trailing zeros dropped.
std::string seconds(double s) {
  std::string text = fmt::format("{:.9f}", s);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "s";
}
std::string bandwidth(double Bps) {
  return fmt::format("{}B/s", Bps);
}

template <class V>
constexpr bool is_optional = false;
template <class V>
constexpr bool is_optional<std::optional<V>> = true;
template <class V>
constexpr bool is_map = false;
template <class K, class V>
constexpr bool is_map<std::map<K, V>> = true;

using namespace fields;

// Writes a struct's keys from its field table into the current YAML mapping.
class TableWriter {
 public:
  explicit TableWriter(YAML::Emitter& out) : out_(out) {}

  template <class T, class... Fields>
  void keys(const T& object, const Table<T, Fields...>& table) {
    for_each_field(table, [&](const auto& f) { write(object, f); });
  }

 private:
  template <class V>
  void value(const V& v, Format format) {
    if constexpr (std::is_same_v<V, bool>) {
      out_ << v;
    } else if constexpr (std::is_integral_v<V>) {
      out_ << v;
    } else if constexpr (std::is_floating_point_v<V>) {
      number(v, format);
    } else {
      if (format == Format::quoted) out_ << YAML::DoubleQuoted;
      out_ << std::string(std::string_view(v));
    }
  }
  void number(double v, Format format) {
    switch (format) {
      case Format::bytes:
        out_ << bytes(v);
        break;
      case Format::seconds:
        out_ << seconds(v);
        break;
      case Format::bandwidth:
        out_ << bandwidth(v);
        break;
      case Format::percent:
        out_ << fmt::format("{}%", v);
        break;
      case Format::flag:
        out_ << (v != 0);
        break;
      case Format::plain:
      case Format::quoted:
        out_ << fmt::format("{}", v);
        break;
    }
  }
  void key(std::string_view k) { out_ << YAML::Key << std::string(k) << YAML::Value; }
  void begin_map(Style style) {
    if (style == Style::flow) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
  }

  template <class T, class Get, class When>
  void write(const T& object, const Scalar<Get, When>& f) {
    if (!f.when(object)) return;
    const auto& v = std::invoke(f.get, object);
    if constexpr (is_optional<std::decay_t<decltype(v)>>) {
      if (!v) return;
      key(f.key);
      value(*v, f.format);
    } else {
      key(f.key);
      value(v, f.format);
    }
  }
  template <class T, class Get, class Sub, class When>
  void write(const T& object, const Nested<Get, Sub, When>& f) {
    if (!f.when(object)) return;
    const auto& sub = std::invoke(f.get, object);
    if constexpr (is_optional<std::decay_t<decltype(sub)>>) {
      if (!sub) return;
      mapping(f.key, *sub, f.table, f.style);
    } else {
      mapping(f.key, sub, f.table, f.style);
    }
  }
  template <class S, class Sub>
  void mapping(std::string_view k, const S& sub, const Sub& table, Style style) {
    key(k);
    begin_map(style);
    keys(sub, table);
    out_ << YAML::EndMap;
  }
  template <class T, class Sub, class When>
  void write(const T& object, const Group<Sub, When>& f) {
    if (f.when(object)) mapping(f.key, object, f.table, Style::block);
  }
  template <class T, class Get, class Sub>
  void write(const T& object, const Inline<Get, Sub>& f) {
    keys(std::invoke(f.get, object), f.table);
  }
  template <class T, class Get, class Sub, class When>
  void write(const T& object, const Each<Get, Sub, When>& f) {
    if (!f.when(object)) return;
    const auto& items = std::invoke(f.get, object);
    key(f.key);
    if constexpr (is_map<std::decay_t<decltype(items)>>) {
      out_ << YAML::BeginMap;
      for (const auto& [name, item] : items) mapping(name, item, f.table, f.item_style);
      out_ << YAML::EndMap;
    } else {
      out_ << YAML::BeginSeq;
      for (const auto& item : items) {
        begin_map(f.item_style);
        keys(item, f.table);
        out_ << YAML::EndMap;
      }
      out_ << YAML::EndSeq;
    }
  }
  template <class T, class Get, class When>
  void write(const T& object, const List<Get, When>& f) {
    if (!f.when(object)) return;
    const auto& items = std::invoke(f.get, object);
    using Items = std::decay_t<decltype(items)>;
    key(f.key);
    if (f.style == Style::flow) out_ << YAML::Flow;
    if constexpr (is_map<Items>) {
      out_ << YAML::BeginMap;
      for (const auto& [k, v] : items) {
        key(k);
        value(v, f.format);
      }
      out_ << YAML::EndMap;
    } else if constexpr (std::is_same_v<typename Items::value_type, KeyedValue>) {
      out_ << YAML::BeginMap;
      for (const auto& e : items) {
        key(e.key);
        value(e.value, e.format);
      }
      out_ << YAML::EndMap;
    } else {
      out_ << YAML::BeginSeq;
      for (const auto& v : items) value(v, f.format);
      out_ << YAML::EndSeq;
    }
  }

  YAML::Emitter& out_;
};

// The defaults that depend on another key, filled in so that the file says what was used: an
// injection's, a client population's and a deletion campaign's `end` (the scenario's
// duration), a Job's `parallelism` (its `pods`), an autoscaled pool's `min` (its `count`).
Scenario with_dependent_defaults(Scenario s) {
  for (auto& [_, inj] : s.workload.injections) inj.end_s = inj.end_s.value_or(s.duration_s);
  for (auto& [_, c] : s.workload.clients) c.end_s = c.end_s.value_or(s.duration_s);
  for (auto& [_, d] : s.workload.deletions) d.end_s = d.end_s.value_or(s.duration_s);
  for (auto& [_, j] : s.batch.jobs) j.parallelism = j.parallelism.value_or(j.pods);
  for (auto& [_, p] : s.cluster.node_pools)
    if (p.autoscaled()) p.min_nodes = p.min_nodes.value_or(p.count);
  return s;
}

}  // namespace

std::string to_string(ClientOperation op) {
  switch (op) {
    case ClientOperation::ListReplicas:
      return "list_replicas";
    case ClientOperation::ListDids:
      return "list_dids";
    case ClientOperation::GetDid:
      return "get_did";
    case ClientOperation::Download:
      return "download";
  }
  return "list_replicas";
}

std::string resolved_scenario_yaml(const Scenario& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  TableWriter(out).keys(with_dependent_defaults(s), scenario_fields());
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace dlsim::scenario
