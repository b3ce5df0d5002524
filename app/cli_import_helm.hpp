// `dlsim import-helm`: Helm values of the Rucio charts → the rucio section of a scenario
// (docs/design.md §6, docs/scenario.md#helm-values).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "scenario/helm_import.hpp"

namespace dlsim::sim {

struct ImportHelmArgs {
  scenario::HelmReleases releases;
  std::string output;
};

CLI::App* add_import_helm_command(CLI::App& app, ImportHelmArgs& args);
// Exit status 0; InputError for bad input (the caller prints it and exits 2).
int command_import_helm(const ImportHelmArgs& args);

}  // namespace dlsim::sim
