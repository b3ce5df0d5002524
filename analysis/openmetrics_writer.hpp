// The OpenMetrics text exposition format (https://prometheus.io/docs/specs/om/open_metrics_spec/
// and github.com/prometheus/OpenMetrics specification/OpenMetrics.md, "Text format"): metric
// families one after another, each opened by `# TYPE`, `# UNIT` (only when the family name
// ends in `_<unit>`, which the format requires and Prometheus' parser checks:
// prometheus/model/textparse/openmetricsparse.go "unit not a suffix of metric") and `# HELP`,
// then its samples `name{labels} value timestamp` with the timestamp in seconds, and a final
// `# EOF`. Counters are families named without `_total` whose samples carry it.
#pragma once

#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dlsim::analysis::openmetrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { gauge, counter };

struct Family {
  std::string name;  // without `_total` for a counter
  Type type = Type::gauge;
  std::string unit;  // "" when the name carries none
  std::string help;
};

// `{a="x",b="y"}` with `\`, `"` and newline escaped as the format says; "" for no labels.
std::string format_labels(const Labels& labels);

// Seconds since the epoch from milliseconds, without trailing zeros: 1605571215000 →
// "1605571215", 1605571215500 → "1605571215.5". Millisecond resolution is Prometheus'.
std::string format_timestamp_ms(std::int64_t unix_ms);

// A sample value: the shortest text that reads back to the same double ("15", "0.25").
std::string format_value(double v);

// Writes families and their samples in the order given; counts what it wrote.
class Writer {
 public:
  Writer(std::ostream& out, std::int64_t start_unix_ms)
      : out_(out), start_unix_ms_(start_unix_ms) {}

  void family(const Family& f);
  // One sample of the current family at simulated time t_s (start + t_s on the wire).
  void sample(std::string_view labels_text, double t_s, double value);
  void end();  // `# EOF`

  std::size_t families() const { return families_; }
  std::size_t series() const { return series_; }
  std::size_t samples() const { return samples_; }

 private:
  std::ostream& out_;
  std::int64_t start_unix_ms_;
  std::string sample_name_;
  std::set<std::string> family_series_;
  std::size_t families_ = 0, series_ = 0, samples_ = 0;
};

}  // namespace dlsim::analysis::openmetrics
