// Least-squares line through (x, y) points, shared by bench/linearity and bench/targets.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace dlsim::bench {

struct Line {
  double intercept = 0;
  double slope = 0;
  double r2 = 0;
  double at(double x) const { return intercept + slope * x; }
};

inline Line fit_line(const std::vector<double>& xs, const std::vector<double>& ys) {
  const double n = static_cast<double>(xs.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sx += xs[i];
    sy += ys[i];
    sxx += xs[i] * xs[i];
    sxy += xs[i] * ys[i];
  }
  Line line;
  const double den = n * sxx - sx * sx;
  line.slope = den != 0 ? (n * sxy - sx * sy) / den : 0;
  line.intercept = n > 0 ? (sy - line.slope * sx) / n : 0;
  double ss_res = 0, ss_tot = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double e = ys[i] - line.at(xs[i]);
    ss_res += e * e;
    ss_tot += (ys[i] - sy / n) * (ys[i] - sy / n);
  }
  line.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
  return line;
}

// The largest |y − line(x)| / line(x) over the points: how far the worst one is from the line.
inline double worst_relative_residual(const Line& line, const std::vector<double>& xs,
                                      const std::vector<double>& ys) {
  double worst = 0;
  for (std::size_t i = 0; i < xs.size(); ++i)
    worst = std::max(worst, std::abs(ys[i] - line.at(xs[i])) / std::abs(line.at(xs[i])));
  return worst;
}

}  // namespace dlsim::bench
