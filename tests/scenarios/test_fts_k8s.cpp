// scenarios/fts-k8s.yaml: FTS on four 4 GiB nodes, as VMs that each run every FTS service or
// as Kubernetes services scaled on their own need, for a day with a burst of submissions.
// Both deployments run at once, each in a child process (one SimGrid engine per process).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sim/child_process.hpp"
#include "sim/engine.hpp"
#include "sim/output.hpp"
#include "sim/scenario_loader.hpp"

using namespace dlsim;
using nlohmann::json;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

sim::Child start_run(const std::string& deployment) {
  return sim::start_child([deployment](int fd) {
    auto loaded =
        sim::load_scenario("scenarios/fts-k8s.yaml", {"transfers.fts.deployment=" + deployment});
    auto result = sim::run_scenario(loaded.scenario);
    sim::write_all(fd, sim::summary_to_json(result.summary)["transfers"].dump());
    return 0;
  });
}

json finish_run(sim::Child& child) {
  auto exit = sim::finish_child(child);
  REQUIRE(exit.status == 0);
  return json::parse(exit.text);
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
  const json k8s = finish_run(k8s_child);
  const json vm = finish_run(vm_child);
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

  // Kubernetes. A server pod is an FTS host of 60 processes (1800 MiB full); a node's
  // allocatable is 3840 − 100 (eviction) = 3740 MiB, so two server pods fit a node and one
  // fits beside the REST (500 MiB) or the monitoring (1024 MiB) pod: at most 2 + 2 + 1 + 1 = 6
  // server pods on the four nodes, and the burst's queue (≫ 6 × 60) asks KEDA for its max 8.
  // Capacity = pods × 60.
  CHECK(kf["slots_per_host"] == 60);
  CHECK(kf["hosts_max"] == 6);
  CHECK(kf["capacity_max"] == 6 * 60);
  CHECK(kf["running_max"] == 6 * 60);
  // Memory for transfers = pool − server bases − REST − monitoring: 4 × 3840 − 6 × 300 −
  // 1 × 500 − 1 × 1024 = 12036 MiB (one REST pod is enough: see below), against the VMs' 8064.
  CHECK(kf["memory_bytes"]["rest"].get<double>() == Approx(500 * kMiB));
  CHECK(kf["memory_bytes"]["monitoring"].get<double>() == Approx(1024 * kMiB));
  CHECK(kf["memory_bytes"]["for_transfers"].get<double>() == Approx(12036 * kMiB));
  // A full server pod holds its base and 60 url-copy processes: 300 + 60 × 25 = 1800 MiB,
  // exactly its limit, and is never OOM-killed.
  const json& server = service(kf, "fts-server");
  CHECK(server["mem_ws_max_bytes"].get<double>() == Approx(1800 * kMiB));
  CHECK(server["oom_kills"] == 0);
  // The REST calls (job submissions and status queries) stay far under one pod's target of
  // 20 per second, so the REST Deployment never scales up, and every call is served.
  CHECK(kf["rest_calls_per_s_max"].get<double>() < 20);
  CHECK(kf["rest_calls_unserved"] == 0);
  CHECK(service(kf, "fts-rest")["cpu_mean_cores"].get<double>() > 0);

  // Every transfer is done by the end in both: 4 × 85 000 files.
  CHECK(k8s["done"] == 340000);
  CHECK(vm["done"] == 340000);
  // Transfers per hour: a url-copy slot ends at most one transfer per 30 s of setup, so an
  // hour's done is at most capacity × 120; the burst keeps the slots busy for hours, so the
  // busiest hour is near it (a transfer lasts the 30 s setup plus its copy).
  for (const json* t : {&k8s, &vm}) {
    const double bound = (*t)["fts"]["capacity_max"].get<double>() * 120;
    CHECK((*t)["done_per_hour_max"].get<double>() <= bound);
    CHECK((*t)["done_per_hour_max"].get<double>() > 0.8 * bound);
  }
  // With 360 slots against 312 the burst drains sooner: the k8s busiest hour is higher and
  // the burst's transfers wait less (p95 and p99 are burst files).
  CHECK(k8s["done_per_hour_max"].get<double>() > vm["done_per_hour_max"].get<double>());
  CHECK(k8s["queue_wait"]["p95_s"].get<double>() < vm["queue_wait"]["p95_s"].get<double>());
  CHECK(k8s["queue_wait"]["max_s"].get<double>() < vm["queue_wait"]["max_s"].get<double>());
}
