#include "models/transfer/fts.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/core.h>

namespace dlsim::models::transfer {

Fts::Fts(sim::ModelContext& ctx, sim::Host* host, storage::Storage& storage,
         const sim::TransferSpec& spec)
    : ctx_(ctx), host_(host), storage_(storage), spec_(spec) {
  if (spec_.optimizer) optimizer_.emplace(OptimizerConfig{});
  series_ = ctx_.recorder.declare_series(
      "links", {"active_limit", "queued", "in_flight", "done", "failed", "bytes_done"});
}

Fts::Link& Fts::link_for(std::uint16_t source, std::uint16_t destination) {
  auto [it, fresh] = links_.try_emplace({source, destination});
  Link& link = it->second;
  if (fresh) {
    link.source = source;
    link.destination = destination;
    link.limit = spec_.max_active_per_link;
    if (optimizer_) {
      // A link seen for the first time gets the optimizer's starting value at once.
      LinkKey key{storage_.rse(source).name(), storage_.rse(destination).name()};
      link.limit = optimizer_->decide(key, LinkWindow{}, sim::now()).value;
    }
  }
  return link;
}

void Fts::start_optimizer() {
  if (optimizer_) sim::spawn("fts/optimizer", host_, [this] { run_optimizer(); });
}

void Fts::run_optimizer() {
  const double interval = optimizer_->config().interval_s;
  for (;;) {
    sim::sleep_for(interval);
    const double now = sim::now();
    std::map<LinkKey, int> wanted;
    for (auto& [ends, link] : links_) {
      LinkKey key{storage_.rse(link.source).name(), storage_.rse(link.destination).name()};
      if (link.queued > 0 || link.in_flight > 0) {
        LinkWindow window;
        window.active = link.in_flight;
        window.queued = static_cast<int>(std::min<std::int64_t>(link.queued, 1'000'000));
        window.finished = link.window_finished;
        window.failed = link.window_failed;
        window.bytes = link.window_bytes;
        // The measurement window is the optimizer interval here (FTS: 5-30 min, §C.3).
        window.window_s = interval;
        if (link.window_finished > 0)
          window.mean_file_bytes = link.window_bytes / link.window_finished;
        link.limit = optimizer_->decide(key, window, now).value;
        link.window_finished = link.window_failed = 0;
        link.window_bytes = 0;
        wanted[key] = link.limit;
      }
    }
    // Storage endpoints share their inbound/outbound limits between their links.
    auto capped = apply_endpoint_caps(wanted, optimizer_->config());
    for (auto& [ends, link] : links_) {
      LinkKey key{storage_.rse(link.source).name(), storage_.rse(link.destination).name()};
      auto cap = capped.find(key);
      if (cap == capped.end()) continue;  // idle link: keeps its value until it is active
      link.limit = std::max(1, cap->second);
      ctx_.recorder.sample(series_, now, key.source + "->" + key.destination,
                           {static_cast<double>(link.limit), static_cast<double>(link.queued),
                            static_cast<double>(link.in_flight), static_cast<double>(link.done),
                            static_cast<double>(link.failed), link.bytes_done});
      if (spec_.model == sim::TransferModel::PerFile) spawn_workers(link);
    }
  }
}

void Fts::spawn_workers(Link& link) {
  auto name = fmt::format("fts/{}->{}", storage_.rse(link.source).name(),
                          storage_.rse(link.destination).name());
  if (spec_.model == sim::TransferModel::PerLink) {
    // One long-lived actor per link, parked while its queue is empty.
    if (link.active_workers == 0) {
      link.active_workers = 1;
      link.wake = simgrid::s4u::Semaphore::create(0);
      sim::spawn(name, host_, [this, &link] { link_waves(link); });
    } else if (link.parked && link.queued > 0) {
      link.parked = false;
      link.wake->release();
    }
    return;
  }
  // One worker per active slot, up to the link's limit.
  while (link.active_workers < link.limit && link.active_workers < link.queued) {
    ++link.active_workers;
    sim::spawn(name, host_, [this, &link] { worker(link); });
  }
}

void Fts::set_routes(std::unique_ptr<Network> network,
                     std::function<void(const rucio::RowGroup&)> on_intermediate) {
  routes_ = std::move(network);
  on_intermediate_ = std::move(on_intermediate);
}

std::optional<std::uint16_t> Fts::next_hop(std::uint16_t at, std::uint16_t destination) {
  if (!routes_) return destination;
  // Routes do not change during a run: the next hop of each (at, destination) is kept.
  auto [it, fresh] = next_hop_.try_emplace({at, destination});
  if (fresh) {
    auto hops = routes_->path(storage_.rse(at).name(), storage_.rse(destination).name());
    if (hops && !hops->empty()) it->second = storage_.index_of(hops->front().destination);
  }
  return it->second;
}

bool Fts::routable(std::uint16_t source, std::uint16_t destination) {
  return next_hop(source, destination).has_value();
}

Fts::Link* Fts::next_link(std::uint16_t at, const rucio::RowGroup& g) {
  auto hop = next_hop(at, g.rse);
  return hop ? &link_for(at, *hop) : nullptr;
}

void Fts::enqueue(Link& link, const rucio::RowGroup& g) {
  link.queue.push_back(g);
  link.queued += g.rows;
  link.submitted += g.rows;
  spawn_workers(link);
}

void Fts::submit(const rucio::RowGroup& requests) {
  if (requests.rows <= 0) return;
  Link* link = next_link(requests.source_rse, requests);
  if (link == nullptr) {
    // No direct link and no multi-hop path: the submitter marks the requests NO_SOURCES
    // and the finisher never retries them (rucio-1.23.md §3.3.3).
    rucio::RowGroup lost = requests;
    lost.failed = true;
    lost.attempt = kNoSources;
    ctx_.recorder.count("no_sources", static_cast<std::uint64_t>(lost.rows));
    finish(lost);
    return;
  }
  enqueue(*link, requests);
}

void Fts::link_waves(Link& link) {
  storage::Rse& src = storage_.rse(link.source);
  storage::Rse& dst = storage_.rse(link.destination);
  std::vector<rucio::RowGroup> wave;
  for (;;) {
    if (link.queued == 0) {
      link.parked = true;
      link.wake->acquire();
      continue;
    }
    wave.clear();
    std::int64_t files = 0;
    double bytes = 0;
    while (files < link.limit && !link.queue.empty()) {
      rucio::RowGroup& head = link.queue.front();
      std::int64_t n = std::min<std::int64_t>(head.rows, link.limit - files);
      rucio::RowGroup part = head;
      part.rows = n;
      wave.push_back(part);
      files += n;
      bytes += static_cast<double>(n) * part.bytes_per_row;
      head.rows -= n;
      if (head.rows == 0) link.queue.pop_front();
    }
    link.queued -= files;
    link.in_flight = static_cast<int>(files);
    sim::sleep_for(spec_.setup_s);
    sim::copy_bytes(src.host(), dst.host(), bytes);
    link.in_flight = 0;
    ctx_.recorder.count("transfer_attempts", static_cast<std::uint64_t>(files));
    for (const auto& g : wave) end_attempts(link, g);
  }
}

void Fts::end_attempts(Link& link, const rucio::RowGroup& g) {
  // The hop's destination: the request's own, or an intermediate RSE of a multihop job.
  storage::Rse& dst = storage_.rse(link.destination);
  const double p = dst.failure_rate().value_or(spec_.failure_rate);
  std::int64_t failed = 0;
  // A destination without room for the files fails them (no space left on the storage);
  // the replicas are only registered by the finisher, so count what is already there.
  const double room = dst.quota_bytes() - dst.bytes();
  if (g.bytes_per_row > 0 && room < static_cast<double>(g.rows) * g.bytes_per_row) {
    failed =
        g.rows - std::clamp<std::int64_t>(
                     static_cast<std::int64_t>(std::max(0.0, room) / g.bytes_per_row), 0, g.rows);
  }
  if (p > 0) {
    auto& rng = ctx_.rng.stream("fts.failures");
    for (std::int64_t i = failed; i < g.rows; ++i) failed += sim::uniform01(rng) < p ? 1 : 0;
  }
  rucio::RowGroup ok = g, bad = g;
  ok.rows = g.rows - failed;
  bad.rows = failed;
  bad.failed = true;
  link.done += ok.rows;
  link.failed += bad.rows;
  link.window_finished += static_cast<int>(ok.rows);
  link.window_failed += static_cast<int>(bad.rows);
  link.window_bytes += static_cast<double>(ok.rows) * g.bytes_per_row;
  link.bytes_done += static_cast<double>(ok.rows) * g.bytes_per_row;
  if (ok.rows > 0 && link.destination != g.rse) {
    // An intermediate hop: the copy is registered and the job goes on with the next hop. (A
    // failed hop fails the whole job, which the finisher retries from the start.)
    rucio::RowGroup copy = ok;
    copy.rse = link.destination;
    if (on_intermediate_) on_intermediate_(copy);
    // A path's remainder from one of its hops is still a path, so the next link exists.
    Link* next = next_link(link.destination, ok);
    if (next == nullptr) throw std::logic_error("multihop path without its next hop");
    enqueue(*next, ok);
  } else if (ok.rows > 0) {
    finish(ok);
  }
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
  while (link.queued > 0 && link.active_workers <= link.limit) {
    rucio::RowGroup one = link.queue.front();
    one.rows = 1;
    if (--link.queue.front().rows == 0) link.queue.pop_front();
    --link.queued;
    ++link.in_flight;
    sim::sleep_for(spec_.setup_s);
    sim::copy_bytes(src.host(), dst.host(), one.bytes_per_row);
    ctx_.recorder.count("transfer_attempts");
    --link.in_flight;
    end_attempts(link, one);
  }
  --link.active_workers;
}

std::int64_t Fts::reserve_finished(std::int64_t rows) {
  const std::int64_t got = std::clamp<std::int64_t>(rows, 0, finished_unpolled());
  reserved_rows_ += got;
  return got;
}

std::int64_t Fts::collect_finished(std::int64_t reserved, std::vector<rucio::RowGroup>& out) {
  release_finished(reserved);
  const std::int64_t max_rows = reserved;
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
