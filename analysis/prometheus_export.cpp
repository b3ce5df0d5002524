#include "analysis/prometheus_export.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "analysis/prometheus_json.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {
namespace {

using json = nlohmann::json;
using Pointer = json::json_pointer;

// Display path of a pointer: /data/result/3/values → data.result[3].values.
std::string key_path(const Pointer& pointer) {
  std::string out;
  Pointer p = pointer;
  std::vector<std::string> parts;
  while (!p.empty()) {
    parts.push_back(p.back());
    p.pop_back();
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    const bool index = !it->empty() && it->find_first_not_of("0123456789") == std::string::npos;
    out += index ? "[" + *it + "]" : (out.empty() ? "" : ".") + *it;
  }
  return out;
}

// The member `name` of the object at `at`, of the JSON type `want` says.
const json& member(const JsonInput& in, const json& object, const Pointer& at,
                   const std::string& name, json::value_t want, const char* want_text) {
  const Pointer p = at / name;
  auto it = object.find(name);
  if (it == object.end())
    in.fail(at, key_path(at), fmt::format("missing '{}' (expected {})", name, want_text));
  if (it->type() != want)
    in.fail(p, key_path(p), fmt::format("expected {}, found {}", want_text, it->type_name()));
  return *it;
}

// A sample value as Prometheus writes it: a decimal string, "NaN", "+Inf" or "-Inf".
std::optional<double> sample_value(const JsonInput& in, const json& v, const Pointer& at) {
  if (!v.is_string())
    in.fail(
        at, key_path(at),
        fmt::format("expected the sample value as a string (\"0.25\"), found {}", v.type_name()));
  const std::string& text = v.get_ref<const std::string&>();
  if (text == "NaN") return std::nullopt;  // a gap, e.g. rate() over no increase of 0/0
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out))
    in.fail(at, key_path(at), fmt::format("'{}' is not a finite number", text));
  return out;
}

std::vector<PromSample> read_values(const JsonInput& in, const json& values, const Pointer& at) {
  std::vector<PromSample> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Pointer p = at / i;
    const json& pair = values[i];
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number())
      in.fail(p, key_path(p), "expected a sample [<unix time>, \"<value>\"]");
    const double t = pair[0].get<double>();
    if (!out.empty() && t <= out.back().time_s)
      in.fail(p / 0, key_path(p / 0),
              fmt::format("time {} does not come after the previous sample's {}", t,
                          out.back().time_s));
    if (auto v = sample_value(in, pair[1], p / 1)) out.push_back({t, *v});
  }
  return out;
}

PromMetric series_metric(const JsonInput& in, const json& labels, const Pointer& at,
                         std::optional<PromMetric> file_metric) {
  auto name = labels.find("__name__");
  if (name == labels.end()) {
    if (!file_metric)
      in.fail(at, key_path(at),
              fmt::format("no __name__ label: say which metric the file holds with KIND=FILE "
                          "(KIND: {})",
                          scenario::quoted_list(prom_metric_names())));
    return *file_metric;
  }
  const Pointer p = at / "__name__";
  const std::string text = name->get<std::string>();
  auto metric = parse_prom_metric(text);
  if (!metric || *metric == PromMetric::CpuRate)
    in.fail(p, key_path(p),
            fmt::format("metric '{}' is not one calibration reads (expected {}){}", text,
                        scenario::quoted_list(prom_metric_names()),
                        scenario::did_you_mean(text, prom_metric_names())));
  if (file_metric && *file_metric != *metric)
    in.fail(p, key_path(p),
            fmt::format("the series is '{}' but the command line says '{}'", text,
                        prom_metric_name(*file_metric)));
  return *metric;
}

PromSeries read_series(const JsonInput& in, const json& entry, const Pointer& at,
                       std::optional<PromMetric> file_metric) {
  if (!entry.is_object()) in.fail(at, key_path(at), "expected a series {\"metric\", \"values\"}");
  const json& labels =
      member(in, entry, at, "metric", json::value_t::object, "an object of labels");
  for (auto it = labels.begin(); it != labels.end(); ++it)
    if (!it->is_string())
      in.fail(at / "metric" / it.key(), key_path(at / "metric" / it.key()),
              "a label value must be a string");
  PromSeries s;
  s.metric = series_metric(in, labels, at / "metric", file_metric);
  for (auto it = labels.begin(); it != labels.end(); ++it)
    if (it.key() != "__name__") s.labels[it.key()] = it->get<std::string>();
  const json& values = member(in, entry, at, "values", json::value_t::array,
                              "an array of samples (a \"value\" alone is an instant query: "
                              "export a range query)");
  s.samples = read_values(in, values, at / "values");
  return s;
}

}  // namespace

std::optional<PromMetric> parse_prom_metric(std::string_view name) {
  if (name == "cpu_rate") return PromMetric::CpuRate;
  if (name == "container_cpu_usage_seconds_total") return PromMetric::CpuSeconds;
  if (name == "container_memory_working_set_bytes") return PromMetric::WorkingSetBytes;
  if (name == "kube_pod_container_status_restarts_total") return PromMetric::Restarts;
  return std::nullopt;
}

std::string prom_metric_name(PromMetric metric) {
  switch (metric) {
    case PromMetric::CpuRate:
      return "cpu_rate";
    case PromMetric::CpuSeconds:
      return "container_cpu_usage_seconds_total";
    case PromMetric::WorkingSetBytes:
      return "container_memory_working_set_bytes";
    case PromMetric::Restarts:
      return "kube_pod_container_status_restarts_total";
  }
  return "cpu_rate";
}

std::vector<std::string> prom_metric_names() {
  return {"cpu_rate", "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
          "kube_pod_container_status_restarts_total"};
}

std::vector<PromSeries> parse_query_range(const std::string& text, const std::string& file,
                                          std::optional<PromMetric> file_metric) {
  const json doc = parse_json_located(text, file);
  const JsonInput in(file, text);
  const Pointer root;
  if (!doc.is_object()) in.fail(root, "", "expected a Prometheus API response object");
  const json& status = member(in, doc, root, "status", json::value_t::string, "a string");
  if (status != "success")
    in.fail(root / "status", "status",
            fmt::format("the query failed ('{}'): {}", status.get<std::string>(),
                        doc.value("error", std::string("no error message"))));
  const Pointer data_at = root / "data";
  const json& data = member(in, doc, root, "data", json::value_t::object, "an object");
  const json& type = member(in, data, data_at, "resultType", json::value_t::string, "a string");
  if (type != "matrix")
    in.fail(data_at / "resultType", "data.resultType",
            fmt::format("'{}' is not a range query result (expected 'matrix': export "
                        "/api/v1/query_range)",
                        type.get<std::string>()));
  const json& result = member(in, data, data_at, "result", json::value_t::array, "an array");
  std::vector<PromSeries> out;
  for (std::size_t i = 0; i < result.size(); ++i)
    out.push_back(read_series(in, result[i], data_at / "result" / i, file_metric));
  return out;
}

std::vector<PromSeries> read_query_range(const std::string& path,
                                         std::optional<PromMetric> file_metric) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw scenario::InputError({path, 1, 1}, "", "cannot open the Prometheus export");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_query_range(buffer.str(), path, file_metric);
}

// prometheus/prometheus promql/functions.go#L65 (f04b1b5), extrapolatedRate: a sample below
// its predecessor is a counter reset, and the predecessor's value is added back.
std::vector<PromSample> counter_rate(const std::vector<PromSample>& counter) {
  std::vector<PromSample> out;
  for (std::size_t i = 1; i < counter.size(); ++i) {
    const double prev = counter[i - 1].value, now = counter[i].value;
    const double increase = now >= prev ? now - prev : now;
    out.push_back({counter[i].time_s, increase / (counter[i].time_s - counter[i - 1].time_s)});
  }
  return out;
}

double counter_increase(const std::vector<PromSample>& counter) {
  double total = 0;
  for (std::size_t i = 1; i < counter.size(); ++i) {
    const double prev = counter[i - 1].value, now = counter[i].value;
    total += now >= prev ? now - prev : now;
  }
  return total;
}

}  // namespace dlsim::analysis
