// summary.md of `dlsim sweep merge`: the OOM-kill probability of each point and service, and
// for each ordered setting (a key whose values are all quantities) the smallest value from
// which every larger value keeps the risk under the threshold, per combination of the other
// settings (docs/sweep.md).
#include <algorithm>
#include <functional>
#include <map>

#include <fmt/core.h>

#include "analysis/sweep_merge.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

namespace units = scenario::units;
using Risk = std::vector<std::vector<double>>;  // [point][service], -1 = no runs

Risk oom_risk(const MergedSweep& m) {
  Risk risk(m.point_values.size(), std::vector<double>(m.services.size(), -1));
  std::vector<int> runs(m.point_values.size(), 0);
  std::vector<std::vector<int>> oom(m.point_values.size(), std::vector<int>(m.services.size()));
  for (const auto& r : m.runs) {
    const auto p = static_cast<std::size_t>(r.point);
    ++runs[p];
    for (std::size_t s = 0; s < m.services.size(); ++s) oom[p][s] += r.services[s].oom_kills > 0;
  }
  for (std::size_t p = 0; p < risk.size(); ++p)
    for (std::size_t s = 0; s < m.services.size() && runs[p] > 0; ++s)
      risk[p][s] = static_cast<double>(oom[p][s]) / runs[p];
  return risk;
}

// The numeric order of a key's values: the first unit parser that reads all of them.
std::optional<std::vector<double>> ordered_values(const std::vector<std::string>& texts) {
  using Parser = std::function<units::Parsed<double>(std::string_view)>;
  const std::vector<Parser> parsers = {units::parse_bytes, units::parse_cpu_cores,
                                       units::parse_duration_s};
  for (const auto& parse : parsers) {
    std::vector<double> out;
    for (const auto& t : texts) {
      auto v = parse(t);
      if (!v.ok()) break;
      out.push_back(v.value());
    }
    if (out.size() == texts.size()) return out;
  }
  return std::nullopt;
}

std::string percent(double p) {
  return fmt::format("{:.0f} %", 100 * p);
}

struct Group {
  std::string with;  // the other settings, "database.engine=oracle"
  std::vector<std::pair<double, std::size_t>> points;  // (value, point)
};

std::map<std::string, Group> groups_of(const MergedSweep& m, std::size_t k,
                                       const std::vector<double>& values,
                                       const std::vector<std::size_t>& points) {
  std::map<std::string, Group> groups;
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::string with;
    for (std::size_t o = 0; o < m.keys.size(); ++o)
      if (o != k && !m.point_values[points[i]][o].empty())
        with += (with.empty() ? "" : ", ") + m.keys[o] + "=" + m.point_values[points[i]][o];
    groups[with].with = with.empty() ? "-" : with;
    groups[with].points.push_back({values[i], points[i]});
  }
  return groups;
}

// One table row per group and service that had an OOM kill somewhere in the sweep.
std::string smallest_rows(const MergedSweep& m, const Risk& risk, std::size_t k, Group g,
                          double threshold) {
  std::string out;
  std::sort(g.points.begin(), g.points.end());
  for (std::size_t s = 0; s < m.services.size(); ++s) {
    bool any = false;  // an OOM kill at any point of the sweep
    for (const auto& r : risk) any = any || r[s] > 0;
    if (!any) continue;
    std::string smallest = "none", by_value;
    for (std::size_t i = g.points.size(); i-- > 0;) {
      if (risk[g.points[i].second][s] >= threshold) break;
      smallest = m.point_values[g.points[i].second][k];
    }
    for (const auto& [_, p] : g.points)
      by_value += fmt::format("{}{}: {}", by_value.empty() ? "" : "; ", m.point_values[p][k],
                              percent(risk[p][s]));
    out += fmt::format("| {} | {} | {} | {} | {} |\n", m.keys[k], g.with, m.services[s], smallest,
                       by_value);
  }
  return out;
}

std::string smallest_section(const MergedSweep& m, const Risk& risk, double threshold) {
  std::string rows;
  for (std::size_t k = 0; k < m.keys.size(); ++k) {
    std::vector<std::string> texts;
    std::vector<std::size_t> points;
    for (std::size_t p = 0; p < m.point_values.size(); ++p)
      if (!m.point_values[p][k].empty() && !risk[p].empty() && risk[p].front() >= 0) {
        texts.push_back(m.point_values[p][k]);
        points.push_back(p);
      }
    auto values = ordered_values(texts);
    if (!values || texts.empty()) continue;  // not an ordered setting (an engine name)
    for (const auto& [_, g] : groups_of(m, k, *values, points))
      rows += smallest_rows(m, risk, k, g, threshold);
  }
  std::string out = fmt::format(
      "## Smallest setting with an OOM-kill risk under {}\n\n"
      "The smallest value from which every larger value of the setting keeps the probability "
      "of at least one OOM kill (over the seeds) under {}; \"none\" if the largest does not.\n\n",
      percent(threshold), percent(threshold));
  if (rows.empty()) return out + "No service had an OOM kill at any point.\n\n";
  return out + "| setting | with | service | smallest | risk by value |\n|---|---|---|---|---|\n" +
         rows + "\n";
}

}  // namespace

std::string sweep_summary_md(const MergedSweep& m, double threshold) {
  const Risk risk = oom_risk(m);
  std::string out = fmt::format(
      "# Sweep {}\n\n{} run(s) of the plan's {} (points × seeds); files: sweep.csv (one row per "
      "run), risk.csv (per point and service), backlog.csv (per point and table; quantiles are "
      "nearest-rank over the seeds).\n\n",
      m.plan, m.runs.size(), m.runs_in_plan);
  if (!m.missing.empty()) {
    out += "Missing runs (in none of the merged directories):";
    for (const auto& name : m.missing) out += " " + name;
    out += "\n\n";
  }
  out += smallest_section(m, risk, threshold);
  out += "## Probability of at least one OOM kill\n\nServices with an OOM kill at some point.\n\n";
  out += "| point | settings | service | P(OOM kill) |\n|---|---|---|---|\n";
  for (std::size_t s = 0; s < m.services.size(); ++s) {
    bool any = false;
    for (const auto& r : risk) any = any || r[s] > 0;
    for (std::size_t p = 0; any && p < risk.size(); ++p) {
      if (risk[p][s] < 0) continue;
      std::string settings;
      for (std::size_t k = 0; k < m.keys.size(); ++k)
        if (!m.point_values[p][k].empty())
          settings += (settings.empty() ? "" : ", ") + m.keys[k] + "=" + m.point_values[p][k];
      out +=
          fmt::format("| {} | {} | {} | {} |\n", p, settings, m.services[s], percent(risk[p][s]));
    }
  }
  return out;
}

}  // namespace dlsim::analysis
