#include "analysis/report_data.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {

CsvReader::CsvReader(const std::filesystem::path& path) : path_(path.string()) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(1, 1, "cannot read the file (is this a dlsim run directory?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  data_ = ss.str();
  std::vector<int> columns;
  if (!read_record(header_, columns)) fail(1, 1, "empty file: expected a header line");
}

bool CsvReader::has_column(std::string_view name) const {
  for (const auto& h : header_)
    if (h == name) return true;
  return false;
}

std::size_t CsvReader::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  fail(1, 1, fmt::format("missing column '{}'", name));
}

bool CsvReader::next() {
  if (!read_record(fields_, columns_)) return false;
  if (fields_.size() != header_.size())
    fail(line_, columns_.back(),
         fmt::format("{} fields where the header has {}", fields_.size(), header_.size()));
  return true;
}

// One record from pos_: fields split at commas, quoted fields with "" for a quote, ending at
// '\n' (a quoted newline stays in its field). Records the start column of every field.
bool CsvReader::read_record(std::vector<std::string>& fields, std::vector<int>& columns) {
  fields.clear();
  columns.clear();
  if (pos_ >= data_.size()) return false;
  line_ = next_line_;
  std::size_t line_start = pos_;
  fields.emplace_back();
  columns.push_back(1);
  bool quoted = false;
  while (pos_ < data_.size()) {
    char c = data_[pos_++];
    if (quoted) {
      if (c == '"' && pos_ < data_.size() && data_[pos_] == '"') {
        fields.back() += '"';
        ++pos_;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++next_line_, line_start = pos_;
        fields.back() += c;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
      columns.push_back(static_cast<int>(pos_ - line_start) + 1);
    } else if (c == '\n' || (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n')) {
      if (c == '\r') ++pos_;  // a CRLF line end (a sizing file edited on Windows)
      ++next_line_;
      return true;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) fail(line_, columns.back(), "unterminated quoted field");
  ++next_line_;
  return true;
}

double CsvReader::number(std::size_t col) const {
  const std::string& s = fields_.at(col);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    fail(line_, columns_.at(col), fmt::format("{}: '{}' is not a number", header_.at(col), s));
  return v;
}

std::optional<double> CsvReader::optional_number(std::size_t col) const {
  if (fields_.at(col).empty()) return std::nullopt;
  return number(col);
}

void CsvReader::fail(int line, int column, const std::string& message) const {
  throw scenario::InputError({path_, line, column}, "", message);
}

std::optional<nlohmann::json> read_json_if_exists(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based offset of the error: turn it into a line and column.
    std::size_t upto = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = 1, column = 1;
    for (std::size_t i = 0; i < upto; ++i) {
      if (text[i] == '\n')
        ++line, column = 1;
      else
        ++column;
    }
    throw scenario::InputError({path.string(), line, column}, "", "malformed JSON");
  }
}

Points downsample_max(const Points& p, double end_s, std::size_t max_points) {
  if (p.t_s.size() <= max_points || max_points == 0 || end_s <= 0) return p;
  Points out;
  std::size_t bucket = 0;
  bool open = false;
  for (std::size_t i = 0; i < p.t_s.size(); ++i) {
    auto b = static_cast<std::size_t>(p.t_s[i] / end_s * static_cast<double>(max_points));
    b = std::min(b, max_points - 1);
    if (!open || b != bucket) {
      out.add(p.t_s[i], p.values[i]);
      bucket = b;
      open = true;
    } else if (p.values[i] > out.values.back()) {
      out.t_s.back() = p.t_s[i];
      out.values.back() = p.values[i];
    }
  }
  return out;
}

}  // namespace dlsim::analysis
