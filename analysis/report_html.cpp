#include "analysis/report_html.hpp"

namespace dlsim::analysis {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric) {
  auto is_numeric = [&](std::size_t i) { return i < numeric.size() && numeric[i]; };
  std::string out = "<table>\n<thead><tr>";
  for (std::size_t i = 0; i < header.size(); ++i)
    out += (is_numeric(i) ? "<th class=\"n\">" : "<th>") + html_escape(header[i]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (is_numeric(i) ? "<td class=\"n\">" : "<td>") + row[i] + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace dlsim::analysis
