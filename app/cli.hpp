// The command line (docs/design.md §6): `dlsim run | validate`, exit status 0 ok, 1 a check failed,
// 2 invalid input or usage, 3 internal error.
#pragma once

namespace dlsim::sim {

int run_cli(int argc, char** argv);

}  // namespace dlsim::sim
