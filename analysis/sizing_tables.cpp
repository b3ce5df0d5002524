// Queue tables and servers: how fast each table fills and drains, the daemon workers that keep
// it drained, and the server workers for the request rate and the latency targets.
#include <algorithm>
#include <cmath>
#include <deque>

#include <fmt/core.h>

#include "analysis/sizing.hpp"
#include "models/rucio/daemon_catalog.hpp"

namespace dlsim::analysis {
namespace {

namespace rucio = models::rucio;

// table_flow in one pass over a table's samples in time order, keeping only the samples of
// the last peak_window (a 7-day run's `tables` series is read back from its spill file, never
// held whole). The same operations in the same order as over the whole vectors.
class TableFlowPass {
 public:
  TableFlowPass(const scenario::SizingSpec& spec, double end_s) : spec_(spec), end_s_(end_s) {}

  void add(double t_s, double rows, double inserted, double drained) {
    // Peak inflow: each earlier sample i pairs with the first sample at least a window later
    // (a window of 0 pairs a sample with itself: 0/0, no rate).
    while (spec_.peak_window_s > 0 && !open_.empty() &&
           t_s - open_.front().first >= spec_.peak_window_s) {
      best_ = std::max(best_, (inserted - open_.front().second) / (t_s - open_.front().first));
      open_.pop_front();
    }
    open_.emplace_back(t_s, inserted);
    f_.rows_max = std::max(f_.rows_max, rows);
    if (t_s <= end_s_ - spec_.growing_window_s) f_.rows_window_before_end = rows;
    if (n_ > 0 && rows_ > 0 && rows > 0) {
      f_.busy_s += t_s - t_;
      drained_busy_ += drained - drained_;
    }
    ++n_;
    t_ = t_s, rows_ = rows, inserted_ = inserted, drained_ = drained;
  }
  double inserted_last() const { return inserted_; }
  TableFlow finish() const;

 private:
  const scenario::SizingSpec& spec_;
  double end_s_;
  TableFlow f_;
  std::deque<std::pair<double, double>> open_;  // (time, inserted) not yet paired
  double best_ = 0, drained_busy_ = 0;
  std::size_t n_ = 0;
  double t_ = 0, rows_ = 0, inserted_ = 0, drained_ = 0;  // the last sample
};

TableFlow TableFlowPass::finish() const {
  TableFlow f = f_;
  if (n_ == 0) return f;
  f.inflow_mean_rows_s = end_s_ > 0 ? inserted_ / end_s_ : 0;
  double peak = n_ < 2 ? 0 : best_;
  if (n_ >= 2 && peak == 0 && t_ > 0) peak = inserted_ / t_;
  f.inflow_peak_rows_s = peak;
  f.rows_final = rows_;
  if (f.busy_s > 0) f.drain_busy_rows_s = drained_busy_ / f.busy_s;
  // Left growing: a backlog near its maximum at the end that still rises, or that the measured
  // drain rate would not clear within growing_window.
  const bool rising = f.rows_final > f.rows_window_before_end;
  const bool slow =
      !f.drain_busy_rows_s || f.rows_final > *f.drain_busy_rows_s * spec_.growing_window_s;
  f.growing =
      f.rows_final > 0 && f.rows_final >= spec_.growing_fraction * f.rows_max && (rising || slow);
  return f;
}

std::string partitioning_name(rucio::Partitioning p) {
  switch (p) {
    case rucio::Partitioning::PerThread:
      return "per-thread";
    case rucio::Partitioning::PerProcess:
      return "per-process";
    case rucio::Partitioning::None:
      return "none";
  }
  return "none";
}

const sim::Series* find_series(const sim::Recorder& r, const std::string& name) {
  for (const auto& s : r.series())
    if (s.name == name) return &s;
  return nullptr;
}

// Every table's flow from the `tables` series (columns rows, inserted, drained): one pass
// for each table's last sample time, one for the flows.
std::map<std::string, TableFlowPass> table_flows(const sim::Recorder& r,
                                                 const scenario::SizingSpec& spec) {
  std::map<std::string, TableFlowPass> out;
  const sim::Series* s = find_series(r, "tables");
  if (!s) return out;
  std::vector<double> end_s(s->object_names.size(), 0);
  s->for_each_row([&](const sim::SeriesRow& row) { end_s[row.object] = row.time_s; });
  std::vector<TableFlowPass*> pass(s->object_names.size(), nullptr);
  for (std::size_t i = 0; i < pass.size(); ++i)
    pass[i] = &out.try_emplace(s->object_names[i], spec, end_s[i]).first->second;
  s->for_each_row([&](const sim::SeriesRow& row) {
    pass[row.object]->add(row.time_s, row.values[0], row.values[1], row.values[2]);
  });
  return out;
}

// Workers of a service as its queue's partitioning counts them.
int workers_of(const scenario::ServiceSpec& svc, rucio::Partitioning p) {
  return p == rucio::Partitioning::PerThread ? svc.replicas * svc.threads : svc.replicas;
}

void advise_drain(TableDrain& d, const scenario::ServiceSpec& svc, rucio::Partitioning p,
                  const scenario::SizingSpec& spec, std::optional<double> transfers_unfinished) {
  const TableFlow& f = d.flow;
  d.workers_now = workers_of(svc, p);
  d.workers_needed = d.workers_now;
  d.replicas_recommended = svc.replicas;
  if (d.on_demand) {
    d.verdict = "a stock deleted when an RSE needs space (reaper not greedy), not a backlog";
    return;
  }
  if (!f.growing) {
    d.verdict = fmt::format(
        "keeps up ({} rows max, {} at the end); replicas kept: the run does "
        "not show what fewer workers would do",
        f.rows_max, f.rows_final);
    return;
  }
  // A SUBMITTED request leaves its table when the poller finds its transfer finished at FTS
  // (rucio 1.23.10 lib/rucio/daemons/conveyor/poller.py#L110-160). When the rows left are transfers
  // FTS has not finished, but for finished ones the pollers clear within growing_window at their
  // measured rate, the rows wait for FTS, not for a poller: more pollers would only poll the same
  // unfinished transfers more often.
  const double unpolled =
      transfers_unfinished ? std::max(0.0, f.rows_final - *transfers_unfinished) : 0.0;
  if (d.table == "REQUESTS_SUBMITTED" && transfers_unfinished && f.drain_busy_rows_s &&
      unpolled <= *f.drain_busy_rows_s * spec.growing_window_s) {
    d.transfer_bound = true;
    d.verdict = fmt::format(
        "growing, transfer-bound: its {} rows at the end are transfers FTS has not finished "
        "({} in FTS); more pollers cannot help; what would: FTS throughput (links, url-copy "
        "processes) or less inflow",
        f.rows_final, *transfers_unfinished);
    return;
  }
  if (p == rucio::Partitioning::None) {
    d.verdict =
        "growing, and more replicas or threads cannot help: every worker processes the same rows "
        "(no partitioning in this Rucio release); what would: more CPU per pod if throttled, "
        "a release that partitions it, or less inflow";
    return;
  }
  if (!f.drain_busy_rows_s || *f.drain_busy_rows_s <= 0) {
    d.verdict = "growing and never drained: the daemon is stuck (no capacity to scale)";
    return;
  }
  const double per_worker = *f.drain_busy_rows_s / d.workers_now;
  d.workers_needed = static_cast<int>(std::ceil(spec.margin * f.inflow_peak_rows_s / per_worker));
  d.workers_needed = std::max(d.workers_needed, d.workers_now + 1);
  const int per_replica = p == rucio::Partitioning::PerThread ? svc.threads : 1;
  d.replicas_recommended = (d.workers_needed + per_replica - 1) / per_replica;
  d.verdict = fmt::format(
      "growing: drains {:.2f} rows/s per worker when busy, inflow peak {:.2f} rows/s × {:g} needs "
      "{} workers = {} replicas × {} threads",
      per_worker, f.inflow_peak_rows_s, spec.margin, d.workers_needed, d.replicas_recommended,
      svc.threads);
}

}  // namespace

TableFlow table_flow(const TableSeries& t, const scenario::SizingSpec& spec) {
  TableFlowPass pass(spec, t.times_s.empty() ? 0 : t.times_s.back());
  for (std::size_t i = 0; i < t.times_s.size(); ++i)
    pass.add(t.times_s[i], t.rows[i], t.inserted[i], t.drained[i]);
  return pass.finish();
}

std::vector<TableDrain> size_tables(const scenario::Scenario& s, const sim::Recorder& r,
                                    std::optional<double> transfers_unfinished) {
  std::vector<TableDrain> out;
  const auto flows = table_flows(r, s.sizing);
  for (const auto& [name, pass] : flows) {
    TableDrain d;
    d.table = name;
    d.flow = pass.finish();
    if (pass.inserted_last() == 0) continue;
    for (const auto& [svc_name, svc] : s.rucio.daemons) {
      const rucio::DaemonKind* kind = rucio::find_daemon_kind(svc.kind);
      if (!kind || kind->drains != name) continue;
      d.service = svc_name;
      d.partitioning = partitioning_name(kind->partitioning);
      auto greedy = svc.options.find("greedy");
      d.on_demand = kind->name == "reaper" && (greedy == svc.options.end() || greedy->second == 0);
      advise_drain(d, svc, kind->partitioning, s.sizing, transfers_unfinished);
      break;
    }
    if (d.service.empty())
      d.verdict = d.flow.growing ? "growing: no daemon of the scenario drains it" : "no daemon";
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ApiLatency> api_latencies(const scenario::Scenario& s, const sim::Summary& summary) {
  std::vector<ApiLatency> out;
  for (const auto& a : summary.api) {
    ApiLatency l;
    l.service = a.service;
    l.operation = a.operation;
    l.requests = a.requests;
    l.rate_per_s = summary.simulated_s > 0 ? a.requests / summary.simulated_s : 0;
    l.p50_s = a.p50_s;
    l.p99_s = a.p99_s;
    if (auto it = s.sizing.p99_targets_s.find(a.operation); it != s.sizing.p99_targets_s.end()) {
      l.target_p99_s = it->second;
      l.met = a.p99_s <= it->second;
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace dlsim::analysis
