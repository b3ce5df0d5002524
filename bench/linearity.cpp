// bench/linearity: docs/design.md §7 wants wall time linear in workload size. Runs the scenario
// with every injection campaign's `files` scaled by each factor (the rest — duration, deployment,
// noise cron — unchanged), `--repeat` times each, and prints wall and CPU time against the
// number of files, a least-squares line through them, and how far each point is from it.
// A fixed part (24 h of idle daemon cycles, sampling, the noise cron) is expected: linear
// means constant marginal cost per file, i.e. the slope between neighbouring points is flat.
//
// Usage: linearity [SCENARIO] [--set key=value]... [--scales 0.25,0.5,1,2] [--repeat N]
//                  [--dlsim PATH]
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bench/args.hpp"
#include "bench/dlsim_run.hpp"
#include "bench/line_fit.hpp"
#include "scenario/loader.hpp"

namespace {
using dlsim::bench::Line;
using dlsim::bench::median;

struct Point {
  double scale = 0;
  double files = 0;
  double wall_s = 0;  // median process wall
  double cpu_s = 0;   // median process CPU
  double activities = 0;
  double peak_rss_mib = 0;
};

Line fit(const std::vector<Point>& points, double Point::*y) {
  std::vector<double> xs, ys;
  for (const auto& p : points) {
    xs.push_back(p.files);
    ys.push_back(p.*y);
  }
  return dlsim::bench::fit_line(xs, ys);
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = dlsim::bench::parse_args(
      argc, argv, "bench/linearity: wall time of `dlsim run` against workload size", true,
      [](CLI::App& app, dlsim::bench::Args& a) {
        app.add_option("--scales", a.scales, "Workload scales, e.g. 0.25,0.5,1,2")->delimiter(',');
      });
  const auto loaded = dlsim::scenario::load_scenario(args.scenario, args.sets);
  const auto& injections = loaded.scenario.workload.injections;
  fmt::print("linearity: {} with every campaign's files scaled; {} runs per point\n", args.scenario,
             args.repeat);

  std::vector<Point> points;
  int failed = 0;
  for (double scale : args.scales) {
    std::vector<std::string> sets = args.sets;
    Point p;
    p.scale = scale;
    for (const auto& [name, inj] : injections) {
      auto files = static_cast<std::int64_t>(std::llround(scale * static_cast<double>(inj.files)));
      sets.push_back(fmt::format("workload.injections.{}.files={}", name, files));
      p.files += static_cast<double>(files);
    }
    std::vector<double> wall, cpu;
    dlsim::bench::DlsimRun last;
    for (int i = 0; i < args.repeat && (i == 0 || last.ok()); ++i) {
      last = dlsim::bench::run_dlsim(args.dlsim, args.scenario, sets);
      wall.push_back(last.process.wall_s);
      cpu.push_back(last.process.cpu_s());
    }
    if (!last.ok()) {
      fmt::print("  x{:<5} {:>9.0f} files: dlsim FAILED (exit status {}); left out of the fit\n",
                 scale, p.files, last.process.exit_status);
      ++failed;
      continue;
    }
    p.wall_s = median(wall);
    p.cpu_s = median(cpu);
    p.activities = static_cast<double>(last.engine_activities());
    p.peak_rss_mib = static_cast<double>(last.process.peak_rss_bytes) / (1 << 20);
    fmt::print("  x{:<5} {:>9.0f} files: {:.2f} s wall, {:.2f} s CPU\n", scale, p.files, p.wall_s,
               p.cpu_s);
    points.push_back(p);
  }
  if (points.size() < 2) {
    fmt::print("linearity: fewer than two points ran; no fit\n");
    return 3;
  }
  std::sort(points.begin(), points.end(),
            [](const Point& a, const Point& b) { return a.files < b.files; });

  const Line wall_line = fit(points, &Point::wall_s);
  const Line cpu_line = fit(points, &Point::cpu_s);
  fmt::print("\n{:>6} {:>10} {:>12} {:>8} {:>8} {:>9} {:>10} {:>13}\n", "scale", "files",
             "activities", "wall s", "cpu s", "RSS MiB", "cpu - fit", "marginal cpu");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    double residual = p.cpu_s - (cpu_line.intercept + cpu_line.slope * p.files);
    std::string marginal = "";
    if (i > 0 && p.files > points[i - 1].files)
      marginal = fmt::format("{:.2f} us/file", 1e6 * (p.cpu_s - points[i - 1].cpu_s) /
                                                   (p.files - points[i - 1].files));
    fmt::print("{:>6} {:>10.0f} {:>12.0f} {:>8.2f} {:>8.2f} {:>9.0f} {:>+9.1f}% {:>13}\n", p.scale,
               p.files, p.activities, p.wall_s, p.cpu_s, p.peak_rss_mib, 100 * residual / p.cpu_s,
               marginal);
  }
  fmt::print("\nleast squares, CPU:  {:.2f} s + {:.2f} us/file x files   (R^2 = {:.4f})\n",
             cpu_line.intercept, 1e6 * cpu_line.slope, cpu_line.r2);
  fmt::print("least squares, wall: {:.2f} s + {:.2f} us/file x files   (R^2 = {:.4f})\n",
             wall_line.intercept, 1e6 * wall_line.slope, wall_line.r2);
  fmt::print(
      "(marginal cpu: CPU added per extra file between neighbouring points; flat = linear,"
      " rising = superlinear)\n");
  return failed > 0 ? 1 : 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "linearity: {}\n", e.what());
  return 2;
}
