#include "scenario/units.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

namespace dlsim::scenario::units {
namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

// Splits "2.5Gi" into 2.5 and "Gi". Leading/trailing blanks are ignored; a sign is kept.
struct NumberAndUnit {
  double number = 0;
  std::string_view unit;
  bool ok = false;
};

NumberAndUnit split_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string buffer(text);
  const char* begin = buffer.c_str();
  char* end = nullptr;
  errno = 0;
  double number = std::strtod(begin, &end);
  if (end == begin || errno == ERANGE || !std::isfinite(number)) return {};
  // strtod accepts "inf", "nan" and hex floats; scenario numbers are plain decimals.
  for (const char* p = begin; p != end; ++p) {
    if (!(std::isdigit(static_cast<unsigned char>(*p)) || *p == '.' || *p == '-' || *p == '+' ||
          *p == 'e' || *p == 'E'))
      return {};
  }
  NumberAndUnit out;
  out.number = number;
  out.unit = text.substr(static_cast<std::size_t>(end - begin));
  while (!out.unit.empty() && out.unit.front() == ' ') out.unit.remove_prefix(1);
  out.ok = true;
  return out;
}

template <std::size_t N>
const Suffix* find_suffix(const std::array<Suffix, N>& table, std::string_view unit) {
  for (const auto& s : table)
    if (s.text == unit) return &s;
  return nullptr;
}

constexpr double kKi = 1024.0;

// Kubernetes binary and decimal suffixes, plus the byte-unit spellings people paste from
// storage dashboards (MiB, MB). Source: Kubernetes quantity reference.
constexpr std::array<Suffix, 25> kByteSuffixes{{
    {"", 1},
    {"B", 1},
    {"k", 1e3},
    {"K", 1e3},
    {"kB", 1e3},
    {"KB", 1e3},
    {"M", 1e6},
    {"MB", 1e6},
    {"G", 1e9},
    {"GB", 1e9},
    {"T", 1e12},
    {"TB", 1e12},
    {"P", 1e15},
    {"PB", 1e15},
    {"Ki", kKi},
    {"KiB", kKi},
    {"Mi", kKi* kKi},
    {"MiB", kKi* kKi},
    {"Gi", kKi* kKi* kKi},
    {"GiB", kKi* kKi* kKi},
    {"Ti", kKi* kKi* kKi* kKi},
    {"TiB", kKi* kKi* kKi* kKi},
    {"Pi", kKi* kKi* kKi* kKi* kKi},
    {"PiB", kKi* kKi* kKi* kKi* kKi},
    {"E", 1e18},
}};

constexpr std::array<Suffix, 16> kBandwidthSuffixes{{
    {"bps", 1.0 / 8},
    {"kbps", 1e3 / 8},
    {"Kbps", 1e3 / 8},
    {"Mbps", 1e6 / 8},
    {"Gbps", 1e9 / 8},
    {"Tbps", 1e12 / 8},
    {"B/s", 1},
    {"kB/s", 1e3},
    {"KB/s", 1e3},
    {"MB/s", 1e6},
    {"GB/s", 1e9},
    {"TB/s", 1e12},
    {"KiB/s", kKi},
    {"MiB/s", kKi* kKi},
    {"GiB/s", kKi* kKi* kKi},
    {"TiB/s", kKi* kKi* kKi* kKi},
}};

constexpr std::array<Suffix, 6> kDurationSuffixes{{
    {"ms", 1e-3},
    {"s", 1},
    {"m", 60},
    {"min", 60},
    {"h", 3600},
    {"d", 86400},
}};

std::string quoted(std::string_view text) {
  return fmt::format("'{}'", text);
}

}  // namespace

Parsed<double> parse_cpu_cores(std::string_view text) {
  auto nu = split_number(text);
  if (!nu.ok)
    return Parsed<double>::failure(
        fmt::format("{} is not a CPU quantity (expected cores like 0.7 or 2, or millicores like "
                    "700m)",
                    quoted(text)));
  double cores = nu.number;
  if (nu.unit == "m") {
    cores = nu.number / 1000.0;
  } else if (!nu.unit.empty()) {
    return Parsed<double>::failure(
        fmt::format("unknown CPU unit {} in {} (expected cores like 0.7 or millicores like 700m)",
                    quoted(nu.unit), quoted(text)));
  }
  if (cores < 0) return Parsed<double>::failure(fmt::format("CPU {} is negative", quoted(text)));
  return cores;
}

Parsed<double> parse_bytes(std::string_view text) {
  auto nu = split_number(text);
  if (!nu.ok)
    return Parsed<double>::failure(fmt::format(
        "{} is not a size (expected a number with a unit like 200Mi, 2.5Gi, 100MB or 1TB)",
        quoted(text)));
  if (nu.unit == "m")
    return Parsed<double>::failure(fmt::format(
        "{} is in millibytes ('m'); for mebibytes write Mi, for megabytes M", quoted(text)));
  const Suffix* s = find_suffix(kByteSuffixes, nu.unit);
  if (s == nullptr)
    return Parsed<double>::failure(
        fmt::format("unknown size unit {} in {} (expected B, Ki, Mi, Gi, Ti, KB, MB, GB, TB, ...)",
                    quoted(nu.unit), quoted(text)));
  if (nu.number < 0)
    return Parsed<double>::failure(fmt::format("size {} is negative", quoted(text)));
  return nu.number * s->factor;
}

Parsed<double> parse_bandwidth_Bps(std::string_view text) {
  auto nu = split_number(text);
  if (!nu.ok || nu.unit.empty())
    return Parsed<double>::failure(
        fmt::format("{} is not a bandwidth (expected a number with a unit like 10Gbps or 1.25GB/s)",
                    quoted(text)));
  const Suffix* s = find_suffix(kBandwidthSuffixes, nu.unit);
  if (s == nullptr)
    return Parsed<double>::failure(fmt::format(
        "unknown bandwidth unit {} in {} (expected bps, Mbps, Gbps, MB/s, GB/s, MiB/s, ...)",
        quoted(nu.unit), quoted(text)));
  if (nu.number < 0)
    return Parsed<double>::failure(fmt::format("bandwidth {} is negative", quoted(text)));
  return nu.number * s->factor;
}

Parsed<double> parse_duration_s(std::string_view text) {
  std::string_view rest = text;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  auto bad = [&] {
    return Parsed<double>::failure(fmt::format(
        "{} is not a duration (expected a number with a unit: 500ms, 30s, 10m, 24h, 2d, 1h30m)",
        quoted(text)));
  };
  if (rest.empty()) return bad();
  if (rest.front() == '-')
    return Parsed<double>::failure(fmt::format("duration {} is negative", quoted(text)));
  double total = 0;
  // A sequence of <number><unit> terms, as in Go's time.ParseDuration ("1h30m").
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() &&
           (std::isdigit(static_cast<unsigned char>(rest[digits])) || rest[digits] == '.'))
      ++digits;
    if (digits == 0) return bad();
    std::size_t letters = digits;
    while (letters < rest.size() && std::isalpha(static_cast<unsigned char>(rest[letters])))
      ++letters;
    auto nu = split_number(rest.substr(0, digits));
    std::string_view unit = rest.substr(digits, letters - digits);
    if (!nu.ok || unit.empty()) return bad();
    const Suffix* s = find_suffix(kDurationSuffixes, unit);
    if (s == nullptr)
      return Parsed<double>::failure(
          fmt::format("unknown duration unit {} in {} (expected ms, s, m, h or d)", quoted(unit),
                      quoted(text)));
    total += nu.number * s->factor;
    rest.remove_prefix(letters);
  }
  return total;
}

std::string format_bytes(double bytes) {
  constexpr std::array<std::string_view, 6> kNames{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  std::size_t i = 0;
  double v = bytes;
  while (std::fabs(v) >= 1024.0 && i + 1 < kNames.size()) {
    v /= 1024.0;
    ++i;
  }
  return i == 0 ? fmt::format("{:.0f} B", v) : fmt::format("{:.1f} {}", v, kNames[i]);
}

std::string format_duration(double seconds) {
  if (seconds < 1) return fmt::format("{:.0f}ms", seconds * 1000);
  auto total = static_cast<long long>(std::llround(seconds));
  long long h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  std::string out;
  if (h > 0) out += fmt::format("{}h", h);
  if (m > 0) out += fmt::format("{}m", m);
  if (s > 0 || out.empty()) out += fmt::format("{}s", s);
  return out;
}

}  // namespace dlsim::scenario::units
