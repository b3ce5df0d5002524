#include "analysis/calibration_report.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

std::string cpu_text(const ServiceFit& f) {
  if (!f.cpu_low_cores) return "-";
  if (*f.cpu_low_cores == *f.cpu_high_cores) return fmt::format("{:.4g}", *f.cpu_low_cores);
  return fmt::format("{:g}-{:g}", *f.cpu_low_cores, *f.cpu_high_cores);
}

std::string percent(std::optional<double> fraction) {
  return fraction ? fmt::format("{:+.1f}%", 100 * *fraction) : std::string("-");
}

std::string bytes_or_dash(std::optional<double> bytes) {
  return bytes ? scenario::units::format_bytes(*bytes) : std::string("-");
}

std::string cores_or_dash(std::optional<double> cores) {
  return cores ? fmt::format("{:.4f}", *cores) : std::string("-");
}

}  // namespace

std::optional<double> cpu_residual(const ServiceFit& f) {
  if (!f.cpu_low_cores) return std::nullopt;
  const double observed = 0.5 * (*f.cpu_low_cores + *f.cpu_high_cores);
  if (observed <= 0) return std::nullopt;
  return (f.cpu_after_cores - observed) / observed;
}

std::optional<double> mem_residual(const ServiceFit& f) {
  if (!f.mem_observed_bytes || *f.mem_observed_bytes <= 0) return std::nullopt;
  return (f.mem_after_bytes - *f.mem_observed_bytes) / *f.mem_observed_bytes;
}

std::string fit_table(const Calibration& fit, const std::string& prefix) {
  std::string out =
      prefix + fmt::format("{:<28} {:>12} {:>9} {:>9} {:>8}  {:>10} {:>10} {:>10} {:>8}\n",
                           "service", "cpu observed", "before", "after", "residual", "mem obs",
                           "before", "after", "residual");
  for (const auto& f : fit.services)
    out += prefix + fmt::format(
                        "{:<28} {:>12} {:>9.4f} {:>9.4f}{:1}{:>8}  {:>10} {:>10} {:>10} "
                        "{:>8}\n",
                        f.service, cpu_text(f), f.cpu_before_cores, f.cpu_after_cores,
                        f.cpu_unexplained ? "*" : "", percent(cpu_residual(f)),
                        bytes_or_dash(f.mem_observed_bytes),
                        scenario::units::format_bytes(f.mem_before_bytes),
                        scenario::units::format_bytes(f.mem_after_bytes), percent(mem_residual(f)));
  if (std::any_of(fit.services.begin(), fit.services.end(),
                  [](const auto& f) { return f.cpu_unexplained; }))
    out += prefix +
           "* left out of the CPU fit: the run gives it less than a tenth of its observed CPU "
           "(its load is not in the scenario)\n";
  return out;
}

std::string observations_table(const PrometheusObservations& observed) {
  std::string out = fmt::format("{:<28} {:>5} {:>9} {:>9} {:>11} {:>11} {:>8}\n", "service", "pods",
                                "cpu mean", "cpu peak", "mem typical", "mem peak", "restarts");
  for (const auto& s : observed.stats)
    out += fmt::format("{:<28} {:>5} {:>9} {:>9} {:>11} {:>11} {:>8}\n", s.service, s.pods,
                       cores_or_dash(s.cpu_mean_cores), cores_or_dash(s.cpu_peak_cores),
                       bytes_or_dash(s.mem_typical_bytes), bytes_or_dash(s.mem_peak_bytes),
                       s.restarts ? fmt::format("{:.0f}", *s.restarts) : std::string("-"));
  return out;
}

std::string overlay_yaml(const Calibration& fit, const std::string& command, bool with_fit_table) {
  const auto& k = fit.constants;
  std::string out = fmt::format(
      "# rucio overlay fitted by `{}` (docs/calibration.md).\n"
      "# Include it after the scenario it refits (include: [scenario.yaml, this.yaml]), or "
      "give each value with --set.\n"
      "rucio:\n  model:\n    base_memory: {:.0f}\n    cpu_per_statement: {:.9f}s\n"
      "    cpu_per_row: {:.9f}s\n    cpu_per_message: {:.9f}s\n    cpu_per_request: {:.9f}s\n"
      "    cpu_per_fts_call: {:.9f}s\n    cpu_idle: {:.6f}\n    cpu_idle_server: {:.6f}\n",
      command, k.base_memory_bytes, k.cpu_per_statement_s, k.cpu_per_row_s, k.cpu_per_message_s,
      k.cpu_per_request_s, k.cpu_per_fts_call_s, k.cpu_idle_cores, k.cpu_idle_server_cores);
  // Each observed service's own base memory per process, under its section.
  for (const bool daemons : {false, true}) {
    std::string section;
    for (const auto& f : fit.services)
      if (f.base_memory_bytes && f.daemon == daemons)
        section +=
            fmt::format("    {}:\n      base_memory: {:.0f}\n", f.service, *f.base_memory_bytes);
    if (!section.empty()) out += (daemons ? "  daemons:\n" : "  servers:\n") + section;
  }
  if (!with_fit_table) return out;
  out += "# The fit per service (residual: (after - observed) / observed):\n";
  return out + fit_table(fit, "# ");
}

}  // namespace dlsim::analysis
