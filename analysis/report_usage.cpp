// The report's time-series sections: memory and CPU per service against its limits, queue
// tables, RSEs. Each series is downsampled to ReportOptions::max_points (peaks kept).
#include <algorithm>

#include <fmt/core.h>

#include "analysis/report_chart.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_sections.hpp"

namespace dlsim::analysis::report {
namespace {

constexpr const char* kLimitColour = "#d62728";
constexpr const char* kRequestColour = "#999999";
constexpr const char* kThrottleColour = "#ff7f0e";

// The largest value of a resource over the service's pods (they share one spec; a slot
// re-created with other resources would differ).
std::optional<double> service_resource(const RunData& run, const std::string& service,
                                       std::optional<double> PodRow::*field) {
  std::optional<double> out;
  for (const auto& p : run.pods)
    if (p.service == service && p.*field) out = std::max(out.value_or(0), *(p.*field));
  return out;
}

void add_levels(Chart& c, const RunData& run, const std::string& service, Unit unit,
                std::optional<double> PodRow::*request, std::optional<double> PodRow::*limit) {
  if (auto r = service_resource(run, service, request))
    c.levels.push_back({*r, "request " + format_value(*r, unit), kRequestColour});
  if (auto l = service_resource(run, service, limit))
    c.levels.push_back({*l, "limit " + format_value(*l, unit), kLimitColour});
}

std::string service_charts(const RunData& run, const std::string& service, std::size_t n) {
  const ServiceUsage& u = run.usage.at(service);
  const double end = run.end_s;
  // One pod: its own line; more: the peak and the mean over the pods sampled at each time.
  const bool several = std::count_if(run.pods.begin(), run.pods.end(),
                                     [&](const PodRow& p) { return p.service == service; }) > 1;
  Chart mem{service + ": memory (working set)", end, Unit::bytes};
  mem.series.push_back({several ? "max over pods" : "working set",
                        downsample_max(u.mem_ws_max_bytes, end, n), palette(0)});
  if (several)
    mem.series.push_back(
        {"mean over pods", downsample_max(u.mem_ws_mean_bytes, end, n), palette(1)});
  add_levels(mem, run, service, Unit::bytes, &PodRow::mem_request_bytes, &PodRow::mem_limit_bytes);
  for (const auto& e : run.events)
    if (e.kind == "OOMKilled") {
      auto it = run.pod_index.find(e.object);
      if (it != run.pod_index.end() && run.pods[it->second].service == service)
        mem.markers.push_back({e.time_s, fmt::format("{} OOMKilled at {}: {}", e.object,
                                                     format_time(e.time_s), e.detail)});
    }
  Chart cpu{service + ": CPU", end, Unit::cores, Unit::fraction};
  cpu.series.push_back(
      {several ? "throttled (mean over pods, right axis)" : "throttled (right axis)",
       downsample_max(u.throttled_mean_fraction, end, n), kThrottleColour, true, true});
  cpu.series.push_back(
      {several ? "max over pods" : "CPU", downsample_max(u.cpu_max_cores, end, n), palette(0)});
  if (several)
    cpu.series.push_back({"mean over pods", downsample_max(u.cpu_mean_cores, end, n), palette(1)});
  add_levels(cpu, run, service, Unit::cores, &PodRow::cpu_request_cores, &PodRow::cpu_limit_cores);
  return render_chart(mem) + render_chart(cpu);
}

}  // namespace

std::string section_services(const RunData& run, std::size_t max_points) {
  std::string out =
      "<section id=\"services\"><h2>Services: memory and CPU against their limits</h2>\n"
      "<p>Samples of <code>timeseries/pods.csv</code> per service; each line keeps the peak "
      "of every time bucket. Dashed: request (grey) and limit (red). Red markers: OOM kills "
      "(hover for the pod and the memory at the kill). Orange area: share of time throttled by "
      "the CPU limit.</p>\n";
  for (const auto& service : run.services) {
    out += "<h3>" + html_escape(service) + "</h3>\n";
    if (!run.usage.count(service)) {
      out += "<p>No samples: no pod of this service was ever scheduled.</p>\n";
      continue;
    }
    out += "<div class=\"grid-charts\">\n" + service_charts(run, service, max_points) + "</div>\n";
  }
  return out + "</section>\n";
}

std::string section_tables(const RunData& run, std::size_t max_points) {
  std::map<std::string, Points> rows;
  CsvReader csv(run.dir / "timeseries" / "tables.csv");
  const auto c_t = csv.column("time_s"), c_obj = csv.column("object"), c_rows = csv.column("rows");
  while (csv.next()) rows[csv.text(c_obj)].add(csv.number(c_t), csv.number(c_rows));
  std::vector<std::vector<std::string>> table;
  std::string charts;
  for (const auto& t : run.summary.at("tables")) {
    const std::string name = t.at("name");
    const bool backlog = t.at("rows_final").get<double>() > 0;
    table.push_back({html_escape(name), format_number(t.at("rows_max")),
                     (backlog ? "<span class=\"bad\">" : "<span>") +
                         format_number(t.at("rows_final")) + "</span>",
                     format_number(t.at("inserted")), format_number(t.at("drained"))});
    Chart c{name + ": rows", run.end_s, Unit::count};
    c.series.push_back({"rows", downsample_max(rows[name], run.end_s, max_points), palette(2)});
    charts += render_chart(c);
  }
  return "<section id=\"tables\"><h2>Queue tables</h2>\n" +
         html_table({"table", "rows max", "rows final", "inserted", "drained"}, table,
                    {false, true, true, true, true}) +
         "<p>Rows over time of every queue table (one no row was ever inserted into stays at "
         "0).</p>\n<div class=\"grid-charts\">\n" +
         charts + "</div>\n</section>\n";
}

std::string section_rses(const RunData& run, std::size_t max_points) {
  std::map<std::string, std::pair<Points, Points>> series;  // files, bytes
  CsvReader csv(run.dir / "timeseries" / "rses.csv");
  const auto c_t = csv.column("time_s"), c_obj = csv.column("object"),
             c_files = csv.column("files"), c_bytes = csv.column("bytes");
  while (csv.next()) {
    auto& [files, bytes] = series[csv.text(c_obj)];
    files.add(csv.number(c_t), csv.number(c_files));
    bytes.add(csv.number(c_t), csv.number(c_bytes));
  }
  std::vector<std::vector<std::string>> table;
  std::string charts;
  for (const auto& r : run.summary.at("rses")) {
    const std::string name = r.at("name");
    table.push_back({html_escape(name), format_number(r.at("files_final")),
                     format_number(r.at("replicas_max")),
                     html_escape(format_value(r.at("bytes_final"), Unit::bytes)),
                     html_escape(format_value(r.at("quota_bytes"), Unit::bytes)),
                     html_escape(format_value(r.at("bytes_read"), Unit::bytes))});
    Chart c{name, run.end_s, Unit::count, Unit::bytes};
    c.series.push_back(
        {"replicas", downsample_max(series[name].first, run.end_s, max_points), palette(0)});
    c.series.push_back({"bytes (right axis)",
                        downsample_max(series[name].second, run.end_s, max_points), palette(3),
                        true});
    charts += render_chart(c);
  }
  return "<section id=\"rses\"><h2>RSEs: replicas and bytes</h2>\n" +
         html_table(
             {"RSE", "replicas final", "replicas max", "bytes final", "quota", "read by downloads"},
             table, {false, true, true, true, true, true}) +
         "<div class=\"grid-charts\">\n" + charts + "</div>\n</section>\n";
}

}  // namespace dlsim::analysis::report
