#include "models/transfer/fts.hpp"

#include <fmt/core.h>

namespace dlsim::models::transfer {

Fts::Fts(sim::ModelContext& ctx, sim::Host* host, storage::Storage& storage,
         const sim::TransferSpec& spec)
    : ctx_(ctx), host_(host), storage_(storage), spec_(spec) {}

void Fts::submit(const rucio::RowGroup& requests) {
  if (requests.rows <= 0) return;
  auto key = std::make_pair(requests.source_rse, requests.rse);
  Link& link = links_[key];
  link.source = requests.source_rse;
  link.destination = requests.rse;
  link.queue.push_back(requests);
  link.queued += requests.rows;
  link.submitted += requests.rows;
  auto name = fmt::format("fts/{}->{}", storage_.rse(link.source).name(),
                          storage_.rse(link.destination).name());
  if (spec_.model == sim::TransferModel::PerLink) {
    if (link.active_workers == 0) {
      link.active_workers = 1;
      sim::spawn(name, host_, [this, &link] { link_waves(link); });
    }
    return;
  }
  // One worker per active slot, up to the link's cap.
  while (link.active_workers < spec_.max_active_per_link && link.active_workers < link.queued) {
    ++link.active_workers;
    sim::spawn(name, host_, [this, &link] { worker(link); });
  }
}

void Fts::link_waves(Link& link) {
  storage::Rse& src = storage_.rse(link.source);
  storage::Rse& dst = storage_.rse(link.destination);
  std::vector<rucio::RowGroup> wave;
  while (link.queued > 0) {
    wave.clear();
    std::int64_t files = 0;
    double bytes = 0;
    while (files < spec_.max_active_per_link && !link.queue.empty()) {
      rucio::RowGroup& head = link.queue.front();
      std::int64_t n = std::min<std::int64_t>(head.rows, spec_.max_active_per_link - files);
      rucio::RowGroup part = head;
      part.rows = n;
      wave.push_back(part);
      files += n;
      bytes += static_cast<double>(n) * part.bytes_per_row;
      head.rows -= n;
      if (head.rows == 0) link.queue.pop_front();
    }
    link.queued -= files;
    sim::sleep_for(spec_.setup_s);
    sim::copy_bytes(src.host(), dst.host(), bytes);
    ctx_.recorder.count_activity("transfer", static_cast<std::uint64_t>(files));
    for (const auto& g : wave) end_attempts(link, g);
  }
  link.active_workers = 0;
}

void Fts::end_attempts(Link& link, const rucio::RowGroup& g) {
  const double p = storage_.rse(g.rse).failure_rate().value_or(spec_.failure_rate);
  std::int64_t failed = 0;
  if (p > 0) {
    auto& rng = ctx_.rng.stream("fts.failures");
    for (std::int64_t i = 0; i < g.rows; ++i) failed += sim::uniform01(rng) < p ? 1 : 0;
  }
  rucio::RowGroup ok = g, bad = g;
  ok.rows = g.rows - failed;
  bad.rows = failed;
  bad.failed = true;
  link.done += ok.rows;
  link.failed += bad.rows;
  link.bytes_done += static_cast<double>(ok.rows) * g.bytes_per_row;
  if (ok.rows > 0) finish(ok);
  if (bad.rows > 0) finish(bad);
}

void Fts::finish(const rucio::RowGroup& done) {
  if (!finished_.empty()) {
    rucio::RowGroup& tail = finished_.back();
    if (tail.same_rows(done)) {
      tail.rows += done.rows;
      finished_rows_ += done.rows;
      return;
    }
  }
  finished_.push_back(done);
  finished_rows_ += done.rows;
}

void Fts::worker(Link& link) {
  storage::Rse& src = storage_.rse(link.source);
  storage::Rse& dst = storage_.rse(link.destination);
  while (link.queued > 0) {
    rucio::RowGroup one = link.queue.front();
    one.rows = 1;
    if (--link.queue.front().rows == 0) link.queue.pop_front();
    --link.queued;
    sim::sleep_for(spec_.setup_s);
    sim::copy_bytes(src.host(), dst.host(), one.bytes_per_row);
    ctx_.recorder.count_activity("transfer");
    end_attempts(link, one);
  }
  --link.active_workers;
}

std::int64_t Fts::collect_finished(std::int64_t max_rows, std::vector<rucio::RowGroup>& out) {
  std::int64_t taken = 0;
  while (taken < max_rows && !finished_.empty()) {
    rucio::RowGroup& head = finished_.front();
    std::int64_t n = std::min(head.rows, max_rows - taken);
    rucio::RowGroup part = head;
    part.rows = n;
    out.push_back(part);
    head.rows -= n;
    taken += n;
    if (head.rows == 0) finished_.pop_front();
  }
  finished_rows_ -= taken;
  return taken;
}

sim::TransferSummary Fts::summary() const {
  sim::TransferSummary s;
  for (const auto& [key, link] : links_) {
    sim::LinkSummary l{storage_.rse(link.source).name(),
                       storage_.rse(link.destination).name(),
                       link.submitted,
                       link.done,
                       link.failed,
                       link.bytes_done};
    s.submitted += l.submitted;
    s.done += l.done;
    s.failed += l.failed;
    s.bytes_done += l.bytes_done;
    s.links.push_back(std::move(l));
  }
  return s;
}

}  // namespace dlsim::models::transfer
