// Queue tables and servers: how fast each table fills and drains, the daemon workers that keep
// it drained, and the server workers for the request rate and the latency targets.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "analysis/sizing.hpp"
#include "models/rucio/daemon_catalog.hpp"

namespace dlsim::analysis {
namespace {

namespace rucio = models::rucio;

// The highest mean inflow over any window of `window_s` (two pointers over the samples).
double peak_rate(const TableSeries& t, double window_s) {
  const std::size_t n = t.times_s.size();
  if (n < 2) return 0;
  double best = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < n; ++i) {
    while (j < n && t.times_s[j] - t.times_s[i] < window_s) ++j;
    if (j == n) break;
    best = std::max(best, (t.inserted[j] - t.inserted[i]) / (t.times_s[j] - t.times_s[i]));
  }
  if (best == 0 && t.times_s.back() > 0) best = t.inserted.back() / t.times_s.back();
  return best;
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

std::map<std::string, TableSeries> table_series(const sim::Recorder& r) {
  std::map<std::string, TableSeries> out;
  const sim::Series* s = find_series(r, "tables");
  if (!s) return out;
  for (std::size_t row = 0; row < s->times.size(); ++row) {
    auto& t = out[s->object_names[s->objects[row]]];
    t.times_s.push_back(s->times[row]);
    t.rows.push_back(s->values[row * 3]);
    t.inserted.push_back(s->values[row * 3 + 1]);
    t.drained.push_back(s->values[row * 3 + 2]);
  }
  return out;
}

// Workers of a service as its queue's partitioning counts them.
int workers_of(const sim::ServiceSpec& svc, rucio::Partitioning p) {
  return p == rucio::Partitioning::PerThread ? svc.replicas * svc.threads : svc.replicas;
}

void advise_drain(TableDrain& d, const sim::ServiceSpec& svc, rucio::Partitioning p,
                  const sim::SizingSpec& spec, std::optional<double> transfers_unfinished) {
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
  // (rucio-1.23.md §3.2). When the rows left are transfers FTS has not finished, but for
  // finished ones the pollers clear within growing_window at their measured rate, the rows
  // wait for FTS, not for a poller: more pollers would only poll the same unfinished
  // transfers more often.
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

TableFlow table_flow(const TableSeries& t, const sim::SizingSpec& spec) {
  TableFlow f;
  const std::size_t n = t.times_s.size();
  if (n == 0) return f;
  const double end_s = t.times_s.back();
  f.inflow_mean_rows_s = end_s > 0 ? t.inserted.back() / end_s : 0;
  f.inflow_peak_rows_s = peak_rate(t, spec.peak_window_s);
  f.rows_final = t.rows.back();
  double drained_busy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    f.rows_max = std::max(f.rows_max, t.rows[i]);
    if (t.times_s[i] <= end_s - spec.growing_window_s) f.rows_window_before_end = t.rows[i];
    if (i > 0 && t.rows[i - 1] > 0 && t.rows[i] > 0) {
      f.busy_s += t.times_s[i] - t.times_s[i - 1];
      drained_busy += t.drained[i] - t.drained[i - 1];
    }
  }
  if (f.busy_s > 0) f.drain_busy_rows_s = drained_busy / f.busy_s;
  // Left growing: a backlog near its maximum at the end that still rises, or that the measured
  // drain rate would not clear within growing_window.
  const bool rising = f.rows_final > f.rows_window_before_end;
  const bool slow =
      !f.drain_busy_rows_s || f.rows_final > *f.drain_busy_rows_s * spec.growing_window_s;
  f.growing =
      f.rows_final > 0 && f.rows_final >= spec.growing_fraction * f.rows_max && (rising || slow);
  return f;
}

std::vector<TableDrain> size_tables(const sim::Scenario& s, const sim::Recorder& r,
                                    std::optional<double> transfers_unfinished) {
  std::vector<TableDrain> out;
  auto series = table_series(r);
  for (const auto& [name, t] : series) {
    TableDrain d;
    d.table = name;
    d.flow = table_flow(t, s.sizing);
    if (t.inserted.empty() || t.inserted.back() == 0) continue;
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

std::vector<ApiLatency> api_latencies(const sim::Scenario& s, const sim::Summary& summary) {
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
