// One round of `dlsim size` (docs/outputs.md "dlsim size output directory"): a run of the
// scenario with overrides, its sizing, and the changes that sizing would apply next. Each
// round simulates in a child process: one SimGrid engine per process (docs/design.md §2).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/cli_size.hpp"

namespace dlsim::sim {

// One field of one service changed by a recommendation.
struct Change {
  std::string service;
  std::string field;  // key path under rucio.<daemons|servers>.<service>
  std::string from;
  std::string to;
  std::string set;  // the --set that applies it
};

struct Round {
  int number = 0;
  std::vector<Change> changes;  // applied going into this round
  std::vector<std::string> failures;
  std::map<std::string, std::string> files;  // sizing files of this round's run
  std::vector<Change> next;                  // what this round's sizing would change
};

// Runs round `number` with `sets` in a child process; its run directory is DIR/round-N.
Round run_round_in_child(const SizeArgs& args, const std::vector<std::string>& sets,
                         const std::filesystem::path& dir, int number);

nlohmann::ordered_json changes_json(const std::vector<Change>& changes);

}  // namespace dlsim::sim
