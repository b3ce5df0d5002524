// scenario.resolved.yaml (scenario/fields_k8s.hpp autoscaling_fields) for every autoscaling
// metric: the written block loads back to the same AutoscalingSpec, and writing that again
// gives the same bytes (the resolved file is a fixed point).
#include <catch2/catch.hpp>

#include <string>

#include "scenario/loader.hpp"
#include "scenario/writer.hpp"

using namespace dlsim;

namespace {

// One autoscaled service per metric: cpu (a daemon), table (KEDA on a daemon), latency with
// a CPU target (a server), fts_queue (the FTS server, KEDA) and request_rate (the FTS REST
// API). The values are arbitrary but all differ from the defaults, so a dropped key shows.
const char* kScenario = R"(
name: metrics
duration: 1h
cluster:
  node_pools:
    default: {count: 1, cpu: 16, memory: 32GiB}
    fts: {count: 2, cpu: 4, memory: 4GiB}
rucio:
  servers:
    api:
      kind: server
      resources: {requests: {cpu: 1, memory: 1Gi}}
      autoscaling: {min: 2, max: 5, metric: latency, target: 750ms, percentile: 95,
                    cpu_target: 60%, period: 20s}
  daemons:
    hermes:
      resources: {requests: {cpu: 500m, memory: 400Mi}}
      autoscaling: {min: 1, max: 3, metric: cpu, target: 65%}
    conveyor-submitter:
      autoscaling: {scaler: keda, min: 1, max: 4, metric: table, table: REQUESTS_QUEUED,
                    target: 1500, cooldown: 120s, activation: 10}
rses:
  SITE-A: {site: A, storage: dCache, quota: 1PB}
  SITE-B: {site: B, storage: EOS, quota: 1PB}
transfers:
  fts:
    deployment: k8s
    pool: fts
    server:
      replicas: 1
      max_url_copy_processes: 20
      resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1Gi}}
      autoscaling: {scaler: keda, min: 1, max: 3, metric: fts_queue, target: 40}
    rest:
      resources: {requests: {cpu: 250m, memory: 500Mi}}
      autoscaling: {min: 1, max: 2, metric: request_rate, target: 12.5}
)";

void check_same(const scenario::AutoscalingSpec& a, const scenario::AutoscalingSpec& b) {
  CHECK(a.scaler == b.scaler);
  CHECK(a.metric == b.metric);
  CHECK(a.min_replicas == b.min_replicas);
  CHECK(a.max_replicas == b.max_replicas);
  CHECK(a.target_cpu_utilization_percent == b.target_cpu_utilization_percent);
  CHECK(a.table == b.table);
  CHECK(a.target_rows_per_replica == b.target_rows_per_replica);
  CHECK(a.target_latency_s == b.target_latency_s);
  CHECK(a.latency_percentile == b.latency_percentile);
  CHECK(a.cpu_target_percent == b.cpu_target_percent);
  CHECK(a.period_s == b.period_s);
  CHECK(a.tolerance == b.tolerance);
  CHECK(a.cooldown_s == b.cooldown_s);
  CHECK(a.activation_rows == b.activation_rows);
}

}  // namespace

TEST_CASE("The resolved scenario writes every autoscaling metric and loads back the same") {
  const auto first = scenario::load_scenario_text(kScenario, "metrics.yaml", {});
  const std::string written = scenario::resolved_scenario_yaml(first.scenario);
  const auto again = scenario::load_scenario_text(written, "scenario.resolved.yaml", {});
  CHECK(scenario::resolved_scenario_yaml(again.scenario) == written);

  const auto& s1 = first.scenario;
  const auto& s2 = again.scenario;
  using M = scenario::AutoscalingMetric;
  const auto& api = *s2.rucio.servers.at("api").autoscaling;
  CHECK(api.metric == M::Latency);
  CHECK(api.target_latency_s == Approx(0.75));
  CHECK(api.latency_percentile == 95);
  CHECK(api.cpu_target_percent == 60);
  CHECK(api.period_s == 20);
  check_same(*s1.rucio.servers.at("api").autoscaling, api);
  const auto& hermes = *s2.rucio.daemons.at("hermes").autoscaling;
  CHECK(hermes.metric == M::Cpu);
  CHECK(hermes.target_cpu_utilization_percent == 65);
  check_same(*s1.rucio.daemons.at("hermes").autoscaling, hermes);
  const auto& submitter = *s2.rucio.daemons.at("conveyor-submitter").autoscaling;
  CHECK(submitter.metric == M::Table);
  CHECK(submitter.table == "REQUESTS_QUEUED");
  CHECK(submitter.target_rows_per_replica == 1500);
  check_same(*s1.rucio.daemons.at("conveyor-submitter").autoscaling, submitter);
  const auto& server = *s2.transfers.fts->server.autoscaling;
  CHECK(server.metric == M::FtsQueue);
  CHECK(server.scaler == scenario::AutoscalingScaler::Keda);
  CHECK(server.target_rows_per_replica == 40);
  check_same(*s1.transfers.fts->server.autoscaling, server);
  const auto& rest = *s2.transfers.fts->rest.autoscaling;
  CHECK(rest.metric == M::RequestRate);
  CHECK(rest.target_rows_per_replica == 12.5);
  check_same(*s1.transfers.fts->rest.autoscaling, rest);
}
