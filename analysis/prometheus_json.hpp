// JSON input with exact error locations. nlohmann_json reports a syntax error by byte offset
// and keeps no positions in the parsed value, so a `FILE:LINE:COL` for a missing or mistyped
// field is found by parsing the text again through the SAX interface with an iterator that
// counts the bytes read, stopping at the value named by a JSON pointer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scenario/diagnostics.hpp"

namespace dlsim::analysis {

// Line and column (1-based, columns in bytes) of the 0-based byte `offset` of `text`.
scenario::SourceLocation location_of_offset(const std::string& file, std::string_view text,
                                            std::size_t offset);

// Parses `text` as JSON; a syntax error throws scenario::InputError at its line and column.
nlohmann::json parse_json_located(std::string_view text, const std::string& file);

// Byte offset where the value at `pointer` starts in `text` (valid JSON); when it does not
// exist, where its deepest existing ancestor starts (0 for the document).
std::size_t json_value_offset(std::string_view text, const nlohmann::json::json_pointer& pointer);

// A located error about the value at `pointer`; `key_path` is how the message names it.
class JsonInput {
 public:
  JsonInput(std::string file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}
  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  [[noreturn]] void fail(const nlohmann::json::json_pointer& pointer, std::string_view key_path,
                         std::string_view message) const;

 private:
  std::string file_;
  std::string text_;
};

}  // namespace dlsim::analysis
