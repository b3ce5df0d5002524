// scenario.resolved.yaml (scenario/writer.cpp over the field tables of scenario/fields*.hpp)
// with every optional and conditional block present at least once: it loads back and writing
// it again gives the same bytes, and each block is written in its style with the values of
// the input below (each expected line is derived beside it).
#include <catch2/catch.hpp>

#include <string>

#include "scenario/loader.hpp"
#include "scenario/writer.hpp"

using namespace dlsim;

namespace {

const char* kScenario = R"(
name: blocks
description: every optional block of the resolved writer
seed: 7
duration: 20m
cluster:
  node_pools:
    a: {count: 2, cpu: 8, memory: 32GiB, reserved: {cpu: 500m, memory: 1Gi}}
    b: {count: 1, cpu: 8, memory: 32GiB, max: 3, min: 0, provisioning_delay: 2m}
    c: {count: 1, cpu: 4, memory: 16GiB, capacity_type: spot, interruptions_per_node_hour: 0.01}
    d: {count: 1, cpu: 4, memory: 16GiB, max: 2}
rucio:
  version: master
  servers:
    server:
      base_memory: 100Mi
      rollout_restarts: [5m, 10m]
      resources: {requests: {cpu: 1}, limits: {memory: 2Gi}}
      autoscaling: {min: 1, max: 4, metric: latency, target: 1s, percentile: 95, cpu_target: 70%}
  daemons:
    conveyor-submitter:
      autoscaling: {scaler: keda, max: 3, metric: table, table: REQUESTS_QUEUED, target: 500,
                    activation: 5, cooldown: 60s}
    reaper: {options: {greedy: true}}
network:
  sites:
    A: {uplink: 10Gbps, latency: 3ms}
    B: {latency: 4ms}
rses:
  RA: {site: A, storage: EOS, quota: 1PB, failure_rate: 0.1, multihop: true,
       attributes: {QOS: FAST}, no_link_to: [RB],
       failure_episodes: [{start: 5m, duration: 1m, kind: no_space, rate: 0.5}, {duration: 30s}],
       catalog: {files: 1000, bytes: 1TB, datasets: 3}}
  RB: {site: B, quota: 1PB}
workload:
  injections:
    camp:
      files: 200
      file_size: 10MB
      rse: RA
      end: 10m
      lifetime: 15m
      container: cont
      every: 10m
      attach: {mode: per_file, files_per_call: 5}
      rules:
        - {rse_expression: RB, lifetime: 5m, asynchronous: true}
        - {rse_expression: RB, level: container}
    plain: {files: 10, file_size: 1MB, rse: RB}
  clients:
    dl: {clients: 2, interval: 30s, operation: download, file_size: 1MB, start: 1m}
  deletions:
    del: {files: 100, rse_expression: RA, start: 1m, period: 30s}
  noise: {file_size: 1MB, period: 5m}
batch:
  jobs:
    j1: {pods: 3, parallelism: 2, restart_policy: OnFailure, run_time: 5m, threads: 1}
    j2: {run_time: 1m}
  vacuum:
    v1: {budget: {cpu: 4, pods: 10}, payloads: 5, resources: {requests: {cpu: 1}}, run_time: 2m}
sizing:
  targets: {upload: 1s}
)";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("The resolved scenario writes every optional block and loads back the same") {
  const auto first = scenario::load_scenario_text(kScenario, "blocks.yaml", {});
  const std::string written = scenario::resolved_scenario_yaml(first.scenario);
  const auto again = scenario::load_scenario_text(written, "scenario.resolved.yaml", {});
  CHECK(scenario::resolved_scenario_yaml(again.scenario) == written);

  // Pools: d is autoscaled without `min`, so `min` is its count (1); b, c (spot with
  // interruptions) and d write a provisioning delay (b's 2m = 120s, else the 180 s default),
  // a none.
  CHECK(count(written, "      min: 1\n      max: 2\n      provisioning_delay: 180s\n") == 1);
  CHECK(count(written, "provisioning_delay:") == 3);
  CHECK(count(written, "      provisioning_delay: 120s\n") == 1);
  CHECK(count(written, "interruptions_per_node_hour: 0.01\n") == 1);
  CHECK(count(written, "  version: \"master\"\n") == 1);
  // The server: 100 MiB = 104857600 B; 5m, 10m as seconds in a flow sequence.
  CHECK(count(written, "      base_memory: 104857600\n") == 1);
  CHECK(count(written, "      rollout_restarts: [300s, 600s]\n") == 1);
  CHECK(count(written, "        percentile: 95\n        cpu_target: 70%\n") == 1);
  CHECK(count(written, "        cooldown: 60s\n        activation: 5\n") == 1);
  CHECK(count(written, "        greedy: true\n") == 1);
  // Sites write only what they set: 10 Gb/s = 1.25e9 B/s, 3 ms, 4 ms.
  CHECK(count(written, "    A:\n      uplink: 1250000000B/s\n      latency: 0.003s\n") == 1);
  CHECK(count(written, "    B:\n      latency: 0.004s\n") == 1);
  // RA's flow blocks: 5m = 300 s, 1m = 60 s, the second episode's defaults (recoverable,
  // rate 1) and no `start` (0); 1 TB = 10^12 B.
  CHECK(count(written, "    attributes: {QOS: FAST}\n    no_link_to: [RB]\n") == 1);
  CHECK(count(written, "      - {start: 300s, duration: 60s, kind: no_space, rate: 0.5}\n") == 1);
  CHECK(count(written, "      - {duration: 30s, kind: recoverable, rate: 1}\n") == 1);
  CHECK(count(written, "    catalog: {files: 1000, bytes: 1000000000000, datasets: 3}\n") == 1);
  // Campaigns: `plain` has no `end`, so the duration (20m = 1200 s); camp's optional keys.
  CHECK(count(written, "      end: 1200s\n      files_per_dataset: 100\n") == 1);
  CHECK(count(written, "      lifetime: 900s\n      container: cont\n      every: 600s\n") == 1);
  CHECK(count(written, "      attach: {mode: per_file, files_per_call: 5}\n") == 1);
  CHECK(count(written, "          lifetime: 300s\n          level: dataset\n") == 1);
  CHECK(count(written, "          level: container\n") == 1);
  // The client's and the deletion's `end` default to the duration too; 1 MB = 10^6 B.
  CHECK(count(written, "      file_size: 1000000\n      start: 60s\n      end: 1200s\n") == 1);
  CHECK(count(written,
              "    del: {files: 100, rse_expression: RA, start: 60s, end: 1200s, period: 30s}\n") ==
        1);
  CHECK(count(written, "  noise:\n    file_size: 1000000\n    lifetime: 3600s\n") == 1);
  // Jobs: j2's `parallelism` is its `pods` (1); the vacuum budget is a block mapping.
  CHECK(count(written, "      pods: 1\n      parallelism: 1\n") == 1);
  CHECK(count(written, "      budget:\n        cpu: 4\n        pods: 10\n") == 1);
  CHECK(count(written, "  targets:\n    upload: 1s\n") == 1);
}
