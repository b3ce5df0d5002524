// The report's tabular sections: the transfer matrix (summary.json transfers.links), the
// node pools' usage and cost (summary.json pools), the sizing table (sizing.csv / sizing.json when
// present) and the rounds of `dlsim size` (rounds.json when present).
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/core.h>

#include "analysis/report_chart.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_sections.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis::report {
namespace {

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A JSON value as a cell: bytes fields in binary units, numbers plain, text escaped.
std::string json_cell(const std::string& key, const nlohmann::json& v) {
  if (v.is_string()) return html_escape(v.get<std::string>());
  if (v.is_number() && ends_with(key, "_bytes"))
    return html_escape(format_value(v.get<double>(), Unit::bytes));
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_null()) return "–";
  return html_escape(v.dump());
}

std::string transfer_cell(const nlohmann::json& link, double max_bytes) {
  const double bytes = link.at("bytes_done");
  const double failed = link.at("failed");
  return fmt::format(
      "<td class=\"cell\" style=\"background:rgba(31,119,180,{:.2f})\">{} files<br>{}{}</td>",
      max_bytes > 0 ? 0.05 + 0.5 * bytes / max_bytes : 0.0, format_number(link.at("done")),
      html_escape(format_value(bytes, Unit::bytes)),
      failed > 0 ? "<br><span class=\"bad\">" + format_number(failed) + " failed</span>" : "");
}

}  // namespace

std::string section_transfers(const RunData& run) {
  const auto& links = run.summary.at("transfers").at("links");
  std::set<std::string> sources, destinations;
  std::map<std::pair<std::string, std::string>, const nlohmann::json*> cell;
  double max_bytes = 0;
  for (const auto& l : links) {
    sources.insert(l.at("source").get<std::string>());
    destinations.insert(l.at("destination").get<std::string>());
    cell[{l.at("source"), l.at("destination")}] = &l;
    max_bytes = std::max(max_bytes, l.at("bytes_done").get<double>());
  }
  std::string out =
      "<section id=\"transfers\"><h2>Transfer matrix</h2>\n<p>Successful transfers (files, "
      "bytes) and failed attempts per source (row) and destination (column), from "
      "<code>summary.json</code> <code>transfers.links</code>.</p>\n";
  if (links.empty()) return out + "<p>No transfer was submitted.</p>\n</section>\n";
  out += "<table>\n<thead><tr><th>source \\ destination</th>";
  for (const auto& d : destinations) out += "<th>" + html_escape(d) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& s : sources) {
    out += "<tr><th>" + html_escape(s) + "</th>";
    for (const auto& d : destinations) {
      auto it = cell.find({s, d});
      out += it == cell.end() ? "<td></td>" : transfer_cell(*it->second, max_bytes);
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

namespace {

std::string sizing_csv_table(const std::filesystem::path& path) {
  CsvReader csv(path);
  std::vector<std::vector<std::string>> rows;
  while (csv.next()) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < csv.header().size(); ++i) {
      const auto& h = csv.header()[i];
      row.push_back(ends_with(h, "_bytes") && !csv.text(i).empty()
                        ? html_escape(format_value(csv.number(i), Unit::bytes))
                        : html_escape(csv.text(i)));
    }
    rows.push_back(std::move(row));
  }
  return "<p>From <code>sizing.csv</code>.</p>\n" + html_table(csv.header(), rows);
}

// sizing.json's services array, columns in the order of the first entry's keys.
std::string sizing_json_table(const nlohmann::json& services) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : services) {
    if (header.empty())
      for (const auto& [k, _] : s.items()) header.push_back(k);
    std::vector<std::string> row;
    for (const auto& k : header) row.push_back(s.contains(k) ? json_cell(k, s[k]) : "");
    rows.push_back(std::move(row));
  }
  return "<p>From <code>sizing.json</code>.</p>\n" + html_table(header, rows);
}

}  // namespace

std::string pools_table(const nlohmann::json& pools) {
  if (pools.empty()) return "<p>No node pools.</p>\n";
  std::vector<std::vector<std::string>> rows;
  auto hours = [](const nlohmann::json& p, const char* key) {
    return format_number(p.value(key, 0.0));
  };
  for (const auto& p : pools) {
    const double price = p.value("price_per_node_hour", 0.0);
    const double alloc = p.value("cpu_allocatable_core_hours", 0.0);
    const double used = p.value("cpu_used_core_hours", 0.0);
    rows.push_back(
        {html_escape(p.at("name").get<std::string>()),
         html_escape(p.value("capacity_type", std::string("–"))),
         fmt::format("{}–{}", format_number(p.at("nodes_min")), format_number(p.at("nodes_max"))),
         hours(p, "node_hours"), hours(p, "cpu_allocatable_core_hours"),
         hours(p, "cpu_requested_core_hours"), hours(p, "cpu_used_core_hours"),
         format_number(std::max(0.0, alloc - used)), price > 0 ? format_number(price) : "–",
         price > 0 ? format_number(p.at("cost").get<double>()) : "–"});
  }
  return html_table(
      {"pool", "capacity type", "nodes min–max", "node-hours", "core-hours allocatable",
       "requested", "used", "idle", "price per node-hour", "cost"},
      rows, {false, false, true, true, true, true, true, true, true, true});
}

std::string section_sizing(const RunData& run) {
  std::string out = "<section id=\"sizing\"><h2>Sizing</h2>\n";
  const auto csv_path = run.dir / "sizing.csv";
  const auto json = read_json_if_exists(run.dir / "sizing.json");
  const bool has_csv = std::filesystem::exists(csv_path);
  const bool has_services = json && json->contains("services") && (*json)["services"].is_array();
  const bool has_cluster = json && json->contains("cluster") && (*json)["cluster"].is_object();
  if (has_csv)
    out += sizing_csv_table(csv_path);
  else if (has_services)
    out += sizing_json_table((*json)["services"]);
  if (has_cluster) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : (*json)["cluster"].items())
      rows.push_back({html_escape(k), json_cell(k, v)});
    out += "<h3>Cluster</h3>\n" + html_table({"field", "value"}, rows, {false, true});
  }
  if (!has_csv && !has_services && !has_cluster)
    out +=
        "<p>This run directory has no sizing files (<code>sizing.csv</code>, "
        "<code>sizing.json</code>).</p>\n";
  return out + "</section>\n";
}

std::string section_rounds(const RunData& run) {
  const auto path = run.dir / "rounds.json";
  const auto rounds = read_json_if_exists(path);
  if (!rounds) return {};
  if (!rounds->is_array())
    throw scenario::InputError({path.string(), 1, 1}, "", "expected an array of rounds");
  std::string out = "<section id=\"rounds\"><h2>Rounds of <code>dlsim size</code></h2>\n";
  for (const auto& r : *rounds) {
    out += "<h3>Round " + json_cell("round", r.value("round", nlohmann::json())) + "</h3>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r.value("changes", nlohmann::json::array())) {
      const std::string field = c.value("field", std::string());
      rows.push_back({json_cell("service", c.value("service", nlohmann::json())),
                      html_escape(field), json_cell(field, c.value("from", nlohmann::json())),
                      json_cell(field, c.value("to", nlohmann::json()))});
    }
    out +=
        rows.empty() ? "<p>No change.</p>\n" : html_table({"service", "field", "from", "to"}, rows);
    const auto failures = r.value("failures", nlohmann::json::array());
    if (failures.empty())
      out += "<p>No failure.</p>\n";
    else {
      out += "<ul>\n";
      for (const auto& f : failures)
        out += "<li class=\"bad\">" + json_cell("failure", f) + "</li>\n";
      out += "</ul>\n";
    }
  }
  return out + "</section>\n";
}

}  // namespace dlsim::analysis::report
