// The one interface through which models report what happened: events (a pod was scheduled,
// OOMKilled, restarted, …) and periodic samples (per-pod CPU and memory, table rows, RSE
// usage). Models never open files; app/output writes what is recorded here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/series_spill.hpp"

namespace dlsim::sim {

struct Event {
  double time_s;
  std::string kind;    // Scheduled, Started, OOMKilled, BackOff, Restarted, Evicted, ...
  std::string object;  // pod, node or table name
  std::string node;    // node involved, or empty
  std::string detail;  // free text, no commas needed (the writer quotes)
};

// A time series table: every row is (time_s, object, values...). Its rows are kept by a
// SeriesSpill (most of them in a temporary file) and read back in order with for_each_row.
class Series {
 public:
  Series(std::string series_name, std::vector<std::string> columns)
      : name(std::move(series_name)),
        value_columns(std::move(columns)),
        rows_(value_columns.size()) {}

  std::string name;                        // file name under timeseries/, without .csv
  std::vector<std::string> value_columns;  // column names after time_s and object
  std::vector<std::string> object_names;
  std::map<std::string, std::uint32_t, std::less<>> object_index;

  void append(double time_s, std::string_view object, std::initializer_list<double> values);
  std::size_t rows() const { return rows_.rows(); }
  // Every row in sampling order (SeriesRow::object indexes object_names).
  void for_each_row(const std::function<void(const SeriesRow&)>& fn) const { rows_.for_each(fn); }

 private:
  SeriesSpill rows_;
};

class Recorder {
 public:
  using SeriesId = std::size_t;

  void event(double time_s, std::string_view kind, std::string_view object, std::string_view node,
             std::string detail = {});
  SeriesId declare_series(std::string name, std::vector<std::string> value_columns);
  void sample(SeriesId id, double time_s, std::string_view object,
              std::initializer_list<double> values);
  // Model-level counts (statements issued, transfer attempts) for run.json.
  void count(std::string_view kind, std::uint64_t n = 1);

  const std::vector<Event>& events() const { return events_; }
  const std::vector<Series>& series() const { return series_; }
  std::map<std::string, std::uint64_t> event_counts() const;
  const std::map<std::string, std::uint64_t, std::less<>>& counts() const { return counts_; }

 private:
  std::vector<Event> events_;
  std::vector<Series> series_;
  std::map<std::string, std::uint64_t, std::less<>> counts_;
};

}  // namespace dlsim::sim
