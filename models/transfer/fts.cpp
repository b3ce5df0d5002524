#include "models/transfer/fts.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/core.h>

namespace dlsim::models::transfer {
namespace {

struct RandomFailures {
  double rate = 0;
  FailureClass kind = FailureClass::kRecoverable;
};

// The failure rate of transfers to `dst` ending now: the RSE's own or the global one, or, in
// one of its failure episodes, the episode's rate with its error class (docs/scenario.md).
RandomFailures random_failures(const storage::Rse& dst, double global_rate, double now_s) {
  RandomFailures out{dst.failure_rate().value_or(global_rate), FailureClass::kRecoverable};
  for (const scenario::FailureEpisode& e : dst.failure_episodes())
    if (now_s >= e.start_s && now_s < e.start_s + e.duration_s)
      out = {e.rate, failure_class(e.kind)};
  return out;
}

}  // namespace

Fts::Fts(sim::ModelContext& ctx, sim::Host* host, storage::Storage& storage,
         const scenario::TransferSpec& spec)
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
      if (link.queued > 0 || link.in_flight > 0) {  // getActivePairs: ACTIVE or SUBMITTED
        link.limit = optimizer_->decide(key, measure(link, now), now).value;
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
      if (spec_.model == scenario::TransferModel::PerFile) {
        spawn_workers(link);
      } else {
        wake(link);  // a raised limit is filled at the next scheduling tick
      }
    }
  }
}

void Fts::spawn_workers(Link& link) {
  auto name = fmt::format("fts/{}->{}", storage_.rse(link.source).name(),
                          storage_.rse(link.destination).name());
  if (spec_.model == scenario::TransferModel::PerLink) {
    // One long-lived actor per link, parked while its queue is empty.
    if (link.active_workers == 0) {
      link.active_workers = 1;
      link.wake = simgrid::s4u::Semaphore::create(0);
      sim::spawn(name, host_, [this, &link] { link_waves(link); });
    } else {
      wake(link);
    }
    return;
  }
  // One worker per active slot, up to the link's limit and the host's url-copy cap.
  while (link.active_workers < link.limit && link.active_workers < link.queued &&
         url_copy_running_ < spec_.max_url_copy_processes) {
    ++link.active_workers;
    ++url_copy_running_;  // per_file: one worker is one url-copy process
    sim::spawn(name, host_, [this, &link] { worker(link); });
  }
}

void Fts::set_routes(std::unique_ptr<Network> network,
                     std::function<void(const RequestGroup&)> on_intermediate) {
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

Fts::Link* Fts::next_link(std::uint16_t at, const RequestGroup& g) {
  auto hop = next_hop(at, g.rse);
  return hop ? &link_for(at, *hop) : nullptr;
}

void Fts::enqueue(Link& link, const RequestGroup& g) {
  link.queue.push_back(g);
  link.queued_since_s.push_back(sim::now());
  link.queued += g.rows;
  link.submitted += g.rows;
  spawn_workers(link);
}

void Fts::submit(const RequestGroup& requests) {
  if (requests.rows <= 0) return;
  Link* link = next_link(requests.source_rse, requests);
  if (link == nullptr) {
    // No direct link and no multi-hop path: the submitter marks the requests NO_SOURCES
    // and the finisher never retries them (rucio 1.23.10 lib/rucio/core/request.py#L53-70).
    RequestGroup lost = requests;
    lost.failed = true;
    lost.attempt = kNoSources;
    ctx_.recorder.count("no_sources", static_cast<std::uint64_t>(lost.rows));
    finish(lost);
    return;
  }
  enqueue(*link, requests);
}

void Fts::end_attempts(Link& link, const RequestGroup& g, double start_s) {
  // The hop's destination: the request's own, or an intermediate RSE of a multihop job.
  storage::Rse& dst = storage_.rse(link.destination);
  const double now = sim::now();
  const auto [p, random_class] = random_failures(dst, spec_.failure_rate, now);
  std::int64_t no_space = 0;
  // A destination without room for the files fails them (no space left on the storage: not
  // recoverable, ENOSPC); the replicas are only registered by the finisher, so count what is
  // already there.
  const double room = dst.quota_bytes() - dst.bytes();
  if (g.bytes_per_row > 0 && room < static_cast<double>(g.rows) * g.bytes_per_row) {
    no_space =
        g.rows - std::clamp<std::int64_t>(
                     static_cast<std::int64_t>(std::max(0.0, room) / g.bytes_per_row), 0, g.rows);
  }
  // Random failures outside episodes are recoverable: an error FTS does not recognise is
  // (retryTransfer's default, heuristics.cpp#L131; assumption: the FDR's error classes are
  // not published).
  std::int64_t random = 0;
  if (p > 0) {
    auto& rng = ctx_.rng.stream("fts.failures");
    for (std::int64_t i = no_space; i < g.rows; ++i) random += sim::uniform01(rng) < p ? 1 : 0;
  }
  const std::int64_t failed = no_space + random;
  RequestGroup ok = g, bad = g;
  ok.rows = g.rows - failed;
  bad.rows = failed;
  bad.failed = true;
  link.done += ok.rows;
  link.failed += bad.rows;
  stats_.done(now, ok.rows);
  if (on_transfers_ended_) on_transfers_ended_(static_cast<double>(g.rows));
  const bool counted = recoverable(random_class);
  link.history.record({start_s, now, ok.rows, counted ? random : 0,
                       no_space + (counted ? 0 : random), g.bytes_per_row});
  link.bytes_done += static_cast<double>(ok.rows) * g.bytes_per_row;
  if (ok.rows > 0 && link.destination != g.rse) {
    // An intermediate hop: the copy is registered and the job goes on with the next hop. (A
    // failed hop fails the whole job, which the finisher retries from the start.)
    RequestGroup copy = ok;
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

void Fts::finish(const RequestGroup& done) {
  if (!finished_.empty()) {
    RequestGroup& tail = finished_.back();
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
    RequestGroup one = link.queue.front();
    one.rows = 1;
    stats_.started(sim::now() - link.queued_since_s.front(), 1);
    if (--link.queue.front().rows == 0) {
      link.queue.pop_front();
      link.queued_since_s.pop_front();
    }
    --link.queued;
    ++link.in_flight;
    const double start_s = sim::now();
    // Listed as running so that the optimizer pro-rates it (fts_window.hpp).
    auto running = link.waves.insert(
        link.waves.end(), Wave{start_s, 1, one.bytes_per_row, one.bytes_per_row, nullptr, {}});
    sim::sleep_for(spec_.setup_s);
    running->comm = sim::start_copy(src.host(), dst.host(), one.bytes_per_row);
    running->comm->wait();
    link.waves.erase(running);
    ctx_.recorder.count("transfer_attempts");
    --link.in_flight;
    end_attempts(link, one, start_s);
  }
  --link.active_workers;
  --url_copy_running_;
}

std::int64_t Fts::reserve_finished(std::int64_t rows) {
  const std::int64_t got = std::clamp<std::int64_t>(rows, 0, finished_unpolled());
  reserved_rows_ += got;
  return got;
}

std::int64_t Fts::collect_finished(std::int64_t reserved, std::vector<RequestGroup>& out) {
  release_finished(reserved);
  const std::int64_t max_rows = reserved;
  std::int64_t taken = 0;
  while (taken < max_rows && !finished_.empty()) {
    RequestGroup& head = finished_.front();
    std::int64_t n = std::min(head.rows, max_rows - taken);
    RequestGroup part = head;
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
  s.queue_wait = stats_.queue_wait();
  s.done_per_hour_mean =
      ctx_.horizon_s > 0 ? static_cast<double>(s.done) * 3600.0 / ctx_.horizon_s : 0;
  s.done_per_hour_max = stats_.done_per_hour_max();
  return s;
}

}  // namespace dlsim::models::transfer
