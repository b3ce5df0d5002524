#include "analysis/report.hpp"

#include <unistd.h>

#include <array>
#include <cmath>
#include <fstream>

#include <fmt/core.h>

#include "analysis/report_chart.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_sections.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {
namespace fs = std::filesystem;

namespace report {

std::string palette(std::size_t i) {
  static const std::array<const char*, 8> colours{"#1f77b4", "#2ca02c", "#9467bd", "#8c564b",
                                                  "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  return colours[i % colours.size()];
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.4g}", v);
}

namespace {

std::string opt_value(const nlohmann::json& j, Unit unit) {
  return j.is_null() ? std::string("–") : html_escape(format_value(j.get<double>(), unit));
}

std::string services_table(const nlohmann::json& services) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : services)
    rows.push_back({html_escape(s.at("name").get<std::string>()),
                    html_escape(s.at("kind").get<std::string>()), format_number(s.at("replicas")),
                    format_number(s.at("threads")),
                    opt_value(s.at("cpu_request_cores"), Unit::cores),
                    opt_value(s.at("cpu_limit_cores"), Unit::cores),
                    opt_value(s.at("mem_request_bytes"), Unit::bytes),
                    opt_value(s.at("mem_limit_bytes"), Unit::bytes),
                    format_value(s.at("cpu_mean_cores"), Unit::cores),
                    format_value(s.at("cpu_p95_cores"), Unit::cores),
                    format_value(s.at("cpu_max_cores"), Unit::cores),
                    html_escape(format_value(s.at("mem_ws_max_bytes"), Unit::bytes)),
                    format_number(s.at("oom_kills")), format_number(s.at("restarts")),
                    format_number(s.at("evictions")),
                    html_escape(format_value(s.at("throttled_fraction"), Unit::fraction))});
  return html_table({"service", "kind", "replicas", "threads", "CPU request", "CPU limit",
                     "memory request", "memory limit", "CPU mean", "CPU p95", "CPU max",
                     "working set max", "OOM kills", "restarts", "evictions", "throttled"},
                    rows,
                    {false, false, true, true, true, true, true, true, true, true, true, true, true,
                     true, true, true});
}

std::string api_table(const nlohmann::json& api) {
  if (api.empty()) return "<p>No API calls were served.</p>\n";
  std::vector<std::vector<std::string>> rows;
  auto ms = [](const nlohmann::json& v) { return fmt::format("{:.3g} ms", 1e3 * v.get<double>()); };
  for (const auto& a : api)
    rows.push_back({html_escape(a.at("service").get<std::string>()),
                    html_escape(a.at("operation").get<std::string>()),
                    format_number(a.at("requests")), ms(a.at("p50_s")), ms(a.at("p95_s")),
                    ms(a.at("p99_s"))});
  return html_table({"server", "operation", "calls", "p50", "p95", "p99"}, rows,
                    {false, false, true, true, true, true});
}

}  // namespace

std::string section_summary(const RunData& run) {
  const auto& s = run.summary;
  double oom = 0, restarts = 0, evictions = 0, cost = 0;
  for (const auto& v : s.at("services")) {
    oom += v.at("oom_kills").get<double>();
    restarts += v.at("restarts").get<double>();
    evictions += v.at("evictions").get<double>();
  }
  for (const auto& p : s.at("pools")) cost += p.at("cost").get<double>();
  const auto& t = s.at("transfers");
  std::string out = "<section id=\"summary\"><h2>Summary</h2>\n";
  out += fmt::format(
      "<p>Scenario <b>{}</b> (seed {}, scenario SHA-256 {}…), {} simulated by dlsim {}.</p>\n",
      html_escape(s.at("scenario").get<std::string>()), format_number(s.at("seed")),
      html_escape(run.run.value("scenario_sha256", std::string()).substr(0, 12)),
      html_escape(format_time(run.end_s)),
      html_escape(run.run.value("dlsim_version", std::string("?"))));
  out += html_table(
      {"pods", "nodes", "OOM kills", "restarts", "evictions", "transfers submitted", "done",
       "failed", "bytes moved", "node cost"},
      {{format_number(static_cast<double>(run.pods.size())),
        format_number(static_cast<double>(s.at("nodes").size())), format_number(oom),
        format_number(restarts), format_number(evictions), format_number(t.at("submitted")),
        format_number(t.at("done")), format_number(t.at("failed")),
        html_escape(format_value(t.at("bytes_done"), Unit::bytes)), format_number(cost)}},
      std::vector<bool>(10, true));
  out += "<h3>Node pools: usage and cost</h3>\n" + pools_table(s.at("pools"));
  out += "<h3>Services</h3>\n" + services_table(s.at("services"));
  out += "<h3>API latency</h3>\n" + api_table(s.at("api"));
  return out + "</section>\n";
}

}  // namespace report

namespace {

constexpr const char* kStyle = R"(body{font-family:sans-serif;margin:1em 2em;color:#222}
nav a{margin-right:1em}h2{border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;font-size:13px;margin:0.5em 0}
th,td{border:1px solid #ddd;padding:2px 6px;vertical-align:top}th{background:#f4f4f4}
td.n,th.n{text-align:right}.grid-charts{display:flex;flex-wrap:wrap;gap:8px}
figure.chart{margin:0;border:1px solid #eee;padding:4px}
figcaption{font-size:13px;max-width:640px}
.key{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px}
.key.dash{border-top:2px dashed;height:0}.key.mark{background:#d62728}
svg text{font-size:10px;fill:#444}.yl{text-anchor:end}.xl{text-anchor:middle}
.grid{stroke:#eee}.frame{fill:none;stroke:#999}.line{fill:none;stroke-width:1.3}
.area{opacity:0.35}.level{stroke-dasharray:5 3;stroke-width:1.3}
.marker line{stroke:#d62728;stroke-width:1;stroke-opacity:0.6}.marker path{fill:#d62728}
.bad{color:#d62728;font-weight:bold}td.cell{font-size:11px;white-space:nowrap}
)";

}  // namespace

std::string render_report(const fs::path& run_dir, const ReportOptions& options) {
  report::RunData run = report::load_run(run_dir);
  std::string body;
  try {
    body += report::section_summary(run);
    body += report::section_services(run, options.max_points);
    body += report::section_tables(run, options.max_points);
    body += report::section_rses(run, options.max_points);
    body += report::section_transfers(run);
    body += report::section_pods(run);
    body += report::section_nodes(run);
    body += report::section_sizing(run);
    body += report::section_rounds(run);
  } catch (const nlohmann::json::exception& e) {
    throw scenario::InputError({(run_dir / "summary.json").string(), 1, 1}, "",
                               fmt::format("unexpected content: {}", e.what()));
  }
  const std::string name = html_escape(run.summary.at("scenario").get<std::string>());
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>dlsim report: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n"
      "<h1>dlsim report: {}</h1>\n<nav><a href=\"#summary\">summary</a><a "
      "href=\"#services\">services</a><a href=\"#tables\">queue tables</a><a "
      "href=\"#rses\">RSEs</a><a href=\"#transfers\">transfers</a><a href=\"#pods\">pods</a><a "
      "href=\"#nodes\">nodes</a><a href=\"#sizing\">sizing</a>{}</nav>\n",
      name, kStyle, name,
      body.find("id=\"rounds\"") != std::string::npos ? "<a href=\"#rounds\">rounds</a>" : "");
  return page + body + "</body>\n</html>\n";
}

void write_report(const fs::path& run_dir, const fs::path& out, const ReportOptions& options) {
  const std::string page = render_report(run_dir, options);
  fs::path target = fs::absolute(out);
  fs::path tmp =
      target.parent_path() / fmt::format(".{}.tmp-{}", target.filename().string(), getpid());
  {
    std::ofstream file(tmp, std::ios::binary);
    file << page;
    file.close();
    if (!file) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw scenario::InputError({"-o", 1, 1}, "", fmt::format("cannot write '{}'", out.string()));
    }
  }
  fs::rename(tmp, target);
}

}  // namespace dlsim::analysis
