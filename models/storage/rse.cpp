#include "models/storage/rse.hpp"

#include <algorithm>
#include <stdexcept>

namespace dlsim::models::storage {

void Rse::add_replicas(std::int64_t files, double bytes) {
  files_ += files;
  bytes_ += bytes;
  files_max_ = std::max(files_max_, files_);
}

void Rse::remove_replicas(std::int64_t files, double bytes) {
  files_ = std::max<std::int64_t>(0, files_ - files);
  bytes_ = std::max(0.0, bytes_ - bytes);
}

Storage::Storage(sim::ModelContext& ctx) : ctx_(ctx) {
  series_ = ctx_.recorder.declare_series("rses", {"files", "bytes", "free_bytes"});
}

std::uint16_t Storage::add(const scenario::RseSpec& spec, sim::Host* host) {
  rses_.emplace_back(spec, host);
  return static_cast<std::uint16_t>(rses_.size() - 1);
}

std::uint16_t Storage::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < rses_.size(); ++i)
    if (rses_[i].name() == name) return static_cast<std::uint16_t>(i);
  throw std::logic_error("unknown RSE " + name + " (validation should have caught it)");
}

void Storage::sample() {
  const double t = sim::now();
  for (const auto& r : rses_)
    ctx_.recorder.sample(series_, t, r.name(),
                         {static_cast<double>(r.files()), r.bytes(), r.free_bytes()});
}

std::vector<sim::RseSummary> Storage::summaries() const {
  std::vector<sim::RseSummary> out;
  for (const auto& r : rses_)
    out.push_back({r.name(), r.files(), r.bytes(), r.quota_bytes(), r.files_max(), r.bytes_read()});
  return out;
}

}  // namespace dlsim::models::storage
