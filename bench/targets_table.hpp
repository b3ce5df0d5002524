// The one table bench/targets prints: what is measured, the figure, the target, the verdict.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/core.h>

namespace dlsim::bench {

class Table {
 public:
  void target(std::string what, std::string figure, std::string target, bool met) {
    rows_.push_back(
        {std::move(what), std::move(figure), std::move(target), met ? "met" : "NOT met"});
    if (!met) ++not_met_;
  }
  // A figure without a target (reported so that it can be watched falling).
  void report(std::string what, std::string figure) {
    rows_.push_back({std::move(what), std::move(figure), "(reported)", ""});
  }
  // A measurement that could not be made (its run failed).
  void failed(std::string what, std::string target) {
    rows_.push_back({std::move(what), "run FAILED", std::move(target), "NOT met"});
    ++not_met_;
  }
  int not_met() const { return not_met_; }

  void print() const {
    std::size_t w[3] = {0, 0, 0};
    for (const auto& r : rows_) {
      w[0] = std::max(w[0], r.what.size());
      w[1] = std::max(w[1], r.figure.size());
      w[2] = std::max(w[2], r.target.size());
    }
    fmt::print("\n{:<{}}  {:<{}}  {:<{}}  {}\n", "measured", w[0], "figure", w[1], "target", w[2],
               "verdict");
    fmt::print("{}\n", std::string(w[0] + w[1] + w[2] + 15, '-'));
    for (const auto& r : rows_)
      fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", r.what, w[0], r.figure, w[1], r.target, w[2],
                 r.verdict);
  }

 private:
  struct Row {
    std::string what, figure, target, verdict;
  };
  std::vector<Row> rows_;
  int not_met_ = 0;
};

}  // namespace dlsim::bench
