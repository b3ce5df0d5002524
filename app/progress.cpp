#include "app/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "scenario/units.hpp"

namespace dlsim::sim {

bool progress_wanted(int fd, bool quiet, const char* ci_env) {
  return !quiet && ci_env == nullptr && isatty(fd) == 1;
}

std::string format_progress(double simulated_s, double duration_s, double wall_s) {
  const double rate = wall_s > 0 ? simulated_s / wall_s : 0;
  const double share = duration_s > 0 ? std::clamp(simulated_s / duration_s, 0.0, 1.0) : 1;
  std::string line = fmt::format("[dlsim] {} / {} ({:.0f}%), {:.0f} simulated s per s",
                                 scenario::units::format_duration(simulated_s),
                                 scenario::units::format_duration(duration_s), 100 * share, rate);
  if (rate > 0 && simulated_s < duration_s)
    line +=
        fmt::format(", about {} left",
                    scenario::units::format_duration(std::ceil((duration_s - simulated_s) / rate)));
  return line;
}

ProgressLine::ProgressLine(std::FILE* out, double duration_s, bool enabled)
    : out_(out), duration_s_(duration_s), enabled_(enabled) {}

void ProgressLine::update(double simulated_s) {
  update(simulated_s,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
}

void ProgressLine::update(double simulated_s, double wall_s) {
  if (!enabled_ || wall_s - last_draw_wall_s_ < kMinRedraw_s) return;
  last_draw_wall_s_ = wall_s;
  std::string line = format_progress(simulated_s, duration_s_, wall_s);
  // Pad over the tail of a longer previous line.
  const std::size_t width = line.size();
  if (width < width_) line.append(width_ - width, ' ');
  width_ = width;
  fmt::print(out_, "\r{}", line);
  std::fflush(out_);
}

void ProgressLine::finish() {
  if (!enabled_ || width_ == 0) return;
  fmt::print(out_, "\r{}\r", std::string(width_, ' '));
  std::fflush(out_);
  width_ = 0;
}

}  // namespace dlsim::sim
