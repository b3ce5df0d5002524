#include "sim/recorder.hpp"

#include <cassert>

namespace dlsim::sim {

void Recorder::event(double time_s, std::string_view kind, std::string_view object,
                     std::string_view node, std::string detail) {
  events_.push_back(
      Event{time_s, std::string(kind), std::string(object), std::string(node), std::move(detail)});
}

Recorder::SeriesId Recorder::declare_series(std::string name,
                                            std::vector<std::string> value_columns) {
  for (SeriesId i = 0; i < series_.size(); ++i)
    if (series_[i].name == name) return i;
  series_.emplace_back(std::move(name), std::move(value_columns));
  return series_.size() - 1;
}

void Recorder::sample(SeriesId id, double time_s, std::string_view object,
                      std::initializer_list<double> values) {
  series_.at(id).append(time_s, object, values);
}

void Series::append(double time_s, std::string_view object, std::initializer_list<double> values) {
  assert(values.size() == value_columns.size());
  auto it = object_index.find(object);
  if (it == object_index.end()) {
    it = object_index.emplace(std::string(object), object_names.size()).first;
    object_names.emplace_back(object);
  }
  rows_.append(time_s, it->second, values.begin());
}

void Recorder::count(std::string_view kind, std::uint64_t n) {
  auto it = counts_.find(kind);
  if (it == counts_.end()) it = counts_.emplace(std::string(kind), 0).first;
  it->second += n;
}

std::map<std::string, std::uint64_t> Recorder::event_counts() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& e : events_) ++out[e.kind];
  return out;
}

}  // namespace dlsim::sim
