// RSE expressions as a scenario writes them (a rule's or a deletion campaign's
// `rse_expression`): the subset of Rucio's grammar dlsim knows, union of terms with '|', a
// term being an RSE name, KEY=VALUE (every RSE whose attribute KEY is VALUE), or '*' alone
// (every RSE). Rucio: lib/rucio/core/rse_expression_parser.py (parse_expression). Used by the
// validator (an expression must select an RSE) and by the workload (where replicas go).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace dlsim::scenario {

// The RSE names an expression selects: names joined by '|', or '*' for all RSEs. Unknown
// names are returned in `unknown`.
std::vector<std::string> resolve_rse_expression(const std::string& expression,
                                                const std::map<std::string, RseSpec>& rses,
                                                std::vector<std::string>* unknown = nullptr);

}  // namespace dlsim::scenario
