// Units: Kubernetes quantities, sizes, bandwidths and durations (scenario/units.hpp).
#include <catch2/catch.hpp>

#include "scenario/units.hpp"

using namespace dlsim::scenario::units;

TEST_CASE("CPU quantities in cores and millicores") {
  CHECK(parse_cpu_cores("700m").value() == Approx(0.7));  // 700/1000
  CHECK(parse_cpu_cores("0.7").value() == Approx(0.7));
  CHECK(parse_cpu_cores("2").value() == 2.0);
  CHECK(parse_cpu_cores("1500m").value() == Approx(1.5));
  CHECK_FALSE(parse_cpu_cores("-1").ok());
  CHECK_FALSE(parse_cpu_cores("2Gi").ok());
  CHECK(parse_cpu_cores("2Gi").error() ==
        "unknown CPU unit 'Gi' in '2Gi' (expected cores like 0.7 or millicores like 700m)");
  CHECK_FALSE(parse_cpu_cores("lots").ok());
}

TEST_CASE("Memory and storage sizes, binary and decimal") {
  CHECK(parse_bytes("200Mi").value() == 200.0 * 1024 * 1024);
  CHECK(parse_bytes("200MiB").value() == 200.0 * 1024 * 1024);
  CHECK(parse_bytes("2.5Gi").value() == 2.5 * 1024 * 1024 * 1024);
  CHECK(parse_bytes("100MB").value() == 100e6);
  CHECK(parse_bytes("1TB").value() == 1e12);
  CHECK(parse_bytes("16G").value() == 16e9);
  CHECK(parse_bytes("512").value() == 512.0);  // plain number = bytes (Kubernetes)
  CHECK(parse_bytes("1e9").value() == 1e9);
  CHECK(parse_bytes("27.99TB").value() == Approx(27.99e12));
  CHECK_FALSE(parse_bytes("-200Mi").ok());
  CHECK(parse_bytes("-200Mi").error() == "size '-200Mi' is negative");
  // "m" is millibytes in Kubernetes: almost always a typo for Mi.
  CHECK(parse_bytes("200m").error() ==
        "'200m' is in millibytes ('m'); for mebibytes write Mi, for megabytes M");
  CHECK_FALSE(parse_bytes("200Mb").ok());
  CHECK_FALSE(parse_bytes("nan").ok());
  CHECK_FALSE(parse_bytes("inf").ok());
}

TEST_CASE("Bandwidths in bits and bytes per second") {
  CHECK(parse_bandwidth_Bps("10Gbps").value() == 1.25e9);  // 10e9 bit/s / 8
  CHECK(parse_bandwidth_Bps("1.25GB/s").value() == 1.25e9);
  CHECK(parse_bandwidth_Bps("100MiB/s").value() == 100.0 * 1024 * 1024);
  CHECK(parse_bandwidth_Bps("800Mbps").value() == 1e8);
  CHECK_FALSE(parse_bandwidth_Bps("10").ok());  // a unit is required
  CHECK_FALSE(parse_bandwidth_Bps("10GB").ok());
}

TEST_CASE("Durations, single and compound") {
  CHECK(parse_duration_s("24h").value() == 86400.0);
  CHECK(parse_duration_s("10m").value() == 600.0);
  CHECK(parse_duration_s("30s").value() == 30.0);
  CHECK(parse_duration_s("500ms").value() == Approx(0.5));
  CHECK(parse_duration_s("2d").value() == 172800.0);
  CHECK(parse_duration_s("1h30m").value() == 5400.0);  // 3600 + 1800
  CHECK(parse_duration_s("0.5ms").value() == Approx(0.0005));
  CHECK_FALSE(parse_duration_s("10").ok());
  CHECK(parse_duration_s("10").error() ==
        "'10' is not a duration (expected a number with a unit: 500ms, 30s, 10m, 24h, 2d, 1h30m)");
  CHECK(parse_duration_s("3w").error() ==
        "unknown duration unit 'w' in '3w' (expected ms, s, m, h or d)");
  CHECK_FALSE(parse_duration_s("-5s").ok());
}

TEST_CASE("Human-readable renderings") {
  CHECK(format_bytes(200.0 * 1024 * 1024) == "200.0 MiB");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_duration(5400) == "1h30m");
  CHECK(format_duration(86400) == "24h");
  CHECK(format_duration(0.25) == "250ms");
}
