// libFuzzer target for `--set key.path=value` (scenario/loader.cpp parse_set_arg and
// apply_override, then the typed reading and validation of what they wrote): the input is
// split at newlines into --set arguments, applied in order to scenarios/fdr.yaml (the richest
// scenario: every section, 28 services, 14 RSEs). The run must load or throw InputError;
// anything else is a finding.
//
// The seed corpus is the .args files of tests/bad (one argument per line; a `--set` line is
// itself a malformed argument and exercises the rejection path).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace {

const char* const kBaseFile = DLSIM_SOURCE_DIR "/scenarios/fdr.yaml";

std::string read_base() {
  std::ifstream in(kBaseFile, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string& base_text() {
  static const std::string text = read_base();
  return text;
}

}  // namespace

// The base must load as it is, or every input would be rejected for the base's sake.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)dlsim::scenario::load_scenario_text(base_text(), kBaseFile, {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& base = base_text();
  const auto sets = split_lines(std::string(reinterpret_cast<const char*>(data), size));
  try {
    (void)dlsim::scenario::load_scenario_text(base, kBaseFile, sets);
  } catch (const dlsim::scenario::InputError&) {
    // The documented way to reject input.
  }
  return 0;
}
