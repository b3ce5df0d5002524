// libFuzzer target for the scenario loader (scenario/loader*.cpp, scenario/yaml_reader.cpp,
// scenario/validate*.cpp, the Helm import it may reach): any bytes either load into a
// validated Scenario or are rejected with InputError. Any other exception (uncaught, so
// std::terminate), a crash, a leak or undefined behaviour is a finding.
//
// The document is named as a file inside scenarios/fdr-helm/, so the `rucio.helm_values` of
// the seed scenarios/fdr-helm/scenario.yaml resolves and the Helm import is fuzzed as well.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)dlsim::scenario::load_scenario_text(text,
                                              DLSIM_SOURCE_DIR "/scenarios/fdr-helm/fuzz.yaml", {});
  } catch (const dlsim::scenario::InputError&) {
    // The documented way to reject input.
  }
  return 0;
}
