#include "analysis/check.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {
namespace {

const char* kHeader =
    "service,replicas,threads,cpu_request_cores,cpu_limit_cores,mem_request_bytes,"
    "mem_limit_bytes,reason";

struct Field {
  std::string text;
  int column = 1;  // 1-based character column where the field starts
};

// One CSV record (RFC 4180 quoting); a newline inside quotes is not allowed in sizing.csv.
std::vector<Field> split_record(const std::string& line, const std::string& file, int number) {
  std::vector<Field> out;
  std::size_t i = 0;
  while (true) {
    Field f;
    f.column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size())
          throw scenario::InputError({file, number, f.column}, "", "unterminated quoted field");
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          f.text += '"';
          i += 2;
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          f.text += line[i++];
        }
      }
      if (i < line.size() && line[i] != ',')
        throw scenario::InputError({file, number, static_cast<int>(i) + 1}, "",
                                   "expected ',' after a quoted field");
    } else {
      while (i < line.size() && line[i] != ',') f.text += line[i++];
    }
    out.push_back(f);
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return out;
}

std::optional<double> parse_value(const Field& f, const std::string& column, bool integer,
                                  const std::string& file, int number) {
  if (f.text.empty()) {
    if (integer)
      throw scenario::InputError({file, number, f.column}, column, "a count is required here");
    return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(f.text.data(), f.text.data() + f.text.size(), v);
  if (ec != std::errc() || end != f.text.data() + f.text.size() || !std::isfinite(v) || v < 0)
    throw scenario::InputError({file, number, f.column}, column,
                               fmt::format("'{}' is not a number of 0 or more", f.text));
  if (integer && v != std::floor(v))
    throw scenario::InputError({file, number, f.column}, column,
                               fmt::format("'{}' is not a whole number", f.text));
  return v;
}

std::string show(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string("unset");
}

}  // namespace

const std::vector<std::string>& sizing_numeric_columns() {
  static const std::vector<std::string> columns = {"replicas",          "threads",
                                                   "cpu_request_cores", "cpu_limit_cores",
                                                   "mem_request_bytes", "mem_limit_bytes"};
  return columns;
}

void parse_outcome_tag(SizingRow& row) {
  if (row.reason.empty() || row.reason[0] != '[') return;
  const auto close = row.reason.find(']');
  if (close == std::string::npos) return;
  std::istringstream tags(row.reason.substr(1, close - 1));
  for (std::string tag; tags >> tag;) {
    const auto eq = tag.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = tag.substr(0, eq), value = tag.substr(eq + 1);
    if (key == "oom_kills") row.oom_kills = std::atoll(value.c_str());
    if (key == "evictions") row.evictions = std::atoll(value.c_str());
    if (key == "growing") row.growing.insert(value);
  }
}

std::vector<SizingRow> parse_sizing_csv(const std::string& text, const std::string& file) {
  std::vector<SizingRow> out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  const auto& columns = sizing_numeric_columns();
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      if (line != kHeader)
        throw scenario::InputError({file, 1, 1}, "",
                                   fmt::format("expected the header '{}'", kHeader));
      continue;
    }
    if (line.empty()) continue;
    auto fields = split_record(line, file, number);
    if (fields.size() != columns.size() + 2)
      throw scenario::InputError(
          {file, number, fields.back().column}, "",
          fmt::format("expected {} fields, found {}", columns.size() + 2, fields.size()));
    SizingRow row;
    row.line = number;
    row.service = fields[0].text;
    if (row.service.empty())
      throw scenario::InputError({file, number, 1}, "", "empty service name");
    for (const auto& r : out)
      if (r.service == row.service)
        throw scenario::InputError(
            {file, number, 1}, "",
            fmt::format("service '{}' already on line {}", row.service, r.line));
    for (std::size_t k = 0; k < columns.size(); ++k)
      row.values[columns[k]] = parse_value(fields[k + 1], columns[k], k < 2, file, number);
    row.reason = fields.back().text;
    parse_outcome_tag(row);
    out.push_back(std::move(row));
  }
  if (number == 0) throw scenario::InputError({file, 1, 1}, "", "empty file (expected a header)");
  return out;
}

std::vector<SizingRow> read_sizing_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw scenario::InputError({path, 1, 1}, "", "cannot open the sizing file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_sizing_csv(buffer.str(), path);
}

std::map<std::string, Tolerance> default_tolerances() {
  constexpr double kMiB = 1024.0 * 1024.0;
  return {{"replicas", {0, 0}},
          {"threads", {0, 0}},
          {"cpu_request_cores", {0.10, 0.005}},
          {"cpu_limit_cores", {0.10, 0.005}},
          {"mem_request_bytes", {0.10, 16 * kMiB}},
          {"mem_limit_bytes", {0.10, 16 * kMiB}}};
}

std::map<std::string, RunOutcome> read_run_outcomes(const std::string& run_dir) {
  std::map<std::string, RunOutcome> out;
  auto load = [&](const std::string& name) {
    const std::string path = run_dir + "/" + name;
    std::ifstream in(path);
    if (!in) throw scenario::InputError({path, 1, 1}, "", "cannot open (is this a run directory?)");
    try {
      return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw scenario::InputError({path, 1, 1}, "", fmt::format("invalid JSON: {}", e.what()));
    }
  };
  const auto summary = load("summary.json");
  const auto sizing = load("sizing.json");
  for (const auto& v : summary.at("services")) {
    auto& o = out[v.at("name").get<std::string>()];
    o.oom_kills = v.at("oom_kills").get<std::int64_t>();
    o.evictions = v.at("evictions").get<std::int64_t>();
  }
  for (const auto& t : sizing.at("tables"))
    if (t.at("growing").get<bool>())
      out[t.at("service").get<std::string>()].growing.insert(t.at("table").get<std::string>());
  return out;
}

namespace {

void compare_row(const SizingRow& was_row, const SizingRow& is_row,
                 const std::map<std::string, Tolerance>& tolerances, std::vector<Moved>& out) {
  for (const auto& col : sizing_numeric_columns()) {
    const auto& was = was_row.values.at(col);
    const auto& is = is_row.values.at(col);
    if (!was && !is) continue;
    if (!was || !is) {
      out.push_back({was_row.service, col, show(was), show(is), "set/unset"});
      continue;
    }
    const Tolerance t = tolerances.at(col);
    const double diff = *is - *was;
    if (std::fabs(diff) <= std::max(t.abs, t.rel * std::fabs(*was))) continue;
    out.push_back(
        {was_row.service, col, show(was), show(is),
         *was != 0 ? fmt::format("{:+.1f}%", 100 * diff / *was) : fmt::format("{:+g}", diff)});
  }
}

void compare_outcomes(const std::vector<SizingRow>& baseline,
                      const std::map<std::string, RunOutcome>& outcomes,
                      std::vector<std::string>& out) {
  std::map<std::string, const SizingRow*> base_by_name;
  for (const auto& b : baseline) base_by_name[b.service] = &b;
  for (const auto& [service, o] : outcomes) {
    auto it = base_by_name.find(service);
    const SizingRow* b = it == base_by_name.end() ? nullptr : it->second;
    if (o.oom_kills > 0 && (!b || b->oom_kills == 0))
      out.push_back(fmt::format("{}: {} OOM kill(s), none in the baseline", service, o.oom_kills));
    if (o.evictions > 0 && (!b || b->evictions == 0))
      out.push_back(fmt::format("{}: {} eviction(s), none in the baseline", service, o.evictions));
    for (const auto& t : o.growing)
      if (!b || b->growing.count(t) == 0)
        out.push_back(fmt::format("{}: table {} growing, not in the baseline", service, t));
  }
}

}  // namespace

CheckResult compare_sizing(const std::vector<SizingRow>& baseline,
                           const std::vector<SizingRow>& now,
                           const std::map<std::string, RunOutcome>& outcomes,
                           const std::map<std::string, Tolerance>& tolerances) {
  CheckResult r;
  std::map<std::string, const SizingRow*> by_name;
  for (const auto& row : now) by_name[row.service] = &row;
  for (const auto& b : baseline) {
    auto it = by_name.find(b.service);
    if (it == by_name.end()) {
      r.moved.push_back({b.service, "(service)", "present", "absent", "removed"});
      continue;
    }
    compare_row(b, *it->second, tolerances, r.moved);
    by_name.erase(it);
  }
  for (const auto& [name, _] : by_name)
    r.moved.push_back({name, "(service)", "absent", "present", "added"});
  compare_outcomes(baseline, outcomes, r.new_outcomes);
  return r;
}

std::string format_check(const CheckResult& r) {
  std::string out;
  if (!r.moved.empty()) {
    out += fmt::format("{:<28} {:<18} {:>14} {:>14} {:>10}\n", "service", "column", "baseline",
                       "now", "change");
    for (const auto& m : r.moved)
      out += fmt::format("{:<28} {:<18} {:>14} {:>14} {:>10}\n", m.service, m.column, m.baseline,
                         m.now, m.change);
  }
  for (const auto& n : r.new_outcomes) out += fmt::format("new: {}\n", n);
  return out;
}

}  // namespace dlsim::analysis
