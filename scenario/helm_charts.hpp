// What dlsim knows of the rucio-daemons, rucio-server and rucio-ui Helm charts
// (github.com/rucio/helm-charts): which values keys exist, which become dlsim scenario keys
// and which are read but have no effect here. Sources: the charts' values.yaml and templates
// at helm@0fee800 (2020-09-24, the FDR's time, docs/references.md) and at 40.0.0
// (2026-04, charts/ tree). docs/scenario.md#helm-values lists the mapping.
#pragma once

#include <string>
#include <vector>

namespace dlsim::scenario {

enum class HelmOptionUnit { Count, Seconds, Flag };

// One daemon option the chart's template passes as a command-line flag.
struct HelmOption {
  std::string key;     // in the chart's values, e.g. "sleepTime"
  std::string option;  // dlsim's daemon option, e.g. "sleep_time"
  HelmOptionUnit unit;
};

// One daemon section of the rucio-daemons chart (`hermes:` with its `hermesCount`).
struct HelmDaemonSection {
  std::string section;  // "conveyorTransferSubmitter"
  std::string service;  // dlsim service name; empty: not modelled by dlsim
  std::string kind;     // dlsim kind when it differs from the service name, else empty
  // true: the template always passes `--threads {{ .threads }}` (abacus-*, judge-*), so a
  // missing or 0 value is an error; false: `{{ if .threads }}`, 0 or "" means Rucio's default.
  bool threads_always = false;
  std::vector<HelmOption> options;
  std::vector<std::string> ignored;  // section keys of the chart with no effect in dlsim
};

const std::vector<HelmDaemonSection>& helm_daemon_sections();
const HelmDaemonSection* find_helm_daemon_section(const std::string& section);

// Section keys every daemon section of the chart accepts and dlsim ignores (placement,
// mounts, annotations, image).
const std::vector<std::string>& helm_daemon_common_ignored();
// Top-level keys of the rucio-daemons chart besides `<section>Count` and the sections.
const std::vector<std::string>& helm_daemons_global_ignored();
// Top-level keys of the rucio-server and rucio-ui charts that dlsim ignores.
const std::vector<std::string>& helm_server_global_ignored();
const std::vector<std::string>& helm_ui_global_ignored();

}  // namespace dlsim::scenario
