#include "analysis/report_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include <fmt/core.h>

#include "analysis/report_html.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

// Plot area inside the 640 × 220 SVG.
constexpr double kWidth = 640, kHeight = 220;
constexpr double kLeft = 70, kTop = 10, kBottom = 24;
constexpr std::size_t kMaxMarkerLabels = 3;

struct Frame {
  double end_s, left_max, right_max, right_margin;
  double plot_w() const { return kWidth - kLeft - right_margin; }
  double plot_h() const { return kHeight - kTop - kBottom; }
  double x(double t) const { return kLeft + std::clamp(t / end_s, 0.0, 1.0) * plot_w(); }
  double y(double v, bool right) const {
    double m = right ? right_max : left_max;
    return kTop + plot_h() - std::clamp(v / m, 0.0, 1.0) * plot_h();
  }
};

double series_max(const Chart& c, bool right) {
  double m = 0;
  for (const auto& s : c.series)
    if (s.right_axis == right)
      for (double v : s.points.values) m = std::max(m, v);
  if (!right)
    for (const auto& l : c.levels) m = std::max(m, l.value);
  return m;
}

std::string axes(const Frame& f, const std::vector<double>& left, const std::vector<double>& right,
                 const Chart& c) {
  std::string out;
  for (double v : left)
    out += fmt::format(
        "<line class=\"grid\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
        "<text class=\"yl\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
        kLeft, kLeft + f.plot_w(), f.y(v, false), f.y(v, false), kLeft - 4, f.y(v, false) + 4,
        html_escape(format_value(v, c.unit)));
  for (double v : right)
    out += fmt::format("<text class=\"yr\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                       kLeft + f.plot_w() + 4, f.y(v, true) + 4,
                       html_escape(format_value(v, c.right_unit)));
  for (double t : time_ticks(f.end_s))
    out += fmt::format("<text class=\"xl\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", f.x(t),
                       kHeight - 8, html_escape(format_time(t)));
  out += fmt::format(
      "<rect class=\"frame\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
      "height=\"{:.1f}\"/>\n",
      kLeft, kTop, f.plot_w(), f.plot_h());
  return out;
}

std::string series_path(const Frame& f, const ChartSeries& s) {
  std::string pts;
  pts.reserve(s.points.t_s.size() * 12);
  for (std::size_t i = 0; i < s.points.t_s.size(); ++i)
    pts +=
        fmt::format("{:.1f},{:.1f} ", f.x(s.points.t_s[i]), f.y(s.points.values[i], s.right_axis));
  if (s.area && !s.points.t_s.empty()) {
    double base = f.y(0, s.right_axis);
    return fmt::format(
        "<polygon class=\"area\" fill=\"{}\" points=\"{:.1f},{:.1f} {}{:.1f},{:.1f}\">"
        "<title>{}</title></polygon>\n",
        s.color, f.x(s.points.t_s.front()), base, pts, f.x(s.points.t_s.back()), base,
        html_escape(s.name));
  }
  return fmt::format(
      "<polyline class=\"line\" stroke=\"{}\" points=\"{}\"><title>{}</title>"
      "</polyline>\n",
      s.color, pts, html_escape(s.name));
}

// Markers closer than a pixel are merged into one line whose tooltip lists the first few.
std::string markers(const Frame& f, const std::vector<ChartMarker>& ms) {
  std::map<long, std::vector<const ChartMarker*>> by_pixel;
  for (const auto& m : ms) by_pixel[std::lround(f.x(m.t_s))].push_back(&m);
  std::string out;
  for (const auto& [px, group] : by_pixel) {
    std::string label;
    for (std::size_t i = 0; i < group.size() && i < kMaxMarkerLabels; ++i)
      label += (i ? "\n" : "") + group[i]->label;
    if (group.size() > kMaxMarkerLabels)
      label += fmt::format("\n… and {} more", group.size() - kMaxMarkerLabels);
    out += fmt::format(
        "<g class=\"marker\"><title>{}</title><line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" "
        "y2=\"{:.1f}\"/><path d=\"M{} {:.1f}l-4 -7h8z\"/></g>\n",
        html_escape(label), px, px, kTop, kTop + f.plot_h(), px, kTop + 7);
  }
  return out;
}

// Three significant digits without an exponent: 1000, 12.5, 0.0123.
std::string three_digits(double v) {
  if (std::abs(v) >= 100 || v == 0) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

}  // namespace

std::string render_chart(const Chart& c) {
  bool has_right =
      std::any_of(c.series.begin(), c.series.end(), [](const auto& s) { return s.right_axis; });
  auto left = nice_ticks(series_max(c, false), c.unit);
  auto right = has_right ? nice_ticks(series_max(c, true), c.right_unit) : std::vector<double>{};
  Frame f{c.end_s > 0 ? c.end_s : 1, left.back(), has_right ? right.back() : 1,
          has_right ? 56.0 : 16.0};
  std::string out = "<figure class=\"chart\"><figcaption>" + html_escape(c.title);
  for (const auto& s : c.series)
    out += fmt::format(" <span class=\"key\" style=\"background:{}\"></span>{}", s.color,
                       html_escape(s.name));
  for (const auto& l : c.levels)
    out += fmt::format(" <span class=\"key dash\" style=\"border-color:{}\"></span>{}", l.color,
                       html_escape(l.label));
  if (!c.markers.empty())
    out += fmt::format(" <span class=\"key mark\"></span>{} OOM kill(s)", c.markers.size());
  out += fmt::format("</figcaption>\n<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n",
                     kWidth, kHeight);
  out += axes(f, left, right, c);
  for (const auto& s : c.series)
    if (s.area) out += series_path(f, s);
  // Lines in reverse order: the first series (the peak) is drawn on top.
  for (auto s = c.series.rbegin(); s != c.series.rend(); ++s)
    if (!s->area) out += series_path(f, *s);
  for (const auto& l : c.levels)
    out += fmt::format(
        "<line class=\"level\" stroke=\"{}\" x1=\"{:.1f}\" x2=\"{:.1f}\" "
        "y1=\"{:.1f}\" y2=\"{:.1f}\"><title>{}</title></line>\n",
        l.color, kLeft, kLeft + f.plot_w(), f.y(l.value, false), f.y(l.value, false),
        html_escape(l.label));
  out += markers(f, c.markers);
  return out + "</svg></figure>\n";
}

std::string format_value(double v, Unit unit) {
  switch (unit) {
    case Unit::bytes: {
      static const std::array<const char*, 6> names{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
      std::size_t k = 0;
      while (k + 1 < names.size() && std::abs(v) >= 1024) v /= 1024, ++k;
      return fmt::format("{} {}", three_digits(v), names[k]);
    }
    case Unit::cores:
      return three_digits(v);
    case Unit::fraction:
      return fmt::format("{:.0f}%", 100 * v);
    case Unit::count:
      if (std::abs(v) >= 1e6) return three_digits(v / 1e6) + "M";
      if (std::abs(v) >= 1e4) return three_digits(v / 1e3) + "k";
      return three_digits(v);
  }
  return {};
}

std::vector<double> nice_ticks(double max, Unit unit, int target) {
  if (unit == Unit::fraction) return {0, 0.25, 0.5, 0.75, 1};
  if (!(max > 0)) max = 1;
  double scale = 1;
  if (unit == Unit::bytes)
    while (max / scale >= 1024) scale *= 1024;
  double raw = max / scale / target;
  double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  step *= scale;
  std::vector<double> ticks{0};
  while (ticks.back() < max * (1 - 1e-12)) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::vector<double> time_ticks(double end_s, int target) {
  static const std::array<double, 20> steps{1,     2,     5,     10,    15,    30,    60,
                                            120,   300,   600,   900,   1800,  3600,  7200,
                                            10800, 14400, 21600, 43200, 86400, 604800};
  double step = steps.back();
  for (double s : steps)
    if (end_s / s <= target) {
      step = s;
      break;
    }
  std::vector<double> ticks;
  for (double t = 0; t <= end_s * (1 + 1e-12); t += step) ticks.push_back(t);
  return ticks;
}

std::string format_time(double t_s) {
  return t_s < 0.5 ? std::string("0") : scenario::units::format_duration(t_s);
}

}  // namespace dlsim::analysis
