// dlsim's executable: everything else lives in dlsim_core.
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return dlsim::sim::run_cli(argc, argv);
}
