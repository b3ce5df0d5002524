// FTS hosts and service loads; see fts_deployment.hpp.
#include "models/transfer/fts_deployment.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

#include <fmt/core.h>

namespace dlsim::models::transfer {
namespace {
constexpr double kRateWindowS = 60;  // rate over the last minute
}  // namespace

int vm_slots(double vm_bytes, double others_bytes, double min_free_bytes, double process_bytes,
             int max_url_copy_processes) {
  const double room = vm_bytes - others_bytes - min_free_bytes;
  if (room < process_bytes) return 0;
  const auto fit = static_cast<std::int64_t>(std::floor(room / process_bytes));
  return static_cast<int>(std::min<std::int64_t>(fit, max_url_copy_processes));
}

UrlCopyHosts::UrlCopyHosts(std::vector<UrlCopyHost> hosts, int slots_per_host, double process_bytes)
    : hosts_(std::move(hosts)),
      running_(hosts_.size(), 0),
      slots_per_host_(slots_per_host),
      process_bytes_(process_bytes) {}

std::int64_t UrlCopyHosts::free_slots() const {
  std::int64_t free = 0;
  for (std::size_t h = 0; h < hosts_.size(); ++h)
    if (hosts_[h].up()) free += std::max<std::int64_t>(0, slots_per_host_ - running_[h]);
  return free;
}

std::int64_t UrlCopyHosts::capacity() const {
  std::int64_t up = 0;
  for (const auto& h : hosts_) up += h.up() ? 1 : 0;
  return up * slots_per_host_;
}

UrlCopyHosts::Allocation UrlCopyHosts::start(std::int64_t files) {
  Allocation a;
  while (files > 0) {
    // The up host with the most free slots; the lowest index among equals.
    std::optional<std::size_t> best;
    for (std::size_t h = 0; h < hosts_.size(); ++h)
      if (hosts_[h].up() && running_[h] < slots_per_host_ &&
          (!best || running_[h] < running_[*best]))
        best = h;
    if (!best) break;
    const std::int64_t n = std::min<std::int64_t>(files, slots_per_host_ - running_[*best]);
    running_[*best] += n;
    running_total_ += n;
    files -= n;
    a.emplace_back(*best, n);
    host_peak_ = std::max(host_peak_, running_[*best]);
    hold(*best);
  }
  running_peak_ = std::max(running_peak_, running_total_);
  return a;
}

void UrlCopyHosts::end(const Allocation& a) {
  for (const auto& [host, n] : a) {
    running_[host] -= n;
    running_total_ -= n;
    hold(host);
  }
}

void UrlCopyHosts::hold(std::size_t host) {
  if (hosts_[host].hold) hosts_[host].hold(static_cast<double>(running_[host]) * process_bytes_);
}

ServiceLoad::ServiceLoad(std::string name, std::vector<LoadPod> pods, double cpu_per_unit_s,
                         double period_s, sim::Host* meter_host)
    : name_(std::move(name)),
      pods_(std::move(pods)),
      owed_units_(pods_.size(), 0.0),
      cpu_per_unit_s_(cpu_per_unit_s),
      period_s_(period_s),
      meter_host_(meter_host) {}

void ServiceLoad::add(double units) {
  if (units <= 0) return;
  units_ += units;
  recent_.emplace_back(sim::now(), units);
  std::vector<std::size_t> up;
  for (std::size_t p = 0; p < pods_.size(); ++p)
    if (pods_[p].up()) up.push_back(p);
  if (up.empty()) {
    unserved_ += units;
    return;
  }
  for (std::size_t p : up) owed_units_[p] += units / static_cast<double>(up.size());
}

double ServiceLoad::rate() {
  const double now = sim::now();
  while (!recent_.empty() && recent_.front().first <= now - kRateWindowS) recent_.pop_front();
  double sum = 0;
  for (const auto& [t, units] : recent_) sum += units;
  // A window shorter than a minute at the start of the run.
  const double r = sum / std::min(kRateWindowS, std::max(now, period_s_));
  peak_rate_ = std::max(peak_rate_, r);
  return r;
}

void ServiceLoad::start() {
  sim::spawn(name_ + "/rate", meter_host_, [this] {
    for (;;) {
      sim::sleep_for(period_s_);
      rate();
    }
  });
  for (std::size_t p = 0; p < pods_.size(); ++p)
    sim::spawn(fmt::format("{}/{}", name_, p), pods_[p].actor_host, [this, p] {
      for (;;) {
        sim::sleep_for(period_s_);
        const double owed = std::exchange(owed_units_[p], 0.0);
        if (owed > 0 && pods_[p].up()) pods_[p].compute(owed * cpu_per_unit_s_);
      }
    });
}

}  // namespace dlsim::models::transfer
