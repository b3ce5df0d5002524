// Options handed to SimGrid's engine when dlsim builds it (`dlsim run --log … --cfg …`):
// SimGrid's own command-line switches, e.g. `--log=dlsim.thres:info` (dlsim's messages),
// `--log=root.thres:info` (SimGrid's), `--cfg=network/model:CM02`. SimGrid 3.32 documents
// both at simgrid.org/doc/latest/Configuring_SimGrid.html and /Outcomes_logs.html. By default
// the root log threshold is `critical`: SimGrid's messages are not part of dlsim's output.
#pragma once

#include <string>
#include <vector>

namespace dlsim::sim {

// Each word is one switch as SimGrid parses it ("--log=…" or "--cfg=…"), applied after the
// default `--log=root.thres:critical`, so a later word overrides it. Call before building the
// engine; one engine per process.
void set_engine_options(std::vector<std::string> words);

}  // namespace dlsim::sim
