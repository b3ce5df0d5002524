#include "scenario/rse_expression.hpp"

#include <algorithm>
#include <sstream>

namespace dlsim::scenario {

std::vector<std::string> resolve_rse_expression(const std::string& expression,
                                                const std::map<std::string, RseSpec>& rses,
                                                std::vector<std::string>* unknown) {
  std::vector<std::string> out;
  if (expression == "*") {
    for (const auto& [name, _] : rses) out.push_back(name);
    return out;
  }
  auto add = [&out](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  std::stringstream ss(expression);
  for (std::string term; std::getline(ss, term, '|');) {
    if (auto eq = term.find('='); eq != std::string::npos) {
      // KEY=VALUE: every RSE with that attribute value (RSE names hold no '=').
      const auto key = term.substr(0, eq), value = term.substr(eq + 1);
      bool any = false;
      for (const auto& [name, rse] : rses)
        if (auto it = rse.attributes.find(key); it != rse.attributes.end() && it->second == value) {
          add(name);
          any = true;
        }
      if (!any && unknown) unknown->push_back(term);
    } else if (rses.count(term)) {
      add(term);
    } else if (unknown) {
      unknown->push_back(term);
    }
  }
  return out;
}

}  // namespace dlsim::scenario
