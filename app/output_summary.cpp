// summary.json (docs/outputs.md): the Summary written from its field tables
// (app/summary_fields.hpp), keys in table order.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "app/output.hpp"
#include "app/summary_fields.hpp"

namespace dlsim::sim {
namespace {
using nlohmann::ordered_json;
using namespace fields;

template <class V>
constexpr bool is_optional = false;
template <class V>
constexpr bool is_optional<std::optional<V>> = true;

// Adds a struct's keys from its field table to a JSON object.
class JsonWriter {
 public:
  template <class T, class... Fields>
  static void keys(ordered_json& j, const T& object, const Table<T, Fields...>& table) {
    for_each_field(table, [&](const auto& f) { write(j, object, f); });
  }
  template <class T, class... Fields>
  static ordered_json object(const T& object, const Table<T, Fields...>& table) {
    ordered_json j = ordered_json::object();
    keys(j, object, table);
    return j;
  }

 private:
  template <class V>
  static ordered_json value(const V& v) {
    if constexpr (is_optional<V>) {
      return v ? value(*v) : ordered_json(nullptr);
    } else if constexpr (std::is_convertible_v<V, std::string_view>) {
      return std::string(std::string_view(v));
    } else {
      return v;
    }
  }
  template <class T, class Get, class When>
  static void write(ordered_json& j, const T& object, const Scalar<Get, When>& f) {
    if (f.when(object)) j[std::string(f.key)] = value(std::invoke(f.get, object));
  }
  template <class T, class Get, class Sub, class When>
  static void write(ordered_json& j, const T& object, const Nested<Get, Sub, When>& f) {
    if (!f.when(object)) return;
    const auto& sub = std::invoke(f.get, object);
    if constexpr (is_optional<std::decay_t<decltype(sub)>>) {
      if (sub) j[std::string(f.key)] = JsonWriter::object(*sub, f.table);
    } else {
      j[std::string(f.key)] = JsonWriter::object(sub, f.table);
    }
  }
  template <class T, class Sub, class When>
  static void write(ordered_json& j, const T& object, const Group<Sub, When>& f) {
    if (f.when(object)) j[std::string(f.key)] = JsonWriter::object(object, f.table);
  }
  template <class T, class Get, class Sub>
  static void write(ordered_json& j, const T& object, const Inline<Get, Sub>& f) {
    keys(j, std::invoke(f.get, object), f.table);
  }
  // Every collection of summary.json is an array (a std::vector of structs).
  template <class T, class Get, class Sub, class When>
  static void write(ordered_json& j, const T& object, const Each<Get, Sub, When>& f) {
    if (!f.when(object)) return;
    ordered_json items = ordered_json::array();
    for (const auto& item : std::invoke(f.get, object))
      items.push_back(JsonWriter::object(item, f.table));
    j[std::string(f.key)] = std::move(items);
  }
};

}  // namespace

ordered_json summary_to_json(const Summary& s) {
  return JsonWriter::object(s, summary_fields());
}

}  // namespace dlsim::sim
