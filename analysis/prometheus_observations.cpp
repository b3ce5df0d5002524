#include "analysis/prometheus_observations.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include <fmt/core.h>

#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {
namespace {

bool valid_label_name(const std::string& name) {
  // Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]* (docs "Data model").
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// The values of one metric of one service: per pod, per sample time (ms), summed over the
// pod's series at that time (a pod with two containers of the service counts once).
using PodValues = std::map<std::string, std::map<std::int64_t, double>>;

struct ServiceSeries {
  PodValues cpu, memory;
  std::set<std::string> pods;
  std::optional<double> restarts;
};

std::string pod_key(const std::map<std::string, std::string>& labels) {
  auto pod = labels.find("pod");
  if (pod == labels.end()) {  // not per pod: the series stands for one
    std::string all;
    for (const auto& [k, v] : labels) all += k + "=" + v + ",";
    return all;
  }
  auto ns = labels.find("namespace");
  return (ns == labels.end() ? std::string() : ns->second) + "/" + pod->second;
}

void add_samples(std::map<std::int64_t, double>& into, const std::vector<PromSample>& samples) {
  for (const auto& s : samples) into[std::llround(s.time_s * 1000)] += s.value;
}

// Per sample time, the mean over the pods that have a value then.
std::vector<double> mean_over_pods(const PodValues& pods) {
  std::map<std::int64_t, std::pair<double, int>> by_time;
  for (const auto& [_, values] : pods)
    for (const auto& [t, v] : values) {
      by_time[t].first += v;
      ++by_time[t].second;
    }
  std::vector<double> out;
  for (const auto& [_, sum_n] : by_time) out.push_back(sum_n.first / sum_n.second);
  return out;
}

double peak_of(const PodValues& pods) {
  double peak = 0;
  for (const auto& [_, values] : pods)
    for (const auto& [t, v] : values) peak = std::max(peak, v);
  return peak;
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

ServiceSeriesStats stats_of(const std::string& name, const ServiceSeries& s) {
  ServiceSeriesStats out;
  out.service = name;
  out.pods = static_cast<int>(s.pods.size());
  if (auto cpu = mean_over_pods(s.cpu); !cpu.empty()) {
    double sum = 0;
    for (double v : cpu) sum += v;
    out.cpu_mean_cores = sum / static_cast<double>(cpu.size());
    out.cpu_peak_cores = peak_of(s.cpu);
  }
  if (auto mem = mean_over_pods(s.memory); !mem.empty()) {
    out.mem_typical_bytes = median_of(mem);
    out.mem_peak_bytes = peak_of(s.memory);
  }
  out.restarts = s.restarts;
  return out;
}

}  // namespace

LabelRule parse_label_rule(const std::string& text, int index) {
  const auto eq = text.find('=');
  const std::string label = text.substr(0, eq);
  if (eq == std::string::npos || !valid_label_name(label))
    throw scenario::InputError(
        {"--label-rule", index, 1}, "",
        fmt::format("'{}' is not LABEL=REGEX (LABEL a Prometheus label name, "
                    "e.g. pod=^rucio-(.+)-[0-9a-f]+-[0-9a-z]+$)",
                    text));
  LabelRule rule;
  rule.label = label;
  rule.pattern = text.substr(eq + 1);
  try {
    rule.regex = std::regex(rule.pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw scenario::InputError(
        {"--label-rule", index, static_cast<int>(eq) + 2}, "",
        fmt::format("invalid regular expression '{}': {}", rule.pattern, e.what()));
  }
  rule.names_service = rule.regex.mark_count() > 0;
  return rule;
}

ServiceMapping::ServiceMapping(std::vector<LabelRule> rules) : rules_(std::move(rules)) {}

std::optional<std::string> ServiceMapping::service_of(
    const std::map<std::string, std::string>& labels) const {
  std::optional<std::string> service;
  auto label = [&labels](const std::string& name) {
    auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
  };
  for (const auto& rule : rules_) {
    const std::string value = label(rule.label);
    std::smatch m;
    if (!std::regex_match(value, m, rule.regex)) return std::nullopt;
    if (rule.names_service && !service) service = m[1].str();
  }
  if (!service) service = label("container");
  if (service->empty()) return std::nullopt;  // cAdvisor's pod-level cgroup: container=""
  return service;
}

PrometheusObservations observe_services(const std::vector<PromSeries>& series,
                                        const ServiceMapping& mapping,
                                        const std::vector<std::string>& services) {
  PrometheusObservations out;
  std::map<std::string, ServiceSeries> by_service;
  std::set<std::string> unknown;
  for (const auto& s : series) {
    auto name = mapping.service_of(s.labels);
    if (!name) {
      ++out.series_rejected;
      continue;
    }
    if (std::find(services.begin(), services.end(), *name) == services.end()) {
      unknown.insert(*name);
      continue;
    }
    ++out.series_used;
    ServiceSeries& into = by_service[*name];
    const std::string pod = pod_key(s.labels);
    into.pods.insert(pod);
    switch (s.metric) {
      case PromMetric::CpuRate:
        add_samples(into.cpu[pod], s.samples);
        break;
      case PromMetric::CpuSeconds:
        add_samples(into.cpu[pod], counter_rate(s.samples));
        break;
      case PromMetric::WorkingSetBytes:
        add_samples(into.memory[pod], s.samples);
        break;
      case PromMetric::Restarts:
        into.restarts = into.restarts.value_or(0) + counter_increase(s.samples);
        break;
    }
  }
  for (const auto& name : services) {
    auto it = by_service.find(name);
    if (it == by_service.end()) continue;
    ServiceSeriesStats st = stats_of(name, it->second);
    if (st.cpu_mean_cores || st.mem_peak_bytes)
      out.observations.push_back({name, st.cpu_mean_cores, st.cpu_mean_cores, st.mem_peak_bytes});
    out.stats.push_back(st);
  }
  out.unknown.assign(unknown.begin(), unknown.end());
  return out;
}

}  // namespace dlsim::analysis
