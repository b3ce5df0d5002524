// FTS per_link mode: waves of transfers on FTS's scheduling grid, within the link's optimizer
// value and the host's url-copy cap, and the optimizer's measurements; see fts.hpp.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "models/transfer/fts.hpp"

namespace dlsim::models::transfer {

std::int64_t Fts::free_slots(const Link& link) const {
  const std::int64_t host_free =
      hosts_ ? hosts_->free_slots() : spec_.max_url_copy_processes - url_copy_running_;
  return std::max<std::int64_t>(0, std::min<std::int64_t>(link.limit - link.in_flight, host_free));
}

void Fts::wake(Link& link) {
  if (!link.parked || link.queued == 0 || free_slots(link) == 0) return;
  link.parked = false;
  link.wake->release();
}

void Fts::wake_all() {
  for (auto& [ends, link] : links_)
    if (link.wake) wake(link);
}

void Fts::link_waves(Link& link) {
  // FTS's TransfersService starts transfers in free slots every SchedulingInterval (2 s,
  // TransfersService.cpp#L68-L86, v3.9.5): a slot freed or granted between two runs is filled
  // at the next. Event-driven here, at no engine cost per idle tick: a link with files and
  // free slots sleeps to the next tick of the 2 s grid and takes, as one wave, every slot free
  // then (slots freed meanwhile join it). A 2 s polling loop would start the same files at
  // the same ticks for 43 200 more wake-ups a day; taking the slots at once and waiting in
  // the wave instead doubled the FDR's waves (154 k comms against 77 k), as each freed wave
  // started its own.
  const double tick = spec_.scheduling_interval_s;
  for (;;) {
    if (link.queued == 0 || free_slots(link) == 0) {
      link.parked = true;
      link.wake->acquire();
      continue;
    }
    const double next_tick = std::ceil(sim::now() / tick) * tick;
    if (next_tick > sim::now()) sim::sleep_until(next_tick);
    const std::int64_t files = std::min<std::int64_t>(free_slots(link), link.queued);
    if (files > 0) start_wave(link, files);
  }
}

void Fts::start_wave(Link& link, std::int64_t files) {
  std::vector<RequestGroup> groups;
  Wave wave;
  wave.start_s = sim::now();
  while (wave.files < files && !link.queue.empty()) {
    RequestGroup& head = link.queue.front();
    const std::int64_t n = std::min<std::int64_t>(head.rows, files - wave.files);
    RequestGroup part = head;
    part.rows = n;
    groups.push_back(part);
    stats_.started(wave.start_s - link.queued_since_s.front(), n);
    wave.files += n;
    wave.bytes += static_cast<double>(n) * part.bytes_per_row;
    head.rows -= n;
    if (head.rows == 0) {
      link.queue.pop_front();
      link.queued_since_s.pop_front();
    }
  }
  if (hosts_) wave.hosts = hosts_->start(wave.files);
  wave.file_bytes = wave.bytes / static_cast<double>(wave.files);
  link.queued -= wave.files;
  link.in_flight += static_cast<int>(wave.files);
  url_copy_running_ += wave.files;
  auto it = link.waves.insert(link.waves.end(), wave);
  link.jobs.push_back({it, std::move(groups)});
  if (!link.job_ready) link.job_ready = simgrid::s4u::Semaphore::create(0);
  // Hand the wave to an idle runner, or start one; each token has its own waiting runner.
  if (link.idle_runners > 0) {
    --link.idle_runners;
  } else {
    const auto name = fmt::format("fts/{}->{}/waves", storage_.rse(link.source).name(),
                                  storage_.rse(link.destination).name());
    sim::spawn(name, host_, [this, &link] { wave_runner(link); });
  }
  link.job_ready->release();
}

void Fts::wave_runner(Link& link) {
  for (;;) {
    link.job_ready->acquire();
    Link::Job job = std::move(link.jobs.front());
    link.jobs.pop_front();
    run_wave(link, job.wave, std::move(job.groups));
    ++link.idle_runners;
  }
}

void Fts::run_wave(Link& link, std::list<Wave>::iterator wave, std::vector<RequestGroup> groups) {
  sim::sleep_for(spec_.setup_s);
  // FTS forks one fts_url_copy process per file (FileTransferExecutor.cpp#L156-L192, v3.9.5),
  // each copying over its own TCP connection(s): the wave's flow carries `files` connections'
  // windows, not one. One stream per file: assumption; FTS's stream optimisation (#L97) gives
  // 1 whenever a link's active and queued transfers exceed its optimizer value (fts3
  // 3.14.4 OptimizerStreams.cpp), i.e. whenever the link has a backlog.
  wave->comm =
      sim::start_copy(storage_.rse(link.source).host(), storage_.rse(link.destination).host(),
                      wave->bytes, static_cast<int>(wave->files));
  wave->comm->wait();
  const double start_s = wave->start_s;
  const std::int64_t files = wave->files;
  const bool host_was_full =
      hosts_ ? hosts_->free_slots() == 0 : url_copy_running_ >= spec_.max_url_copy_processes;
  if (hosts_) hosts_->end(wave->hosts);
  link.waves.erase(wave);
  link.in_flight -= static_cast<int>(files);
  url_copy_running_ -= files;
  ctx_.recorder.count("transfer_attempts", static_cast<std::uint64_t>(files));
  for (const auto& g : groups) end_attempts(link, g, start_s);
  if (host_was_full) {
    wake_all();
  } else {
    wake(link);
  }
}

void Fts::set_hosts(std::unique_ptr<UrlCopyHosts> hosts) {
  hosts_ = std::move(hosts);
}

void Fts::set_service_hooks(std::function<void(double)> rest_calls,
                            std::function<void(double)> transfers_ended) {
  on_rest_calls_ = std::move(rest_calls);
  on_transfers_ended_ = std::move(transfers_ended);
}

void Fts::rest_calls(double calls) {
  if (on_rest_calls_) on_rest_calls_(calls);
}

std::int64_t Fts::queued() const {
  std::int64_t n = 0;
  for (const auto& [ends, link] : links_) n += link.queued;
  return n;
}

void Fts::start_capacity_watch() {
  // A server pod that comes up frees slots without any wave ending: look at every tick.
  sim::spawn("fts/capacity", host_, [this] {
    for (;;) {
      sim::sleep_for(spec_.scheduling_interval_s);
      if (hosts_->free_slots() > 0) wake_all();
    }
  });
}

LinkWindow Fts::measure(Link& link, double now_s) {
  std::vector<ActiveTransfers> running;
  for (const Wave& w : link.waves) {
    // url-copy's perf markers report the bytes moved so far; none during the setup.
    const double transferred = w.comm ? w.bytes - w.comm->get_remaining() : 0.0;
    running.push_back({w.start_s, w.files, w.file_bytes, transferred});
  }
  const int queued = static_cast<int>(std::min<std::int64_t>(link.queued, 1'000'000));
  return link.history.measure(now_s, running, link.in_flight, queued);
}

}  // namespace dlsim::models::transfer
