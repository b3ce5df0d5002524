// Hand-written SVG for the report (analysis/report.cpp): time-series line charts with
// reference lines and event markers, and horizontal bars. No script, no external resource:
// every chart is plain inline SVG with <title> tooltips, so the page works offline.
#pragma once

#include <string>
#include <vector>

#include "analysis/report_data.hpp"

namespace dlsim::analysis {

enum class Unit { bytes, cores, count, fraction };

struct ChartSeries {
  std::string name;
  Points points;
  std::string color;        // CSS colour
  bool right_axis = false;  // plotted against the right-hand axis
  bool area = false;        // filled down to zero
};

// A horizontal line at a value of the left axis (a limit, a request).
struct ChartLevel {
  double value = 0;
  std::string label;
  std::string color;
};

// A vertical marker at a time (an OOM kill); `label` is the tooltip.
struct ChartMarker {
  double t_s = 0;
  std::string label;
};

struct Chart {
  std::string title;
  double end_s = 0;  // right end of the time axis
  Unit unit = Unit::count;
  Unit right_unit = Unit::fraction;
  std::vector<ChartSeries> series = {};
  std::vector<ChartLevel> levels = {};
  std::vector<ChartMarker> markers = {};
};

// The chart as an <svg> element of fixed size (640 × 220 user units).
std::string render_chart(const Chart& chart);

// A value with its unit for axes and tables: "1.5 GiB", "0.25", "12k".
std::string format_value(double v, Unit unit);
// Tick positions between 0 and at least `max`: 1, 2 or 5 × 10^k steps (binary units for
// bytes), about `target` of them; the last tick is ≥ max.
std::vector<double> nice_ticks(double max, Unit unit, int target = 4);
// Time-axis ticks in seconds up to end_s, on whole minutes, hours or days.
std::vector<double> time_ticks(double end_s, int target = 6);
std::string format_time(double t_s);  // "6h", "1h30m", "45s"

}  // namespace dlsim::analysis
