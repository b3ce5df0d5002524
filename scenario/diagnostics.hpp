// Diagnostics for user input: `FILE:LINE:COL: error: key.path: message`, the format every
// scenario, override and command-line error uses (docs/design.md §4), and "did you mean" hints.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dlsim::scenario {

// Where a piece of user input came from. Lines and columns are 1-based.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// An error in the user's input. `what()` is the full one-line message, ready for stderr.
class InputError : public std::runtime_error {
 public:
  InputError(const SourceLocation& where, std::string_view key_path, std::string_view message);
  const SourceLocation& where() const { return where_; }

 private:
  SourceLocation where_;
};

// The candidates closest to `word` by edit distance (case-insensitive), best first; empty when
// none is close enough to be a plausible typo.
std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates);

// " (did you mean 'x'?)", " (did you mean 'x' or 'y'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "'a', 'b' or 'c'": for messages that list the valid values.
std::string quoted_list(const std::vector<std::string>& values);

}  // namespace dlsim::scenario
