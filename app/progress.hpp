// The progress line of `dlsim run` (docs/design.md §6): on a terminal only, the simulated time
// reached, the share of the run, the rate in simulated seconds per wall second and the wall
// time left, redrawn in place (\r) at most four times a second and cleared at the end. When
// stderr is not a terminal (a pipe, a CI log, a test) nothing at all is written, so outputs
// stay byte-identical.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace dlsim::sim {

// Show progress? Only if `fd` is a terminal, not --quiet, and the CI variable is unset
// (`ci_env` is getenv("CI")).
bool progress_wanted(int fd, bool quiet, const char* ci_env);

// "[dlsim] 6h / 24h (25%), 5400 simulated s per s, about 12s left". wall_s > 0.
std::string format_progress(double simulated_s, double duration_s, double wall_s);

class ProgressLine {
 public:
  // Draws on `out` when `enabled`; a disabled line never writes.
  ProgressLine(std::FILE* out, double duration_s, bool enabled);

  // At the simulated time reached; wall time from the line's creation. Draws if at least
  // kMinRedraw has passed since the last draw (or since the start).
  void update(double simulated_s);
  void update(double simulated_s, double wall_s);  // explicit wall time (tests)
  // Blanks the line if anything was drawn.
  void finish();
  bool enabled() const { return enabled_; }

  static constexpr double kMinRedraw_s = 0.25;

 private:
  std::FILE* out_;
  double duration_s_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_draw_wall_s_ = 0;
  std::size_t width_ = 0;  // characters of the last line drawn
};

}  // namespace dlsim::sim
