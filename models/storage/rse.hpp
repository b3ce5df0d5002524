// Rucio Storage Elements: a storage host behind its site's link (docs/design.md §2, §3.4), the
// files and bytes of the replicas it holds, its quota and min-free watermark (fdr/rses.csv).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::storage {

class Rse {
 public:
  Rse(const scenario::RseSpec& spec, sim::Host* host) : spec_(spec), host_(host) {}

  const std::string& name() const { return spec_.name; }
  const std::string& site() const { return spec_.site; }
  sim::Host* host() const { return host_; }
  double quota_bytes() const { return spec_.quota_bytes; }
  double min_free_bytes() const { return spec_.min_free_bytes; }
  const std::optional<double>& failure_rate() const { return spec_.failure_rate; }
  const std::vector<scenario::FailureEpisode>& failure_episodes() const {
    return spec_.failure_episodes;
  }

  std::int64_t files() const { return files_; }
  double bytes() const { return bytes_; }
  std::int64_t files_max() const { return files_max_; }
  double free_bytes() const { return spec_.quota_bytes - bytes_; }
  // Under the watermark: the reaper must make room (rucio 1.23.10
  // lib/rucio/daemons/reaper/reaper2.py#L283-369).
  bool needs_space() const { return free_bytes() < spec_.min_free_bytes; }

  void add_replicas(std::int64_t files, double bytes);
  void remove_replicas(std::int64_t files, double bytes);
  // A client read `bytes` of this RSE's files (a download).
  void add_read(double bytes) { bytes_read_ += bytes; }
  double bytes_read() const { return bytes_read_; }

 private:
  scenario::RseSpec spec_;
  sim::Host* host_;
  std::int64_t files_ = 0;
  double bytes_ = 0;
  std::int64_t files_max_ = 0;
  double bytes_read_ = 0;
};

class Storage {
 public:
  explicit Storage(sim::ModelContext& ctx);

  std::uint16_t add(const scenario::RseSpec& spec, sim::Host* host);
  Rse& rse(std::uint16_t index) { return rses_[index]; }
  const Rse& rse(std::uint16_t index) const { return rses_[index]; }
  std::uint16_t index_of(const std::string& name) const;
  std::size_t size() const { return rses_.size(); }

  void sample();
  std::vector<sim::RseSummary> summaries() const;

 private:
  sim::ModelContext& ctx_;
  std::vector<Rse> rses_;
  sim::Recorder::SeriesId series_ = 0;
};

}  // namespace dlsim::models::storage
