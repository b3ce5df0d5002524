// CPU and memory rules of the sizing (VPA: k/autoscaler
// vertical-pod-autoscaler/pkg/recommender/; KRR's simple strategy).
//
// VPA (k/autoscaler vertical-pod-autoscaler/pkg/recommender/logic/recommender.go,
// model/container.go RecordOOM): CPU target = P90 of usage samples × 1.15, memory target =
// peak working set × 1.15, after an OOM kill the peak is replaced by max(1.2 × used,
// used + 100 MiB) with used = max(request, peak); floors 25 m and 250 MiB per pod. dlsim takes
// exact percentiles of its 15-s samples instead of VPA's 5 %-wide histogram buckets (whose
// bucket end rounds up by at most 5 %), and one run instead of decaying 8-day windows.
// KRR simple (robusta_krr/strategies/simple.py): CPU request = max over pods of the per-pod
// P95, no CPU limit; memory request = limit = max working set × 1.15; with its OOM option on,
// at least 1.25 × the memory at the OOM kill.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "analysis/sizing.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
// VPA pod-recommendation-min-cpu-millicores 25 and pod-recommendation-min-memory-mb 250
// (k/autoscaler vertical-pod-autoscaler/pkg/recommender/).
constexpr double kMinCpuCores = 0.025;
constexpr double kMinMemBytes = 250 * kMiB;
// KRR oom_memory_buffer_percentage 25 (KRR's simple strategy).
constexpr double kKrrOomFactor = 1.25;

std::string cores(double c) {
  return fmt::format("{:.3f}", c);
}
std::string mem(double b) {
  return scenario::units::format_bytes(b);
}

double max_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

double round_up_millicores(double cores_value) {
  return std::ceil(cores_value * 1000 - 1e-6) / 1000;
}

double round_up_mib(double bytes) {
  return std::ceil(bytes / kMiB - 1e-9) * kMiB;
}

CpuAdvice size_cpu(const CpuObserved& seen, const scenario::ResourceSpec& now,
                   const scenario::SizingSpec& spec) {
  CpuAdvice out;
  const double peak = seen.peak_cores;
  out.clipped = now.cpu_limit_cores && seen.throttled_fraction >= spec.throttled_fraction;
  if (spec.method == scenario::SizingMethod::Krr) {
    const double p95 = max_of(seen.pod_p95_cores);
    // KRR itself does not know throttling; a clipped P95 gets the margin on top of it.
    const double need = out.clipped ? spec.margin * p95 : p95;
    out.request_cores = round_up_millicores(std::max(need, kMinCpuCores));
    out.reason = fmt::format("cpu request = max over pods of P95 {}{} (krr), no limit", cores(p95),
                             out.clipped ? fmt::format(" × {:g}", spec.margin) : "");
  } else {
    const double p90 = seen.p90_cores;
    out.request_cores = round_up_millicores(std::max(spec.margin * p90, kMinCpuCores));
    out.reason = fmt::format("cpu request = P90 {} × {:g}", cores(p90), spec.margin);
    double limit = std::max(out.request_cores, spec.margin * peak);
    std::string why = fmt::format("= max {} × {:g}", cores(peak), spec.margin);
    if (now.cpu_limit_cores && *now.cpu_limit_cores >= limit) {
      limit = *now.cpu_limit_cores;
      why = "kept (limits do not count for packing; 15-s samples hide bursts)";
    }
    if (out.clipped && spec.cpu_throttle_bump * *now.cpu_limit_cores > limit) {
      limit = spec.cpu_throttle_bump * *now.cpu_limit_cores;
      why = fmt::format("= limit {} × {:g}", cores(*now.cpu_limit_cores), spec.cpu_throttle_bump);
    }
    out.limit_cores = round_up_millicores(std::max(limit, out.request_cores));
    out.reason += fmt::format(", limit {}", why);
  }
  if (out.clipped)
    out.reason += fmt::format(
        "; CPU throttled {:.0f}% of the time at limit {}: the samples are clipped, the demand is "
        "higher than they show",
        100 * seen.throttled_fraction, cores(*now.cpu_limit_cores));
  return out;
}

MemAdvice size_memory(const MemObserved& seen, const scenario::ResourceSpec& now,
                      const scenario::SizingSpec& spec) {
  MemAdvice out;
  const bool krr = spec.method == scenario::SizingMethod::Krr;
  double base = seen.ws_peak_bytes;
  out.reason = fmt::format("memory = peak working set {} × {:g}", mem(base), spec.margin);
  const std::int64_t kills = seen.oom_kills + seen.evictions;
  if (kills > 0) {
    out.clipped = true;
    const double used = std::max(now.mem_request_bytes.value_or(0), seen.ws_peak_bytes);
    const std::string what = seen.oom_kills > 0 ? fmt::format("OOMKilled {}×", seen.oom_kills)
                                                : fmt::format("evicted {}×", seen.evictions);
    if (krr) {
      const double at_kill = now.mem_limit_bytes.value_or(used);
      base = std::max(base, kKrrOomFactor * at_kill / spec.margin);
      out.reason = fmt::format("memory = max(peak {} × {:g}, {} at the kill × {:g}) (krr)",
                               mem(seen.ws_peak_bytes), spec.margin, mem(at_kill), kKrrOomFactor);
    } else {
      base = std::max(spec.oom_bump_ratio * used, used + spec.oom_min_bump_bytes);
      out.reason =
          fmt::format("memory = max({} × {:g}, {} + {}) × {:g}", mem(used), spec.oom_bump_ratio,
                      mem(used), mem(spec.oom_min_bump_bytes), spec.margin);
    }
    out.reason += fmt::format("; {}: the peak {} is clipped, the demand is higher", what,
                              mem(seen.ws_peak_bytes));
  }
  const double target = std::max(spec.margin * base, kMinMemBytes);
  if (target == kMinMemBytes) out.reason += " (floor 250 MiB)";
  out.request_bytes = round_up_mib(target);
  out.limit_bytes = out.request_bytes;  // request = limit: a Python heap only ratchets up
  return out;
}

}  // namespace dlsim::analysis
