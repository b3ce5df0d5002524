#include "analysis/openmetrics.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include "analysis/openmetrics_sections.hpp"
#include "analysis/report_data.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace fs = std::filesystem;

namespace {

// The digits of text[pos, pos + n) as a number; nullopt unless all are digits.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// scenario.resolved.yaml's sample_interval, s (the window of every cpu_cores sample).
double read_sample_interval_s(const fs::path& dir) {
  const fs::path path = dir / "scenario.resolved.yaml";
  try {
    const YAML::Node root = YAML::LoadFile(path.string());
    const YAML::Node node = root["sample_interval"];
    if (!node) throw scenario::InputError({path.string(), 1, 1}, "sample_interval", "missing");
    const auto parsed = scenario::units::parse_duration_s(node.as<std::string>());
    if (!parsed.ok() || parsed.value() <= 0)
      throw scenario::InputError({path.string(), node.Mark().line + 1, node.Mark().column + 1},
                                 "sample_interval",
                                 parsed.ok() ? "must be more than 0" : parsed.error());
    return parsed.value();
  } catch (const YAML::BadFile&) {
    throw scenario::InputError({path.string(), 1, 1}, "",
                               "cannot read the file (is this a dlsim run directory?)");
  } catch (const YAML::Exception& e) {
    throw scenario::InputError({path.string(), e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
}

openmetrics::RunContext read_context(const fs::path& dir, const OpenMetricsOptions& options) {
  openmetrics::RunContext run;
  run.dir = dir;
  run.namespace_label = {{"namespace", options.namespace_name}};
  run.extra_labels = options.extra_labels;
  run.cfs_period_s = options.cfs_period_s;
  run.sample_interval_s = read_sample_interval_s(dir);
  auto summary = read_json_if_exists(dir / "summary.json");
  if (!summary)
    throw scenario::InputError({(dir / "summary.json").string(), 1, 1}, "",
                               "cannot read the file (is this a dlsim run directory?)");
  run.summary = std::move(*summary);
  return run;
}

}  // namespace

namespace openmetrics {

std::string RunContext::labels(const Labels& own) const {
  Labels all = namespace_label;
  all.insert(all.end(), own.begin(), own.end());
  all.insert(all.end(), extra_labels.begin(), extra_labels.end());
  return format_labels(all);
}

}  // namespace openmetrics

std::optional<std::int64_t> parse_utc_time_ms(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z')
    return std::nullopt;
  const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2),
             h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *y < 1970) return std::nullopt;
  const auto days_since_epoch = sys_days{date}.time_since_epoch().count();
  return ((static_cast<std::int64_t>(days_since_epoch) * 24 + *h) * 60 + *mi) * 60000 +
         static_cast<std::int64_t>(*s) * 1000;
}

const std::vector<std::string>& openmetrics_label_names() {
  static const std::vector<std::string> names = {"namespace", "pod",  "container", "node",
                                                 "resource",  "unit", "pool",      "state",
                                                 "table",     "rse",  "src_rse",   "dst_rse"};
  return names;
}

OpenMetricsCounts export_openmetrics(const fs::path& run_dir, const fs::path& out,
                                     const OpenMetricsOptions& options) {
  if (!fs::is_directory(run_dir))
    throw scenario::InputError({run_dir.string(), 1, 1}, "",
                               "not a directory (expected a dlsim run directory)");
  const openmetrics::RunContext run = read_context(run_dir, options);
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path tmp =
      parent / fmt::format(".{}.tmp-{}", out.filename().string(), static_cast<long>(getpid()));
  OpenMetricsCounts counts;
  try {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) throw std::runtime_error("cannot create the file");
    openmetrics::Writer w(file, options.start_unix_ms);
    openmetrics::write_pod_families(w, run);
    openmetrics::write_node_families(w, run);
    openmetrics::write_dlsim_families(w, run);
    w.end();
    file.close();
    if (!file) throw std::runtime_error("write failed");
    fs::rename(tmp, out);
    counts = {w.families(), w.series(), w.samples()};
  } catch (const scenario::InputError&) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw scenario::InputError({"-o", 1, 1}, "",
                               fmt::format("cannot write '{}': {}", out.string(), e.what()));
  }
  return counts;
}

}  // namespace dlsim::analysis
