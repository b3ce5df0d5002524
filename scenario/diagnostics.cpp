#include "scenario/diagnostics.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/core.h>

namespace dlsim::scenario {
namespace {

std::string make_message(const SourceLocation& where, std::string_view key_path,
                         std::string_view message) {
  std::string prefix = fmt::format("{}:{}:{}: error: ", where.file, where.line, where.column);
  if (!key_path.empty()) prefix += fmt::format("{}: ", key_path);
  return prefix + std::string(message);
}

// Damerau-free Levenshtein distance, case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] =
          std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

InputError::InputError(const SourceLocation& where, std::string_view key_path,
                       std::string_view message)
    : std::runtime_error(make_message(where, key_path, message)), where_(where) {}

std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  // A typo is plausible up to about a third of the word's length (at least 2 edits).
  const std::size_t budget = std::max<std::size_t>(2, word.size() / 3);
  std::size_t best = budget + 1;
  std::vector<std::string> out;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      out = {c};
    } else if (d == best && std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  }
  if (out.size() > 3) out.resize(3);
  return out;
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += (i + 1 == values.size()) ? " or " : ", ";
    out += fmt::format("'{}'", values[i]);
  }
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = closest_matches(word, candidates);
  if (best.empty()) return "";
  return fmt::format(" (did you mean {}?)", quoted_list(best));
}

}  // namespace dlsim::scenario
