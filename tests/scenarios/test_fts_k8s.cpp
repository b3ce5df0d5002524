// scenarios/fts-k8s.yaml: FTS on four 4 GiB nodes, as VMs that each run every FTS service or
// as Kubernetes services scaled on their own need, for a day with a burst of submissions.
// Both deployments run at once, each in a child process (one SimGrid engine per process).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "app/child_process.hpp"
#include "app/output.hpp"
#include "app/run_wiring.hpp"
#include "app/terminal_summary.hpp"
#include "scenario/loader.hpp"
#include "scenario/units.hpp"

using namespace dlsim;
using nlohmann::json;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

sim::Child start_run(const std::string& deployment) {
  return sim::start_child([deployment](int fd) {
    auto loaded = scenario::load_scenario("scenarios/fts-k8s.yaml",
                                          {"transfers.fts.deployment=" + deployment});
    auto result = sim::run_scenario(loaded.scenario);
    const json out{{"transfers", sim::summary_to_json(result.summary)["transfers"]},
                   {"terminal", sim::terminal_summary(loaded.scenario, result.summary)}};
    sim::write_all(fd, out.dump());
    return 0;
  });
}

// summary.json's `transfers`, and the terminal summary as "terminal".
json finish_run(sim::Child& child, std::string& terminal) {
  auto exit = sim::finish_child(child);
  REQUIRE(exit.status == 0);
  json out = json::parse(exit.text);
  terminal = out["terminal"].get<std::string>();
  return out["transfers"];
}

// The terminal's FTS line, as it must read from the transfers block of summary.json.
std::string fts_line(const json& t) {
  auto d = [&](const char* key) { return scenario::units::format_duration(t["queue_wait"][key]); };
  return fmt::format(
      "FTS ({}): queue wait p50 {}, p95 {}, max {}; transfers per hour mean {:.0f}, max {}; "
      "memory for transfers {}\n",
      t["fts"]["deployment"].get<std::string>(), d("p50_s"), d("p95_s"), d("max_s"),
      t["done_per_hour_mean"].get<double>(), t["done_per_hour_max"].get<std::int64_t>(),
      scenario::units::format_bytes(t["fts"]["memory_bytes"]["for_transfers"].get<double>()));
}

const json& service(const json& fts, const std::string& name) {
  for (const auto& s : fts["services"])
    if (s["name"] == name) return s;
  throw std::runtime_error("no service " + name);
}

}  // namespace

TEST_CASE("fts-k8s: split FTS services free memory for transfers and shorten the burst's wait") {
  auto k8s_child = start_run("k8s");
  auto vm_child = start_run("vm");
  std::string k8s_terminal, vm_terminal;
  const json k8s = finish_run(k8s_child, k8s_terminal);
  const json vm = finish_run(vm_child, vm_terminal);
  const json& kf = k8s["fts"];
  const json& vf = vm["fts"];

  // VMs. Each 4 GiB VM less its 256 MiB reservation (3840 MiB) runs the server (300 MiB),
  // REST (2 × 250 MiB) and monitoring (1024 MiB): 2016 MiB left for transfers, and FTS keeps
  // MinRequiredFreeRAM (50 MB = 47.7 MiB) free: ⌊1968.3 / 25⌋ = 78 url-copy processes a VM
  // (under MaxUrlCopyProcesses 400), 312 over the four.
  CHECK(vf["slots_per_host"] == 78);
  CHECK(vf["hosts_max"] == 4);
  CHECK(vf["capacity_max"] == 312);
  CHECK(vf["memory_bytes"]["for_transfers"].get<double>() == Approx(4 * 2016 * kMiB));

  // Kubernetes. A server pod is an FTS host of 60 processes (1800 MiB when full); a node's
  // allocatable is 3840 − 100 (eviction threshold) = 3740 MiB: two server pods fit a node
  // (3600), one beside a REST (500) or monitoring (1024) pod. With the monitoring pod and at
  // least one REST pod on the pool, at most 2 + 2 + 2 + 1 = 7 server pods fit, at least 4
  // (one a node); the burst's queue (far above 8 × 60) asks KEDA for its max of 8, so the
  // pool, not the autoscaler, bounds them. Capacity = pods × 60, and the burst fills it.
  CHECK(kf["slots_per_host"] == 60);
  const int pods = kf["hosts_max"].get<int>();
  CHECK(pods >= 4);
  CHECK(pods <= 7);
  CHECK(kf["capacity_max"] == pods * 60);
  CHECK(kf["running_max"] == pods * 60);
  CHECK(vf["running_max"] == 312);
  // REST: the conveyor's submissions and status queries peak at r calls/s over a minute; the
  // HPA (target 20 per pod) runs ceil(r / 20) pods at that peak, one fewer if its 15 s sync
  // saw less than the sampled peak. Every call finds a REST pod (min 1).
  const double rest_pods = kf["memory_bytes"]["rest"].get<double>() / (500 * kMiB);
  const double wanted = std::ceil(kf["rest_calls_per_s_max"].get<double>() / 20);
  CHECK(rest_pods <= std::min(wanted, 4.0));
  CHECK(rest_pods >= wanted - 1);
  CHECK(kf["rest_calls_unserved"] == 0);
  CHECK(service(kf, "fts-rest")["cpu_mean_cores"].get<double>() > 0);
  // Memory for transfers = pool − server bases − REST − monitoring pods at their peaks:
  // 15360 − pods × 300 − REST − 1024 MiB, against the VMs' 8064 MiB.
  CHECK(kf["memory_bytes"]["monitoring"].get<double>() == Approx(1024 * kMiB));
  CHECK(kf["memory_bytes"]["for_transfers"].get<double>() ==
        Approx((15360 - pods * 300 - 1024) * kMiB - kf["memory_bytes"]["rest"].get<double>()));
  CHECK(kf["memory_bytes"]["for_transfers"].get<double>() >
        vf["memory_bytes"]["for_transfers"].get<double>());
  // A full server pod holds its base and 60 url-copy processes: 300 + 60 × 25 = 1800 MiB,
  // exactly its limit, and is never OOM-killed.
  const json& server = service(kf, "fts-server");
  CHECK(server["mem_ws_max_bytes"].get<double>() == Approx(1800 * kMiB));
  CHECK(server["oom_kills"] == 0);
  // Pods alive count Pending ones: KEDA asks for its max of 8 in the burst (above), so 8 exist
  // though at most 7 run. The monitoring pod is one static pod, bound from the start of the
  // 24 h: 24 pod-hours, less its scheduling delay (well under a minute, 0.1 % of the day).
  CHECK(server["pods_max"] == 8);
  const json& monitoring = service(kf, "fts-monitoring");
  CHECK(monitoring["pods_min"] == 1);
  CHECK(monitoring["pods_max"] == 1);
  CHECK(monitoring["pod_hours"].get<double>() == Approx(24).epsilon(0.001));

  // Every one of the 4 × 85 000 transfers is done by the end on Kubernetes; the VMs still hold
  // the last of the burst's backlog (under 2 % of it).
  CHECK(k8s["done"] == 340000);
  CHECK(vm["done"].get<double>() > 0.98 * 340000);
  // Transfers per hour: a slot ends at most one transfer per 30 s of setup, so an hour's done
  // is at most capacity × 120. In the busiest hour every slot is busy in both runs, so the
  // busiest hours compare as the slots do (360 / 312 = 1.15), give or take how long the copies
  // take (the waves share the sites' uplinks differently): more on Kubernetes, by 10 to 30 %.
  for (const json* t : {&k8s, &vm})
    CHECK((*t)["done_per_hour_max"].get<double>() <=
          (*t)["fts"]["capacity_max"].get<double>() * 120);
  const double busiest_ratio =
      k8s["done_per_hour_max"].get<double>() / vm["done_per_hour_max"].get<double>();
  CHECK(busiest_ratio > 1.1);
  CHECK(busiest_ratio < 1.3);
  // More slots drain the burst sooner: its transfers (the slowest 5 % and beyond) wait less.
  CHECK(k8s["queue_wait"]["p95_s"].get<double>() < vm["queue_wait"]["p95_s"].get<double>());
  CHECK(k8s["queue_wait"]["max_s"].get<double>() < vm["queue_wait"]["max_s"].get<double>());
  CHECK(k8s["queue_wait"]["mean_s"].get<double>() < vm["queue_wait"]["mean_s"].get<double>());

  // The terminal prints these figures on one FTS line below the transfers line, in each run.
  CHECK(k8s_terminal.find(fts_line(k8s)) != std::string::npos);
  CHECK(vm_terminal.find(fts_line(vm)) != std::string::npos);
  CHECK(fts_line(k8s).rfind("FTS (k8s): queue wait p50 ", 0) == 0);
  CHECK(fts_line(vm).rfind("FTS (vm): queue wait p50 ", 0) == 0);
}
