// HTML building blocks of the report: escaping and tables. Every text that comes from a run
// directory (names, details, reasons) goes through html_escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dlsim::analysis {

// & < > " ' replaced by entities: safe in element content and in quoted attributes.
std::string html_escape(std::string_view text);

// A <table>: header texts (escaped here) and rows of cells that are already HTML (escape
// text cells with html_escape). Cells of `numeric` columns are right-aligned.
std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric = {});

}  // namespace dlsim::analysis
