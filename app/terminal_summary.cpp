// The terminal summary of a run; see terminal_summary.hpp. Every figure comes from the
// summary (summary.json); this file only chooses and formats.
#include "app/terminal_summary.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "scenario/units.hpp"

namespace dlsim::sim {
namespace {

bool has_rucio(const scenario::Scenario& s) {
  return !s.rucio.servers.empty() || !s.rucio.daemons.empty();
}

std::string services_block(const Summary& s) {
  std::string out =
      fmt::format("{:<28} {:>5} {:>9} {:>9} {:>11} {:>5} {:>8} {:>9}\n", "service", "pods",
                  "cpu mean", "cpu max", "mem ws max", "OOM", "restarts", "throttled");
  for (const auto& v : s.services)
    out += fmt::format("{:<28} {:>5} {:>9.3f} {:>9.3f} {:>11} {:>5} {:>8} {:>8.0f}%\n", v.name,
                       v.replicas, v.cpu_mean_cores, v.cpu_max_cores,
                       scenario::units::format_bytes(v.mem_ws_max_bytes), v.oom_kills, v.restarts,
                       100 * v.throttled_fraction);
  return out;
}

// With transfers.fts, the figures that compare its deployments (summary.json transfers:
// queue_wait, done_per_hour_*, fts.memory_bytes.for_transfers).
std::string fts_lines(const TransferSummary& t) {
  auto d = [](double seconds) { return scenario::units::format_duration(seconds); };
  return fmt::format(
      "FTS ({}): queue wait p50 {}, p95 {}, max {}; transfers per hour mean {:.0f}, max {}; "
      "memory for transfers {}\n",
      t.fts->deployment, d(t.queue_wait.p50_s), d(t.queue_wait.p95_s), d(t.queue_wait.max_s),
      t.done_per_hour_mean, t.done_per_hour_max,
      scenario::units::format_bytes(t.fts->memory_for_transfers_bytes));
}

std::string transfers_block(const scenario::Scenario& sc, const Summary& s) {
  std::string out = fmt::format("transfers: {} submitted, {} done, {} failed, {}\n",
                                s.transfers.submitted, s.transfers.done, s.transfers.failed,
                                scenario::units::format_bytes(s.transfers.bytes_done));
  if (sc.transfers.fts && s.transfers.fts) out += fts_lines(s.transfers);
  return out;
}

std::string queues_block(const Summary& s) {
  std::string out = fmt::format("{:<28} {:>12} {:>12} {:>12}\n", "queue table", "rows max",
                                "rows final", "inserted");
  for (const auto& t : s.tables)
    if (t.inserted > 0)
      out += fmt::format("{:<28} {:>12} {:>12} {:>12}\n", t.name, t.rows_max, t.rows_final,
                         t.inserted);
  return out;
}

// Jobs and vacuum pools: pods submitted (created), running, done, failed and pending at the
// end, their waits for a node (creation → scheduling), live pods min-max and pod-hours.
std::string batch_block(const Summary& s) {
  auto d = [](double seconds) { return scenario::units::format_duration(seconds); };
  std::string out =
      fmt::format("{:<20} {:<6} {:>9} {:>7} {:>6} {:>6} {:>7} {:>8} {:>8} {:>8} {:>7} {:>9}\n",
                  "batch", "kind", "submitted", "running", "done", "failed", "pending", "wait p50",
                  "wait p95", "wait max", "pods", "pod-hours");
  for (const auto& j : s.jobs)
    out +=
        fmt::format("{:<20} {:<6} {:>9} {:>7} {:>6} {:>6} {:>7} {:>8} {:>8} {:>8} {:>7} {:>9.2f}\n",
                    j.name, j.kind, j.pods_created, j.running_final, j.succeeded, j.failed,
                    j.pending_final, d(j.wait_p50_s), d(j.wait_p95_s), d(j.wait_max_s),
                    fmt::format("{}-{}", j.pods_min, j.pods_max), j.pod_hours);
  for (const auto& j : s.jobs)
    if (j.kind == "vacuum")
      out += fmt::format("{}: {} payloads done, {} pilots found no work, {} back-offs\n", j.name,
                         j.payloads_done, j.no_work, j.backoffs);
  return out;
}

std::string autoscaled_block(const scenario::Scenario& sc, const Summary& s) {
  std::string out = fmt::format("{:<28} {:>12} {:>12} {:>10}\n", "autoscaled service",
                                "replicas min", "replicas max", "pod-hours");
  for (const auto& v : s.services) {
    const auto* spec = sc.rucio.servers.contains(v.name)   ? &sc.rucio.servers.at(v.name)
                       : sc.rucio.daemons.contains(v.name) ? &sc.rucio.daemons.at(v.name)
                                                           : nullptr;
    if (spec && spec->autoscaling)
      out += fmt::format("{:<28} {:>12} {:>12} {:>10.2f}\n", v.name, v.pods_min, v.pods_max,
                         v.pod_hours);
  }
  return out;
}

// Cost and usage of every node pool: nodes over the run, node-hours and CPU core-hours
// (allocatable, requested, used; idle = allocatable − used), and cost when priced.
std::string pools_block(const Summary& s) {
  std::string out = fmt::format("{:<16} {:<9} {:>9} {:>10} {:>11} {:>9} {:>9} {:>9} {:>10}\n",
                                "node pool", "capacity", "nodes", "node-hours", "core-h alloc",
                                "requested", "used", "idle", "cost");
  for (const auto& p : s.pools) {
    const std::string cost = p.price_per_node_hour > 0 ? fmt::format("{:.2f}", p.cost) : "-";
    out += fmt::format("{:<16} {:<9} {:>9} {:>10.2f} {:>11.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>10}\n",
                       p.name, p.capacity_type, fmt::format("{}-{}", p.nodes_min, p.nodes_max),
                       p.node_hours, p.cpu_allocatable_core_hours, p.cpu_requested_core_hours,
                       p.cpu_used_core_hours,
                       std::max(0.0, p.cpu_allocatable_core_hours - p.cpu_used_core_hours), cost);
  }
  return out;
}

}  // namespace

std::string terminal_summary(const scenario::Scenario& scenario, const Summary& summary) {
  std::string out;
  if (has_rucio(scenario)) out += services_block(summary);
  if (!scenario.rses.empty() || summary.transfers.submitted > 0)
    out += transfers_block(scenario, summary);
  const bool rows = std::any_of(summary.tables.begin(), summary.tables.end(),
                                [](const TableSummary& t) { return t.inserted > 0; });
  if (has_rucio(scenario) && rows) out += queues_block(summary);
  if (!summary.jobs.empty()) out += batch_block(summary);
  const bool autoscaled =
      std::any_of(scenario.rucio.servers.begin(), scenario.rucio.servers.end(),
                  [](const auto& kv) { return kv.second.autoscaling.has_value(); }) ||
      std::any_of(scenario.rucio.daemons.begin(), scenario.rucio.daemons.end(),
                  [](const auto& kv) { return kv.second.autoscaling.has_value(); });
  if (autoscaled) out += autoscaled_block(scenario, summary);
  if (!summary.pools.empty()) out += pools_block(summary);
  return out;
}

}  // namespace dlsim::sim
