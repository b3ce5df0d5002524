#include "analysis/prometheus_json.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include <fmt/core.h>

namespace dlsim::analysis {
namespace {

// A character iterator that tells the locator how far nlohmann's lexer has read.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, std::size_t* read) : at_(at), read_(read) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    ++*read_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const CountingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  std::size_t* read_;
};

// SAX handler that follows the path of every value and stops at the target. When an event
// fires, the lexer has read the event's token (and, after a number, one more character), so
// the token starts at the first character after the previous event's end that is not white
// space or a separator.
class Locator {
 public:
  using json = nlohmann::json;
  Locator(std::string_view text, std::vector<std::string> target, const std::size_t* read)
      : text_(text), target_(std::move(target)), read_(read) {}

  std::size_t best_offset() const { return best_offset_; }

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool key(json::string_t& name) {
    frames_.back().key = name;
    prev_end_ = *read_;
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t elements = 0;  // started so far: the current one is elements - 1
    std::string key;
  };

  // A value starts: note where if its path leads to the target; false stops the parse.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().elements;
    std::vector<std::string> path;
    path.reserve(frames_.size());
    for (auto& f : frames_) path.push_back(f.array ? std::to_string(f.elements - 1) : f.key);
    std::size_t start = prev_end_;
    while (start < text_.size() &&
           std::string_view(" \t\r\n,:").find(text_[start]) != std::string_view::npos)
      ++start;
    prev_end_ = *read_;
    const bool on_way =
        path.size() <= target_.size() && std::equal(path.begin(), path.end(), target_.begin());
    if (on_way) best_offset_ = start;
    return !(on_way && path.size() == target_.size());
  }
  bool open(bool array) {
    if (!value()) return false;
    frames_.push_back({array, 0, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    prev_end_ = *read_;
    return true;
  }

  std::string_view text_;
  std::vector<std::string> target_;
  const std::size_t* read_;
  std::vector<Frame> frames_;
  std::size_t prev_end_ = 0;
  std::size_t best_offset_ = 0;
};

// The reference tokens of a JSON pointer ("/data/result/0" → data, result, 0).
std::vector<std::string> tokens_of(nlohmann::json::json_pointer pointer) {
  std::vector<std::string> out;
  while (!pointer.empty()) {
    out.push_back(pointer.back());
    pointer.pop_back();
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

scenario::SourceLocation location_of_offset(const std::string& file, std::string_view text,
                                            std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return {file, line, static_cast<int>(offset - line_start) + 1};
}

nlohmann::json parse_json_located(std::string_view text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts the bytes read, the offending one included (1-based).
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
    // parsing value - invalid literal; last read: 'tru,'" → the part after "parse error…: ".
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw scenario::InputError(location_of_offset(file, text, offset), "",
                               fmt::format("invalid JSON: {}", what));
  }
}

std::size_t json_value_offset(std::string_view text, const nlohmann::json::json_pointer& pointer) {
  std::size_t read = 0;
  Locator locator(text, tokens_of(pointer), &read);
  CountingIterator first(text.data(), &read), last(text.data() + text.size(), &read);
  nlohmann::json::sax_parse(first, last, &locator);
  return locator.best_offset();
}

void JsonInput::fail(const nlohmann::json::json_pointer& pointer, std::string_view key_path,
                     std::string_view message) const {
  throw scenario::InputError(location_of_offset(file_, text_, json_value_offset(text_, pointer)),
                             key_path, message);
}

}  // namespace dlsim::analysis
