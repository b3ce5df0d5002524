// Reading a run directory for the report (docs/outputs.md is the contract): a streaming CSV
// reader with FILE:LINE:COL errors, JSON files, and the downsampling of time series.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlsim::analysis {

// Reads one CSV file record by record (RFC 4180 quoting, as app/output writes it). Malformed
// input throws scenario::InputError at the field's line and column.
class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);

  const std::vector<std::string>& header() const { return header_; }
  bool has_column(std::string_view name) const;
  // Index of a header column; throws at line 1 when the file lacks it.
  std::size_t column(std::string_view name) const;
  // Advances to the next record; false at the end of the file.
  bool next();
  const std::string& text(std::size_t col) const { return fields_.at(col); }
  double number(std::size_t col) const;  // throws unless the field is a number
  std::optional<double> optional_number(std::size_t col) const;  // empty field → nullopt
  int line() const { return line_; }

 private:
  bool read_record(std::vector<std::string>& fields, std::vector<int>& columns);
  [[noreturn]] void fail(int line, int column, const std::string& message) const;

  std::string path_;
  std::string data_;
  std::size_t pos_ = 0;
  int next_line_ = 1;
  int line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  std::vector<int> columns_;
};

// The parsed JSON file; nullopt when it does not exist. Throws scenario::InputError when malformed.
std::optional<nlohmann::json> read_json_if_exists(const std::filesystem::path& path);

// A sampled quantity over simulated time.
struct Points {
  std::vector<double> t_s;
  std::vector<double> values;
  void add(double t, double v) {
    t_s.push_back(t);
    values.push_back(v);
  }
};

// At most `max_points` points: the span [0, end_s] cut into equal buckets, each keeping its
// largest value at that value's time, so peaks (a memory spike, a backlog) survive.
// Deterministic; a series with no more points than that is returned unchanged.
Points downsample_max(const Points& p, double end_s, std::size_t max_points);

}  // namespace dlsim::analysis
