#include "app/cli_import_helm.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "scenario/diagnostics.hpp"

namespace dlsim::sim {

CLI::App* add_import_helm_command(CLI::App& app, ImportHelmArgs& args) {
  auto* cmd = app.add_subcommand(
      "import-helm",
      "Read the Helm values of the rucio-daemons, rucio-server and rucio-ui charts and write "
      "the rucio servers and daemons of a scenario");
  auto& r = args.releases;
  cmd->add_option("VALUES,--daemons", r.daemons,
                  "rucio-daemons values files, layered in order like helm -f (pass the chart's "
                  "values.yaml first: Helm applies it under yours)");
  cmd->add_option("--server", r.server, "rucio-server values files of the API server release");
  cmd->add_option("--server-auth", r.server_auth,
                  "rucio-server values files of a release run as the auth server");
  cmd->add_option("--ui", r.ui, "rucio-ui values files");
  cmd->add_option("-o,--output", args.output, "DEPLOYMENT.yaml to write (a scenario fragment)")
      ->required();
  return cmd;
}

int command_import_helm(const ImportHelmArgs& args) {
  if (args.releases.empty())
    throw scenario::InputError(
        {"import-helm", 1, 1}, "",
        "no values files (give rucio-daemons files, --server, --server-auth or --ui)");
  std::vector<std::string> warnings;
  const scenario::Deployment d = scenario::import_helm(args.releases, warnings);
  for (const auto& w : warnings) std::cerr << w << "\n";
  const std::string text = scenario::deployment_yaml(d);
  // Written whole to a temporary file and renamed, so a reader never sees half of it.
  const std::string tmp = args.output + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw scenario::InputError({"-o", 1, 1}, "", fmt::format("cannot write '{}'", args.output));
    out << text;
    if (!out.flush())
      throw scenario::InputError({"-o", 1, 1}, "", fmt::format("cannot write '{}'", tmp));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, args.output, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw scenario::InputError({"-o", 1, 1}, "", fmt::format("cannot write '{}'", args.output));
  }
  return 0;
}

}  // namespace dlsim::sim
