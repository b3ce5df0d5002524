// FTS as the conveyor sees it: per (source, destination) link a queue of submitted transfers
// and a number of active transfers, set every 60 s by the FTS optimizer (fts_optimizer.hpp,
// fts3 3.14.4 OptimizerConnections.cpp) from what the link did since the last decision, or fixed by
// transfers.max_active_per_link when the optimizer is off. A transfer is a
// third-party copy between the RSE hosts plus a per-transfer setup overhead (docs/design.md §2).
// Two engine mappings (transfers.model):
// - per_file: each active slot is a worker actor copying files one after another;
// - per_link: queued files start as waves: each wave takes the link's free slots (at most
//   the FTS host's free url-copy processes), waits one setup and moves its bytes as one
//   flow, bounded at its files × network.tcp_window per round trip (one url-copy process and
//   connection per file); all files of a wave finish together. Several waves of a link may run at
//   once when slots free up or are granted while one runs. Waves start on FTS's 2 s scheduling
//   grid.
// With transfers.fts the url-copy cap is per FTS host (fts_deployment.hpp): the waves take
// the hosts' free slots and hold their processes' memory there.
// The optimizer reads each link's recent history as FTS v3.9.5 reads t_file (fts_window.hpp).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <vector>

#include <simgrid/s4u/Semaphore.hpp>

#include "models/storage/rse.hpp"
#include "models/transfer/fts_deployment.hpp"
#include "models/transfer/fts_optimizer.hpp"
#include "models/transfer/fts_stats.hpp"
#include "models/transfer/fts_window.hpp"
#include "models/transfer/network.hpp"
#include "models/transfer/request_group.hpp"
#include "scenario/scenario.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::transfer {

class Fts {
 public:
  Fts(sim::ModelContext& ctx, sim::Host* host, storage::Storage& storage,
      const scenario::TransferSpec& spec);

  // Routes transfers source → destination: the direct link, or with multi-hop the
  // submitter's path through intermediate RSEs (network.hpp), run as one FTS multihop job.
  // Each intermediate copy is handed to `on_intermediate` (its group's rse is the hop's RSE)
  // to be registered as a temporary replica. Without routes, every pair is linked directly.
  void set_routes(std::unique_ptr<Network> network,
                  std::function<void(const RequestGroup&)> on_intermediate);
  // Whether transfers source → destination have a route (a direct link or a multihop path).
  bool routable(std::uint16_t source, std::uint16_t destination);
  // Submits transfers (one per row) from each group's source_rse to its rse, on the first
  // link of their route (the submitter sends only routable ones; a group without a route
  // would end at once as failed for good, attempt kNoSources).
  void submit(const RequestGroup& requests);
  static constexpr std::uint8_t kNoSources = 255;
  // Transfers that ended at FTS, not yet collected nor reserved by a poller worker.
  std::int64_t finished_unpolled() const { return finished_rows_ - reserved_rows_; }
  // A poller worker that found up to `rows` of them in its FTS replies reserves them for its
  // cycle (so that workers polling at the same time do not count the same ones); returns
  // how many it got. The reservation ends with collect_finished or release_finished.
  std::int64_t reserve_finished(std::int64_t rows);
  void release_finished(std::int64_t rows) { reserved_rows_ -= rows; }
  // Hands `reserved` finished transfers, reserved before, to the poller.
  std::int64_t collect_finished(std::int64_t reserved, std::vector<RequestGroup>& out);

  sim::TransferSummary summary() const;
  // Starts the optimizer's 60 s loop (no-op when transfers.optimizer is off).
  void start_optimizer();

  // transfers.fts: the FTS hosts whose url-copy slots replace the single host's cap, and
  // the services told of FTS's REST calls and of the transfers that end (their CPU).
  void set_hosts(std::unique_ptr<UrlCopyHosts> hosts);
  const UrlCopyHosts* hosts() const { return hosts_.get(); }
  void set_service_hooks(std::function<void(double)> rest_calls,
                         std::function<void(double)> transfers_ended);
  // REST calls made to FTS now (the conveyor's job submissions and status queries).
  void rest_calls(double calls);
  // Transfers waiting in FTS's queues (SUBMITTED), over all links.
  std::int64_t queued() const;
  // Wakes parked links every scheduling interval when the hosts have free slots (new hosts
  // come up without a transfer ending). Needs set_hosts.
  void start_capacity_watch();

 private:
  // Files of one link running together (per_link), or one file (per_file).
  struct Wave {
    double start_s = 0;
    std::int64_t files = 0;
    double bytes = 0;
    double file_bytes = 0;
    sim::CommPtr comm;               // null during the setup
    UrlCopyHosts::Allocation hosts;  // transfers.fts: the url-copy processes' hosts
  };
  struct Link {
    std::uint16_t source = 0;
    std::uint16_t destination = 0;
    std::deque<RequestGroup> queue;
    std::deque<double> queued_since_s;  // submission time of each group of `queue`
    std::int64_t queued = 0;
    int active_workers = 0;
    std::int64_t submitted = 0;
    std::int64_t done = 0;
    std::int64_t failed = 0;
    double bytes_done = 0;
    int limit = 0;  // allowed active transfers
    // per_link: the link's actor parks on this while the queue is empty.
    simgrid::s4u::SemaphorePtr wake;
    bool parked = false;
    int in_flight = 0;
    std::list<Wave> waves;  // running now
    LinkHistory history;    // what ended, for the optimizer
    // per_link: waves handed to the link's runner actors (reused: an actor per wave cost the
    // FDR 77 k actor creations), one semaphore token per pending wave.
    struct Job {
      std::list<Wave>::iterator wave;
      std::vector<RequestGroup> groups;
    };
    std::deque<Job> jobs;
    simgrid::s4u::SemaphorePtr job_ready;
    int idle_runners = 0;
  };
  Link& link_for(std::uint16_t source, std::uint16_t destination);
  void spawn_workers(Link& link);
  void run_optimizer();
  void worker(Link& link);
  void link_waves(Link& link);
  // Slots the link may start now: its limit less what runs, within the host's url-copy cap.
  std::int64_t free_slots(const Link& link) const;
  void start_wave(Link& link, std::int64_t files);
  void run_wave(Link& link, std::list<Wave>::iterator wave, std::vector<RequestGroup> groups);
  void wave_runner(Link& link);
  // Wakes a parked link that has work and free slots; `all` wakes every such link (the
  // host's url-copy cap was reached and a slot came free).
  void wake(Link& link);
  void wake_all();
  LinkWindow measure(Link& link, double now_s);
  void finish(const RequestGroup& done);
  std::optional<std::uint16_t> next_hop(std::uint16_t at, std::uint16_t destination);
  // The next link of a group's route from `at`, or nullptr when there is none.
  Link* next_link(std::uint16_t at, const RequestGroup& g);
  void enqueue(Link& link, const RequestGroup& g);
  // Ends the attempts of `g` (one group of a wave): each fails with the destination's failure
  // probability; finished and failed parts go to the poller.
  void end_attempts(Link& link, const RequestGroup& g, double start_s);

  sim::ModelContext& ctx_;
  sim::Host* host_;
  storage::Storage& storage_;
  scenario::TransferSpec spec_;
  std::map<std::pair<std::uint16_t, std::uint16_t>, Link> links_;
  std::deque<RequestGroup> finished_;
  std::int64_t finished_rows_ = 0;
  std::int64_t reserved_rows_ = 0;
  std::int64_t url_copy_running_ = 0;  // running transfers over all links
  std::optional<FtsOptimizer> optimizer_;
  std::unique_ptr<Network> routes_;
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::optional<std::uint16_t>> next_hop_;
  std::function<void(const RequestGroup&)> on_intermediate_;
  sim::Recorder::SeriesId series_ = 0;
  std::unique_ptr<UrlCopyHosts> hosts_;
  std::function<void(double)> on_rest_calls_;
  std::function<void(double)> on_transfers_ended_;
  TransferStats stats_;
};

}  // namespace dlsim::models::transfer
