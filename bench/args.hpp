// The command line every benchmark takes: [SCENARIO] [--set key=value]... [--repeat N], plus
// --dlsim PATH for those that run the binary; parsed with CLI11 like dlsim itself.
#pragma once

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace dlsim::bench {

struct Args {
  std::string scenario = DLSIM_SOURCE_DIR "/scenarios/fdr.yaml";
  std::string dlsim = DLSIM_BINARY;
  std::vector<std::string> sets;
  std::vector<double> scales = {0.25, 0.5, 1.0, 2.0};  // linearity only
  int repeat = 3;
};

// Parses argv; `extra` declares the program's own options. Exits 0 after --help and 2 on a
// usage error.
inline Args parse_args(int argc, char** argv, const std::string& description, bool with_dlsim,
                       const std::function<void(CLI::App&, Args&)>& extra = {}) {
  Args args;
  CLI::App app{description};
  app.add_option("SCENARIO", args.scenario, "Scenario file (default: scenarios/fdr.yaml)");
  app.add_option("--set", args.sets, "Override a value: key.path=value (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--repeat", args.repeat, "Runs per measurement (median reported)")
      ->check(CLI::PositiveNumber);
  if (with_dlsim) app.add_option("--dlsim", args.dlsim, "The dlsim binary to run");
  if (extra) extra(app, args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);
  }
  return args;
}

}  // namespace dlsim::bench
