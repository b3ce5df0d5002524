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
  // One worker per active slot, up to the link's cap.
  while (link.active_workers < spec_.max_active_per_link && link.active_workers < link.queued) {
    ++link.active_workers;
    auto name = fmt::format("fts/{}->{}", storage_.rse(link.source).name(),
                            storage_.rse(link.destination).name());
    sim::spawn(name, host_, [this, &link] { worker(link); });
  }
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
    ++link.done;
    link.bytes_done += one.bytes_per_row;
    if (!finished_.empty()) {
      rucio::RowGroup& tail = finished_.back();
      if (tail.dataset == one.dataset && tail.rse == one.rse && tail.rule == one.rule &&
          tail.source_rse == one.source_rse && tail.bytes_per_row == one.bytes_per_row) {
        ++tail.rows;
        ++finished_rows_;
        continue;
      }
    }
    finished_.push_back(one);
    ++finished_rows_;
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
