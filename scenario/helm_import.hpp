// `dlsim import-helm` and the scenario key `rucio.helm_values`: Helm releases of the
// rucio-daemons, rucio-server and rucio-ui charts → the `rucio.servers` / `rucio.daemons`
// keys of a scenario (docs/scenario.md#helm-values). What each chart key becomes is in
// scenario/helm_charts.cpp.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/diagnostics.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

// Values files of each release, each list layered in order as `helm install -f … -f …`.
struct HelmReleases {
  std::vector<std::string> daemons;      // rucio-daemons chart
  std::vector<std::string> server;       // rucio-server chart (serverType api; 0fee800 also auth)
  std::vector<std::string> server_auth;  // rucio-server chart run as the auth server
  std::vector<std::string> ui;           // rucio-ui chart
  bool empty() const {
    return daemons.empty() && server.empty() && server_auth.empty() && ui.empty();
  }
};

// One scenario key the import writes, e.g. path "daemons.hermes.options.bulk", value "100",
// and where in which values file it came from.
struct DeploymentEntry {
  std::string path;  // below `rucio.`
  std::string value;
  SourceLocation where;
};

struct Deployment {
  std::vector<DeploymentEntry> entries;  // service by service, in name order
  std::vector<std::string> sources;      // "rucio-daemons: a.yaml, b.yaml" per release
};

// Reads and maps every release. Invalid values throw InputError (FILE:LINE:COL of the values
// file); keys the charts do not have, and chart features dlsim does not model, are warnings.
Deployment import_helm(const HelmReleases& releases, std::vector<std::string>& warnings);

// The deployment as a scenario fragment: `rucio:` with `servers:` and `daemons:`.
std::string deployment_yaml(const Deployment& d);

// Writes the deployment into a scenario's `rucio` mapping under the keys the scenario does not
// set itself (the scenario wins, mappings merge), noting each created node's origin in `ctx`.
void merge_deployment(YAML::Node rucio, const Deployment& d, InputContext& ctx);

// The scenario key `rucio.helm_values: {daemons: [FILE, …], server: […], server-auth: […],
// ui: […]}` (files relative to the scenario file): imports the releases, prints the warnings
// on stderr, merges the result and removes the key. Does nothing without the key.
void apply_helm_values(YAML::Node root, InputContext& ctx);

}  // namespace dlsim::scenario
