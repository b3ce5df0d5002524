// sizing.csv, sizing.json and sizing.md (docs/outputs.md "Sizing"): the same recommendation
// for a machine, a pipeline and a person. Byte-identical for the same run.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "analysis/sizing.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

using nlohmann::ordered_json;

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string millicores(double cores) {
  return fmt::format("{:.3f}", cores);
}
std::string whole(double v) {
  return fmt::format("{:.0f}", v);
}

ordered_json opt(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json service_json(const ServiceSizing& z) {
  return ordered_json{
      {"service", z.service},
      {"kind", z.daemon ? "daemon" : "server"},
      {"replicas", z.replicas},
      {"threads", z.threads},
      {"processes", z.processes},
      {"cpu_request_cores", z.cpu.request_cores},
      {"cpu_limit_cores", opt(z.cpu.limit_cores)},
      {"mem_request_bytes", z.mem.request_bytes},
      {"mem_limit_bytes", z.mem.limit_bytes},
      {"cpu_clipped", z.cpu.clipped},
      {"mem_clipped", z.mem.clipped},
      {"oom_kills", z.oom_kills},
      {"evictions", z.evictions},
      {"growing_tables", z.growing_tables},
      {"reasons",
       {{"cpu", z.cpu.reason}, {"memory", z.mem.reason}, {"replicas", z.replicas_reason}}},
      {"reason", z.reason()}};
}

ordered_json table_json(const TableDrain& d) {
  const auto& f = d.flow;
  return ordered_json{{"table", d.table},
                      {"service", d.service},
                      {"partitioning", d.partitioning},
                      {"inflow_mean_rows_s", f.inflow_mean_rows_s},
                      {"inflow_peak_rows_s", f.inflow_peak_rows_s},
                      {"drain_busy_rows_s", opt(f.drain_busy_rows_s)},
                      {"busy_s", f.busy_s},
                      {"rows_max", f.rows_max},
                      {"rows_final", f.rows_final},
                      {"rows_window_before_end", f.rows_window_before_end},
                      {"growing", f.growing && !d.on_demand},
                      {"on_demand", d.on_demand},
                      {"transfer_bound", d.transfer_bound},
                      {"workers_now", d.workers_now},
                      {"workers_needed", d.workers_needed},
                      {"replicas_recommended", d.replicas_recommended},
                      {"verdict", d.verdict}};
}

ordered_json cluster_json(const ClusterSizing& c) {
  ordered_json pools = ordered_json::array();
  ordered_json per_pool = ordered_json::object();
  double cpu = 0, mem = 0;
  for (const auto& p : c.pools) {
    pools.push_back(
        {{"pool", p.pool},
         {"nodes", p.nodes},
         {"node_cpu_cores", p.node_cpu_cores},
         {"node_mem_bytes", p.node_mem_bytes},
         {"price_per_node_hour",
          p.price_per_node_hour > 0 ? ordered_json(p.price_per_node_hour) : ordered_json(nullptr)},
         {"capacity_type", p.capacity_type},
         {"cost_per_day", opt(p.cost_per_day())}});
    per_pool[p.pool] = p.nodes;
    cpu += p.nodes * p.node_cpu_cores;
    mem += p.nodes * p.node_mem_bytes;
  }
  return ordered_json{{"nodes", c.nodes},
                      {"nodes_per_pool", per_pool},
                      {"pools", pools},
                      {"node_cpu_cores", cpu},
                      {"node_mem_bytes", mem},
                      {"pods", c.pods},
                      {"cpu_requested_cores", c.cpu_requested_cores},
                      {"mem_requested_bytes", c.mem_requested_bytes},
                      {"cost_per_day", opt(c.cost_per_day)},
                      {"unplaced", c.unplaced}};
}

}  // namespace

std::string sizing_csv(const SizingResult& r) {
  std::string out =
      "service,replicas,threads,cpu_request_cores,cpu_limit_cores,mem_request_bytes,"
      "mem_limit_bytes,reason\n";
  for (const auto& z : r.services)
    out += fmt::format("{},{},{},{},{},{},{},{}\n", z.service, z.replicas, z.threads,
                       millicores(z.cpu.request_cores),
                       z.cpu.limit_cores ? millicores(*z.cpu.limit_cores) : std::string(),
                       whole(z.mem.request_bytes), whole(z.mem.limit_bytes), csv_field(z.reason()));
  return out;
}

std::string sizing_json(const SizingResult& r) {
  ordered_json services = ordered_json::array();
  for (const auto& z : r.services) services.push_back(service_json(z));
  ordered_json tables = ordered_json::array();
  for (const auto& d : r.tables) tables.push_back(table_json(d));
  ordered_json api = ordered_json::array();
  for (const auto& a : r.api)
    api.push_back({{"service", a.service},
                   {"operation", a.operation},
                   {"requests", a.requests},
                   {"rate_per_s", a.rate_per_s},
                   {"p50_s", a.p50_s},
                   {"p99_s", a.p99_s},
                   {"target_p99_s", opt(a.target_p99_s)},
                   {"met", a.met}});
  ordered_json j{{"schema", "dlsim.sizing/1"},
                 {"method", r.method},
                 {"simulated_s", r.simulated_s},
                 {"services", services},
                 {"tables", tables},
                 {"api", api},
                 {"cluster", cluster_json(r.cluster)},
                 {"pods_pending_final", r.pods_pending_final},
                 {"failures", r.failures}};
  return j.dump(2) + "\n";
}

namespace {

std::string md_services(const SizingResult& r) {
  namespace u = scenario::units;
  std::string out =
      "| service | replicas | threads | cpu request | cpu limit | memory request | memory limit "
      "|\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& z : r.services)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", z.service, z.replicas, z.threads,
                       millicores(z.cpu.request_cores),
                       z.cpu.limit_cores ? millicores(*z.cpu.limit_cores) : "unset",
                       u::format_bytes(z.mem.request_bytes), u::format_bytes(z.mem.limit_bytes));
  out += "\n## Why each number\n\n";
  for (const auto& z : r.services) out += fmt::format("- **{}**: {}\n", z.service, z.reason());
  return out;
}

std::string md_tables(const SizingResult& r) {
  std::string out =
      "\n## Queue tables\n\n| table | drained by | inflow mean /s | inflow peak /s | drain "
      "when busy /s | rows max | rows final | growing |\n| --- | --- | ---: | ---: | ---: | "
      "---: | ---: | --- |\n";
  for (const auto& d : r.tables)
    out += fmt::format(
        "| {} | {} | {:.2f} | {:.2f} | {} | {:.0f} | {:.0f} | {} |\n", d.table,
        d.service.empty() ? "-" : d.service, d.flow.inflow_mean_rows_s, d.flow.inflow_peak_rows_s,
        d.flow.drain_busy_rows_s ? fmt::format("{:.2f}", *d.flow.drain_busy_rows_s)
                                 : std::string("-"),
        d.flow.rows_max, d.flow.rows_final, d.flow.growing && !d.on_demand ? "yes" : "no");
  return out;
}

std::string md_cluster(const ClusterSizing& c) {
  namespace u = scenario::units;
  std::string out = fmt::format(
      "\n## Nodes\n\n{} pods request {} cores and {}; they fit on {} node(s):", c.pods,
      millicores(c.cpu_requested_cores), u::format_bytes(c.mem_requested_bytes), c.nodes);
  for (const auto& p : c.pools)
    out += fmt::format(" {} × {} ({} cores, {} allocatable each)", p.nodes, p.pool,
                       millicores(p.node_cpu_cores), u::format_bytes(p.node_mem_bytes));
  out += c.cost_per_day ? fmt::format(". Cost per day: {:.2f}.\n", *c.cost_per_day)
                        : std::string(
                              ". Cost per day: no price given "
                              "(cluster.node_pools.*.price_per_node_hour).\n");
  for (const auto& p : c.unplaced) out += fmt::format("- {} fits no node of any pool\n", p);
  out +=
      "\n| pool | capacity type | nodes | price per node-hour | cost per day |\n| --- | --- | ---: "
      "| "
      "---: | ---: |\n";
  for (const auto& p : c.pools) {
    const auto day = p.cost_per_day();
    out += fmt::format("| {} | {} | {} | {} | {} |\n", p.pool, p.capacity_type, p.nodes,
                       p.price_per_node_hour > 0 ? fmt::format("{:g}", p.price_per_node_hour) : "-",
                       day ? fmt::format("{:.2f}", *day) : "-");
  }
  return out;
}

}  // namespace

std::string sizing_md(const SizingResult& r, const std::string& scenario_name) {
  std::string out = fmt::format("# Sizing of {} ({} rules, from {} simulated)\n\n", scenario_name,
                                r.method, scenario::units::format_duration(r.simulated_s));
  out += md_services(r) + md_tables(r) + md_cluster(r.cluster);
  out += "\n## What this run did not verify\n\n";
  if (r.failures.empty())
    out += "Nothing: no OOM kill, eviction, growing table, Pending pod or missed target.\n";
  for (const auto& f : r.failures) out += fmt::format("- {}\n", f);
  return out;
}

}  // namespace dlsim::analysis
