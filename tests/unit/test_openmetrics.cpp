// dlsim export-metrics' building blocks (analysis/openmetrics*): the start time, timestamps,
// label escaping, and the CPU and CFS counters of a pod bound between samples and moved to
// another node, on a run directory written by hand.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/openmetrics.hpp"
#include "analysis/openmetrics_writer.hpp"
#include "scenario/diagnostics.hpp"

using namespace dlsim::analysis;
namespace fs = std::filesystem;

TEST_CASE("openmetrics: start times are RFC 3339 UTC seconds") {
  // 2020-11-17 is day 18583 after 1970-01-01: 18583 × 86400 = 1605571200 s.
  CHECK(parse_utc_time_ms("2020-11-17T00:00:00Z") == 1605571200000);
  CHECK(parse_utc_time_ms("1970-01-01T00:00:01Z") == 1000);
  CHECK(parse_utc_time_ms("2024-02-29T23:59:59Z") == 1709251199000);  // leap day
  CHECK_FALSE(parse_utc_time_ms("2023-02-29T00:00:00Z"));             // not a leap year
  CHECK_FALSE(parse_utc_time_ms("2020-11-17T24:00:00Z"));
  CHECK_FALSE(parse_utc_time_ms("2020-11-17 00:00:00Z"));
  CHECK_FALSE(parse_utc_time_ms("2020-11-17T00:00:00+01:00"));
  CHECK_FALSE(parse_utc_time_ms("1969-12-31T23:59:59Z"));
}

TEST_CASE("openmetrics: timestamps in seconds, labels escaped") {
  using namespace dlsim::analysis::openmetrics;
  CHECK(format_timestamp_ms(1605571215000) == "1605571215");
  CHECK(format_timestamp_ms(1605571215500) == "1605571215.5");
  CHECK(format_timestamp_ms(1605571215025) == "1605571215.025");
  CHECK(format_labels({}) == "");
  CHECK(format_labels({{"a", "x\"y\\z\nw"}, {"b", ""}}) == R"({a="x\"y\\z\nw",b=""})");
  std::ostringstream out;
  Writer w(out, 1605571200000);
  w.family({"x_seconds", Type::counter, "seconds", "Help with a \\ and\na newline."});
  w.sample("{p=\"1\"}", 0.1, 0.25);
  w.sample("{p=\"1\"}", 15, 2);
  w.sample("{p=\"2\"}", 15, 1e20);
  w.end();
  CHECK(out.str() ==
        "# TYPE x_seconds counter\n# UNIT x_seconds seconds\n"
        "# HELP x_seconds Help with a \\\\ and\\na newline.\n"
        "x_seconds_total{p=\"1\"} 0.25 1605571200.1\nx_seconds_total{p=\"1\"} 2 1605571215\n"
        "x_seconds_total{p=\"2\"} 1e+20 1605571215\n# EOF\n");
  CHECK(w.series() == 2);
  CHECK(w.samples() == 3);
}

namespace {
void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// A run directory with one pod `a-0` (CPU limit 0.5): bound at 4 s on n-1, sampled every 10 s,
// evicted after 20 s and bound again at 25 s on n-2.
fs::path hand_run() {
  const fs::path dir = fs::temp_directory_path() / (std::to_string(getpid()) + "-om-run");
  fs::remove_all(dir);
  write(dir / "scenario.resolved.yaml", "name: hand\nsample_interval: 10s\n");
  write(dir / "summary.json", R"({"nodes": []})");
  write(dir / "pods.csv",
        "pod,service,node,cpu_request_cores,cpu_limit_cores,mem_request_bytes,mem_limit_bytes\n"
        "a-0,a,n-2,0.5,0.5,,\n");
  write(dir / "events.csv",
        "time_s,kind,object,node,detail\n4,Scheduled,a-0,n-1,\n22,Evicted,a-0,n-1,x\n"
        "25,Scheduled,a-0,n-2,\n");
  write(dir / "timeseries/pods.csv",
        "time_s,object,cpu_cores,throttled_fraction,mem_ws_bytes,mem_rss_bytes,restarts\n"
        "10,a-0,0.5,1,100,90,0\n20,a-0,0.25,0.5,200,190,0\n30,a-0,0.2,0,300,290,1\n");
  write(dir / "timeseries/nodes.csv",
        "time_s,object,cpu_used_cores,mem_ws_bytes,cpu_requested_cores,mem_requested_bytes\n");
  write(dir / "timeseries/cluster.csv",
        "time_s,object,nodes_ready,nodes_not_ready,nodes_provisioning,pods_pending\n");
  write(dir / "timeseries/tables.csv", "time_s,object,rows,inserted,drained\n");
  write(dir / "timeseries/rses.csv", "time_s,object,files,bytes,free_bytes\n");
  write(dir / "timeseries/links.csv",
        "time_s,object,active_limit,queued,in_flight,done,failed,bytes_done\n");
  return dir;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("openmetrics: CPU and CFS counters integrate each sample over its window") {
  const fs::path dir = hand_run();
  OpenMetricsOptions options;
  options.extra_labels = {{"source", "dlsim"}};
  const auto counts = export_openmetrics(dir, dir / "m.om", options);
  const std::string om = read(dir / "m.om");
  const std::string n1 = R"({namespace="rucio",pod="a-0",container="a",node="n-1",source="dlsim"})";
  const std::string n2 = R"({namespace="rucio",pod="a-0",container="a",node="n-2",source="dlsim"})";
  // Windows: 10 − 4 (bound at 4 s) = 6 s, then 10 s, then 30 − 25 (bound again) = 5 s.
  // CPU: 0.5 × 6 = 3; + 0.25 × 10 = 5.5; + 0.2 × 5 = 6.5 core-seconds.
  CHECK(om.find("container_cpu_usage_seconds_total" + n1 + " 3 1605571210\n") != std::string::npos);
  CHECK(om.find("container_cpu_usage_seconds_total" + n1 + " 5.5 1605571220\n") !=
        std::string::npos);
  CHECK(om.find("container_cpu_usage_seconds_total" + n2 + " 6.5 1605571230\n") !=
        std::string::npos);
  // Periods of 0.1 s: 6 / 0.1 = 60, + 100 = 160, + 50 = 210. Throttled: 1 × 60 = 60,
  // + 0.5 × 100 = 110, + 0 = 110.
  CHECK(om.find("container_cpu_cfs_periods_total" + n2 + " 210 1605571230\n") != std::string::npos);
  CHECK(om.find("container_cpu_cfs_throttled_periods_total" + n1 + " 110 1605571220\n") !=
        std::string::npos);
  CHECK(om.find("kube_pod_container_status_restarts_total" + n2 + " 1 1605571230\n") !=
        std::string::npos);
  CHECK(
      om.find(
          R"(kube_pod_container_resource_limits{namespace="rucio",pod="a-0",container="a",node="n-1",resource="cpu",unit="core",source="dlsim"} 0.5 1605571210)") !=
      std::string::npos);
  CHECK(om.find("resource=\"memory\"") == std::string::npos);  // memory not set: no series
  // Per node label set: 6 pod families + requests and limits (cpu) = 8, × 2 nodes = 16
  // series, 3 samples each = 24.
  CHECK(counts.series == 16);
  CHECK(counts.samples == 24);
  CHECK(om.ends_with("# EOF\n"));
  fs::remove_all(dir);
}

TEST_CASE("openmetrics: a malformed sample is reported at its line, nothing is written") {
  const fs::path dir = hand_run();
  write(dir / "timeseries/pods.csv",
        "time_s,object,cpu_cores,throttled_fraction,mem_ws_bytes,mem_rss_bytes,restarts\n"
        "10,a-0,0.5,1,100,90,0\n20,b-0,0.25,0.5,200,190,0\n");
  try {
    export_openmetrics(dir, dir / "m.om", {});
    FAIL("no error");
  } catch (const dlsim::scenario::InputError& e) {
    CHECK(std::string(e.what()) ==
          (dir / "timeseries/pods.csv").string() + ":3:1: error: pod 'b-0' is not in pods.csv");
  }
  CHECK_FALSE(fs::exists(dir / "m.om"));
  for (const auto& f : fs::directory_iterator(dir))
    CHECK(f.path().filename().string().find(".tmp-") == std::string::npos);
  fs::remove_all(dir);
}
