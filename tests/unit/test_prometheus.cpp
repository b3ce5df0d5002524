// The Prometheus query_range reader (analysis/prometheus_export), its locations
// (analysis/prometheus_json), and the per-service observations (prometheus_observations).
#include <catch2/catch.hpp>

#include "analysis/prometheus_json.hpp"
#include "analysis/prometheus_observations.hpp"

using namespace dlsim;
using analysis::PromMetric;

namespace {

// The message of the scenario::InputError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text, std::optional<PromMetric> kind = std::nullopt) {
  try {
    analysis::parse_query_range(text, "x.json", kind);
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

// A matrix body around `result` (the text of the result array's elements).
std::string matrix(const std::string& result) {
  return "{\"status\": \"success\",\n \"data\": {\"resultType\": \"matrix\",\n  \"result\": [" +
         result + "]}}\n";
}

}  // namespace

TEST_CASE("query_range: labels, metric from __name__ or the command line, NaN gaps") {
  const std::string text = matrix(
      "{\"metric\": {\"__name__\": \"container_memory_working_set_bytes\", \"pod\": \"p-1\", "
      "\"container\": \"hermes\"}, \"values\": [[1605571215, \"100\"], [1605571230.5, "
      "\"1.5e+02\"], [1605571245, \"NaN\"]]}");
  auto series = analysis::parse_query_range(text, "x.json", std::nullopt);
  REQUIRE(series.size() == 1);
  CHECK(series[0].metric == PromMetric::WorkingSetBytes);
  CHECK(series[0].labels ==
        std::map<std::string, std::string>{{"container", "hermes"}, {"pod", "p-1"}});
  REQUIRE(series[0].samples.size() == 2);  // the NaN sample is a gap
  CHECK(series[0].samples[1].time_s == 1605571230.5);
  CHECK(series[0].samples[1].value == 150.0);
  // A rate() result has no __name__: the command line's KIND applies.
  auto rate = analysis::parse_query_range(
      matrix("{\"metric\": {\"pod\": \"p\"}, \"values\": [[1, \"0.5\"]]}"), "x.json",
      PromMetric::CpuRate);
  CHECK(rate.at(0).metric == PromMetric::CpuRate);
}

TEST_CASE("query_range: a counter's rate and increase handle a reset") {
  // 0 → 5 → 15 in 10 s steps: 0.5 and 1.0 per second; then 3 < 15 is a reset (the container
  // restarted and counted 3 since): the increase is 3, 0.3 per second. Increase 5 + 10 + 3.
  const std::vector<analysis::PromSample> c = {{0, 0}, {10, 5}, {20, 15}, {30, 3}};
  auto rate = analysis::counter_rate(c);
  REQUIRE(rate.size() == 3);
  CHECK(rate[0].time_s == 10);
  CHECK(rate[0].value == Approx(0.5));
  CHECK(rate[1].value == Approx(1.0));
  CHECK(rate[2].value == Approx(0.3));
  CHECK(analysis::counter_increase(c) == Approx(18));
}

TEST_CASE("Label rules: the container by default, a capturing rule names the service") {
  const std::map<std::string, std::string> labels = {
      {"namespace", "rucio"},
      {"pod", "rucio-daemons-conveyor-submitter-6c7d8b8f9-x2x9z"},
      {"container", "rucio-daemons"}};
  CHECK(analysis::ServiceMapping().service_of(labels) == "rucio-daemons");
  // The lazy group stops before the replica-set hash and the pod suffix.
  analysis::ServiceMapping by_pod(
      {analysis::parse_label_rule("pod=^rucio-daemons-(.+?)-[0-9a-f]+-[0-9a-z]+$", 1),
       analysis::parse_label_rule("namespace=rucio", 2)});
  CHECK(by_pod.service_of(labels) == "conveyor-submitter");
  auto other = labels;
  other["namespace"] = "monitoring";
  CHECK_FALSE(by_pod.service_of(other));  // the namespace rule rejects it
  other = labels;
  other.erase("namespace");
  CHECK_FALSE(by_pod.service_of(other));  // a missing label reads as ""
  auto pod_level = labels;
  pod_level["container"] = "";  // cAdvisor's pod cgroup: no service by default
  CHECK_FALSE(analysis::ServiceMapping().service_of(pod_level));
}

TEST_CASE("Label rules: malformed rules are located errors") {
  auto message = [](const std::string& rule) {
    try {
      analysis::parse_label_rule(rule, 2);
    } catch (const scenario::InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message("pod") ==
        "--label-rule:2:1: error: 'pod' is not LABEL=REGEX (LABEL a Prometheus label name, e.g. "
        "pod=^rucio-(.+)-[0-9a-f]+-[0-9a-z]+$)");
  CHECK(message("1pod=x").rfind("--label-rule:2:1: error: '1pod=x' is not LABEL=REGEX", 0) == 0);
  // The regular expression starts in column 5 of "pod=(unclosed".
  CHECK(message("pod=(unclosed")
            .rfind("--label-rule:2:5: error: invalid regular expression '(unclosed': ", 0) == 0);
}

TEST_CASE("Observations: mean over time of the mean over pods, peaks, restarts") {
  // Service a, two pods sampled at t = 10, 20 (ms keys 10000, 20000):
  //   CPU (rate) pod 1: 0.2, 0.4; pod 2: 0.6 at t = 20 only.
  //   per time the mean over pods: t10 0.2, t20 (0.4 + 0.6) / 2 = 0.5 → mean 0.35; peak 0.6.
  //   memory pod 1: 100, 300; pod 2: 200, 500 → per time 150, 400; median of two = 275;
  //   peak 500. restarts pod 2: 0 → 2 → increase 2.
  // Service b: a CPU counter 0, 1, 3 at t = 0, 10, 20 → rates 0.1, 0.2 → mean 0.15, no memory.
  // Service zz (not in the scenario) is listed as unknown; container "" is rejected.
  using S = analysis::PromSeries;
  auto mk = [](std::string container, std::string pod, PromMetric m,
               std::vector<analysis::PromSample> v) {
    return S{{{"container", container}, {"pod", pod}, {"namespace", "rucio"}}, m, v};
  };
  std::vector<S> series = {
      mk("a", "a-1", PromMetric::CpuRate, {{10, 0.2}, {20, 0.4}}),
      mk("a", "a-2", PromMetric::CpuRate, {{20, 0.6}}),
      mk("a", "a-1", PromMetric::WorkingSetBytes, {{10, 100}, {20, 300}}),
      mk("a", "a-2", PromMetric::WorkingSetBytes, {{10, 200}, {20, 500}}),
      mk("a", "a-2", PromMetric::Restarts, {{10, 0}, {20, 2}}),
      mk("b", "b-1", PromMetric::CpuSeconds, {{0, 0}, {10, 1}, {20, 3}}),
      mk("zz", "zz-1", PromMetric::CpuRate, {{10, 1}}),
      mk("", "a-1", PromMetric::CpuRate, {{10, 9}}),
  };
  auto out = analysis::observe_services(series, analysis::ServiceMapping(), {"b", "a", "c"});
  REQUIRE(out.stats.size() == 2);
  CHECK(out.stats[0].service == "b");  // in the order of the services given
  CHECK(*out.stats[0].cpu_mean_cores == Approx(0.15));
  CHECK_FALSE(out.stats[0].mem_peak_bytes);
  const auto& a = out.stats[1];
  CHECK(a.pods == 2);
  CHECK(*a.cpu_mean_cores == Approx(0.35));
  CHECK(*a.cpu_peak_cores == Approx(0.6));
  CHECK(*a.mem_typical_bytes == Approx(275));
  CHECK(*a.mem_peak_bytes == Approx(500));
  CHECK(*a.restarts == Approx(2));
  // What the fit gets: typical CPU as a single figure, the peak working set.
  REQUIRE(out.observations.size() == 2);
  CHECK(out.observations[1].service == "a");
  CHECK(*out.observations[1].cpu_low_cores == Approx(0.35));
  CHECK(*out.observations[1].cpu_high_cores == Approx(0.35));
  CHECK(*out.observations[1].mem_bytes == Approx(500));
  CHECK(out.unknown == std::vector<std::string>{"zz"});
  CHECK(out.series_rejected == 1);
  CHECK(out.series_used == 6);
}

TEST_CASE("query_range: malformed exports give FILE:LINE:COL") {
  // matrix() puts the series on line 3 after `  "result": [` (13 characters): column 14.
  // Syntax: a `}` where a value must start, line 2 column 11.
  CHECK(error_of("{\"status\": \"success\",\n \"data\": [}") ==
        "x.json:2:11: error: invalid JSON: syntax error while parsing value - unexpected '}'; "
        "expected '[', '{', or a literal");
  // A series without "values": at the series' opening brace (line 3, column 14).
  CHECK(error_of(
            matrix("{\"metric\": {\"__name__\": \"kube_pod_container_status_restarts_total\"}}")) ==
        "x.json:3:14: error: data.result[0]: missing 'values' (expected an array of samples (a "
        "\"value\" alone is an instant query: export a range query))");
  // A value that is no number: at its string, column 14 + 30 = 44 (`{"metric": {}, "values":
  // [[1, ` is 30 characters).
  CHECK(error_of(matrix("{\"metric\": {}, \"values\": [[1, \"lots\"]]}"), PromMetric::CpuRate) ==
        "x.json:3:44: error: data.result[0].values[0][1]: 'lots' is not a finite number");
  // Without __name__ and without KIND: at the metric object, column 14 + 11 = 25.
  CHECK(error_of(matrix("{\"metric\": {}, \"values\": []}")) ==
        "x.json:3:25: error: data.result[0].metric: no __name__ label: say which metric the file "
        "holds with KIND=FILE (KIND: 'cpu_rate', 'container_cpu_usage_seconds_total', "
        "'container_memory_working_set_bytes' or 'kube_pod_container_status_restarts_total')");
  // A misspelt metric name, at the name's string (column 14 + 24 = 38).
  CHECK(error_of(matrix("{\"metric\": {\"__name__\": \"container_memory_working_set_byte\"}, "
                        "\"values\": []}"))
            .rfind("x.json:3:38: error: data.result[0].metric.__name__: metric "
                   "'container_memory_working_set_byte' is not one calibration reads",
                   0) == 0);
  // Times must increase: `{"metric": {}, "values": [[2, "1"], [` is 37 characters, so the
  // second sample's time is at column 14 + 37 = 51.
  CHECK(error_of(matrix("{\"metric\": {}, \"values\": [[2, \"1\"], [1, \"1\"]]}"),
                 PromMetric::CpuRate) ==
        "x.json:3:51: error: data.result[0].values[1][0]: time 1 does not come after the "
        "previous sample's 2");
  // An instant query's result type, at its string on line 2 (column 25).
  CHECK(
      error_of(
          "{\"status\": \"success\",\n \"data\": {\"resultType\": \"vector\", \"result\": []}}") ==
      "x.json:2:25: error: data.resultType: 'vector' is not a range query result (expected "
      "'matrix': export /api/v1/query_range)");
  CHECK(error_of("{\"status\": \"error\", \"error\": \"parse error at char 5\"}") ==
        "x.json:1:12: error: status: the query failed ('error'): parse error at char 5");
  // The series' KIND and its __name__ disagree: at the name (column 38, as above).
  CHECK(error_of(matrix("{\"metric\": {\"__name__\": \"container_cpu_usage_seconds_total\"}, "
                        "\"values\": []}"),
                 PromMetric::WorkingSetBytes) ==
        "x.json:3:38: error: data.result[0].metric.__name__: the series is "
        "'container_cpu_usage_seconds_total' but the command line says "
        "'container_memory_working_set_bytes'");
}

TEST_CASE("JSON locations: offsets to line and column, pointers to offsets") {
  const std::string text = "{\"a\": [1, 2.5,\n  {\"b\": null}], \"c\": \"x\"}";
  using P = nlohmann::json::json_pointer;
  // "a" value `[` at offset 6; a[1] `2.5` at 10; a[2] `{` on line 2 at column 3 (offset 17);
  // a[2].b `null` at offset 23; c at offset 36; a missing key points at its parent.
  CHECK(analysis::json_value_offset(text, P("/a")) == 6);
  CHECK(analysis::json_value_offset(text, P("/a/1")) == 10);
  CHECK(analysis::json_value_offset(text, P("/a/2")) == 17);
  CHECK(analysis::json_value_offset(text, P("/a/2/b")) == 23);
  CHECK(analysis::json_value_offset(text, P("/c")) == 36);
  CHECK(analysis::json_value_offset(text, P("/a/2/zz")) == 17);
  auto at = analysis::location_of_offset("f", text, 17);
  CHECK(at.line == 2);
  CHECK(at.column == 3);
}
