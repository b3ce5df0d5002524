// Units: the quantity syntaxes a scenario accepts, converted to SI numbers.
//
// Kubernetes quantities
// (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/) for CPU
// ("700m", "0.7", "2") and memory ("200Mi", "2.5Gi", "1G", plain bytes), the same binary/decimal
// suffixes for file and storage sizes ("100MB", "1TB", "200MiB"), bandwidths
// ("10Gbps", "1.25GB/s") and durations ("24h", "10m", "30s", "500ms", "1h30m").
// Every parser returns either the value or a message saying what was expected.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace dlsim::scenario::units {

// A parsed value or the reason the text is not one.
template <typename T>
class Parsed {
 public:
  Parsed(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  static Parsed failure(std::string message) { return Parsed(Error{std::move(message)}); }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  struct Error {
    std::string message;
  };
  explicit Parsed(Error e) : state_(std::move(e)) {}
  std::variant<T, Error> state_;
};

// CPU in cores: "700m" → 0.7, "0.7" → 0.7, "2" → 2.
Parsed<double> parse_cpu_cores(std::string_view text);
// Memory or storage size in bytes: "200Mi", "200MiB", "2.5Gi", "100MB", "1TB", "1e9", "512".
Parsed<double> parse_bytes(std::string_view text);
// Bandwidth in bytes per second: "10Gbps" (bits), "1.25GB/s", "100MiB/s".
Parsed<double> parse_bandwidth_Bps(std::string_view text);
// Duration in seconds: "24h", "10m", "30s", "500ms", "2d", "1h30m". A unit is required.
Parsed<double> parse_duration_s(std::string_view text);

// Human-readable renderings used in messages and reports.
std::string format_bytes(double bytes);       // "1.5 GiB"
std::string format_duration(double seconds);  // "1h30m", "45s"

}  // namespace dlsim::scenario::units
