#include "analysis/openmetrics_writer.hpp"

#include <cmath>

#include <fmt/core.h>

namespace dlsim::analysis::openmetrics {

namespace {

// Label values and HELP text escape backslash, double quote (labels only) and newline.
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string format_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + escaped(labels[i].second, true) + '"';
  }
  return out + "}";
}

std::string format_timestamp_ms(std::int64_t unix_ms) {
  const std::int64_t seconds = unix_ms / 1000, ms = unix_ms % 1000;
  if (ms == 0) return fmt::format("{}", seconds);
  std::string fraction = fmt::format("{:03d}", ms);
  while (fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}.{}", seconds, fraction);
}

std::string format_value(double v) {
  return fmt::format("{}", v);
}

void Writer::family(const Family& f) {
  out_ << "# TYPE " << f.name << (f.type == Type::counter ? " counter\n" : " gauge\n");
  if (!f.unit.empty()) out_ << "# UNIT " << f.name << ' ' << f.unit << '\n';
  out_ << "# HELP " << f.name << ' ' << escaped(f.help, false) << '\n';
  sample_name_ = f.type == Type::counter ? f.name + "_total" : f.name;
  family_series_.clear();
  ++families_;
}

void Writer::sample(std::string_view labels_text, double t_s, double value) {
  if (family_series_.emplace(labels_text).second) ++series_;
  const auto unix_ms = start_unix_ms_ + static_cast<std::int64_t>(std::llround(t_s * 1000));
  out_ << sample_name_ << labels_text << ' ' << format_value(value) << ' '
       << format_timestamp_ms(unix_ms) << '\n';
  ++samples_;
}

void Writer::end() {
  out_ << "# EOF\n";
}

}  // namespace dlsim::analysis::openmetrics
