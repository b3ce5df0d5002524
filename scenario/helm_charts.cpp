#include "scenario/helm_charts.hpp"

namespace dlsim::scenario {
namespace {

using U = HelmOptionUnit;

// Each entry follows the section's template: the flags it passes and the values keys they
// come from (helm@0fee800:rucio-daemons/templates/<daemon>.yaml, the `value:` of the
// RUCIO_DAEMON_ARGS environment variable; 40.0.0: charts/rucio-daemons/templates/
// <group>-deployment.yaml, the `<daemon>-daemon-args` definitions).
std::vector<HelmDaemonSection> make_sections() {
  const std::vector<std::string> rse_filters = {"scheme", "includeRses", "excludeRses",
                                                "rses",   "includeDids", "excludeDids"};
  auto old_reaper = rse_filters;  // 0fee800's old reaper also has workers, threadsPerWorker
  old_reaper.insert(old_reaper.end(), {"workers", "threadsPerWorker"});
  return {
      {"abacusAccount", "abacus-account", "", true, {}, {}},
      {"abacusCollectionReplica", "abacus-collection-replica", "", true, {}, {}},
      {"abacusRse", "abacus-rse", "", true, {}, {"fillHistoryTable"}},
      {"conveyorTransferSubmitter",
       "conveyor-submitter",
       "",
       false,
       {{"bulk", "bulk", U::Count},
        {"groupBulk", "group_bulk", U::Count},
        {"sleepTime", "sleep_time", U::Seconds}},
       {"activities", "excludeActivities", "groupPolicy", "mock", "sourceStrategy", "excludeRses",
        "includeRses", "rses", "maxSources", "retryOtherFts", "ignoreAvailability",
        "archiveTimeout"}},
      {"conveyorPoller",
       "conveyor-poller",
       "",
       false,
       {{"dbBulk", "db_bulk", U::Count},
        {"ftsBulk", "fts_bulk", U::Count},
        {"sleepTime", "sleep_time", U::Seconds},
        {"olderThan", "older_than", U::Seconds}},
       {"activities", "activitiesShare"}},
      {"conveyorFinisher",
       "conveyor-finisher",
       "",
       false,
       {{"dbBulk", "db_bulk", U::Count},
        {"bulk", "bulk", U::Count},
        {"sleepTime", "sleep_time", U::Seconds}},
       {"activities"}},
      // 0fee800 passes --delay (hermes' padded cycle period); 40.0.0 passes --bulk only.
      {"hermes",
       "hermes",
       "",
       false,
       {{"bulk", "bulk", U::Count}, {"delay", "sleep_time", U::Seconds}},
       {"brokerTimeout", "brokerRetry", "useSSL"}},
      {"hermesLegacy",
       "hermes-legacy",
       "hermes",
       false,
       {{"bulk", "bulk", U::Count}, {"sleepTime", "sleep_time", U::Seconds}},
       {"brokerTimeout", "brokerRetry"}},
      {"judgeCleaner", "judge-cleaner", "", true, {}, {}},
      {"judgeEvaluator",
       "judge-evaluator",
       "",
       true,
       {{"sleepTime", "sleep_time", U::Seconds}, {"didLimit", "did_limit", U::Count}},
       {}},
      {"judgeInjector", "judge-injector", "", true, {}, {}},
      {"judgeRepairer", "judge-repairer", "", true, {}, {}},
      // reaper2 of 0fee800 and `reaper` of 40.0.0 run rucio-reaper2's flags; dlsim's reaper
      // is reaper2. 0fee800's `reaper` is the old rucio-reaper (--total-workers,
      // --threads-per-worker): see helm_import.cpp.
      {"reaper2",
       "reaper",
       "",
       false,
       {{"greedy", "greedy", U::Flag},
        {"chunkSize", "chunk_size", U::Count},
        {"delaySeconds", "delay_seconds", U::Seconds},
        {"sleepTime", "sleep_time", U::Seconds}},
       rse_filters},
      {"reaper",
       "reaper",
       "",
       false,
       {{"greedy", "greedy", U::Flag},
        {"chunkSize", "chunk_size", U::Count},
        {"delaySeconds", "delay_seconds", U::Seconds},
        {"sleepTime", "sleep_time", U::Seconds}},
       old_reaper},
      {"transmogrifier",
       "transmogrifier",
       "",
       false,
       {{"bulk", "bulk", U::Count}, {"sleepTime", "sleep_time", U::Seconds}},
       {}},
      // --total-workers {{ .threads }} --chunk-size {{ .chunkSize }}
      {"undertaker", "undertaker", "", false, {{"chunkSize", "chunk_size", U::Count}}, {}},
      // Sections of daemons dlsim does not model: a Count above 0 is a warning.
      {"automatix", "", "", false, {}, {"sleepTime"}},
      {"cacheConsumer", "", "", false, {}, {}},
      {"conveyorReceiver", "", "", false, {}, {}},
      {"conveyorStager", "", "", false, {}, {"activities", "sleepTime", "archiveTimeout", "bulk"}},
      {"conveyorThrottler", "", "", false, {}, {"sleepTime"}},
      {"conveyorPreparer", "", "", false, {}, {"bulk", "sleepTime", "ignoreAvailability"}},
      {"darkReaper",
       "",
       "",
       false,
       {},
       {"workers", "chunkSize", "scheme", "rses", "includeRses", "excludeRses"}},
      {"oauthManager", "", "", false, {}, {}},
      {"tracerKronos", "", "", false, {}, {}},
      {"minos", "", "", false, {}, {}},
      {"minosTemporaryExpiration", "", "", false, {}, {}},
      {"necromancer", "", "", false, {}, {}},
      {"replicaRecoverer", "", "", false, {}, {}},
  };
}

}  // namespace

const std::vector<HelmDaemonSection>& helm_daemon_sections() {
  static const auto sections = make_sections();
  return sections;
}

const HelmDaemonSection* find_helm_daemon_section(const std::string& section) {
  for (const auto& s : helm_daemon_sections())
    if (s.section == section) return &s;
  return nullptr;
}

const std::vector<std::string>& helm_daemon_common_ignored() {
  static const std::vector<std::string> keys = {
      "podAnnotations", "podLabels",           "nodeSelector", "affinity",
      "tolerations",    "additionalEnvs",      "secretMounts", "extraSecretMounts",
      "hostPathMounts", "extraHostPathMounts", "image",        "config"};
  return keys;
}

const std::vector<std::string>& helm_daemons_global_ignored() {
  static const std::vector<std::string> keys = {"image",
                                                "imagePullSecrets",
                                                "imageRegistry",
                                                "additionalEnvs",
                                                "deploymentAnnotations",
                                                "strategy",
                                                "useDeprecatedImplicitSecrets",
                                                "podLabels",
                                                "podAnnotations",
                                                "minReadySeconds",
                                                "monitoring",
                                                "ftsRenewal",
                                                "policyPackages",
                                                "automaticRestart",
                                                "secretMounts",
                                                "hostPathMounts",
                                                "additionalSecrets",
                                                "config",
                                                "optional_config",
                                                "persistentVolumes",
                                                "serviceAccountName"};
  return keys;
}

const std::vector<std::string>& helm_server_global_ignored() {
  static const std::vector<std::string> keys = {"useDeprecatedImplicitSecrets",
                                                "exposeErrorLogs",
                                                "errorLogsExporterResources",
                                                "errorLog",
                                                "useSSL",
                                                "hostname",
                                                "tlsSecretName",
                                                "image",
                                                "imagePullSecrets",
                                                "imageRegistry",
                                                "service",
                                                "authService",
                                                "traceService",
                                                "deploymentAnnotations",
                                                "strategy",
                                                "minReadySeconds",
                                                "readinessProbe",
                                                "livenessProbe",
                                                "logFormat",
                                                "monitoring",
                                                "metricsExporterResources",
                                                "ftsRenewal",
                                                "policyPackages",
                                                "automaticRestart",
                                                "secretMounts",
                                                "hostPathMounts",
                                                "additionalEnvs",
                                                "additionalSecrets",
                                                "httpd_config",
                                                "ingress",
                                                "authIngress",
                                                "traceIngress",
                                                "config",
                                                "nodeSelector",
                                                "tolerations",
                                                "affinity",
                                                "persistentVolumes",
                                                "serviceAccountName"};
  return keys;
}

const std::vector<std::string>& helm_ui_global_ignored() {
  static const std::vector<std::string> keys = {"useDeprecatedImplicitSecrets",
                                                "exposeErrorLogs",
                                                "hostname",
                                                "tlsSecretName",
                                                "service",
                                                "image",
                                                "imagePullSecrets",
                                                "imageRegistry",
                                                "strategy",
                                                "minReadySeconds",
                                                "proxy",
                                                "policyPackages",
                                                "ingress",
                                                "secretMounts",
                                                "httpd_config",
                                                "config",
                                                "optional_config",
                                                "additionalEnvs",
                                                "nodeSelector",
                                                "tolerations",
                                                "affinity",
                                                "additionalSecrets",
                                                "persistentVolumes",
                                                "serviceAccountName",
                                                "hostPathMounts"};
  return keys;
}

}  // namespace dlsim::scenario
