// `dlsim report RUN_DIR`: one self-contained HTML page (inline CSS and SVG, no script, no
// font or style fetched) from a run directory: summary, per-service memory and CPU against
// their limits, queue tables, RSEs, the transfer matrix, every pod's life, node packing, the
// sizing table and, for `dlsim size` directories, the rounds. docs/outputs.md, report.html.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace dlsim::analysis {

struct ReportOptions {
  // Points per time series after downsampling (analysis/report_data.hpp). Default: 600, enough
  // for a 640-unit-wide chart; keeps the FDR's page near 1 MB.
  std::size_t max_points = 600;
};

// The page. Throws scenario::InputError (FILE:LINE:COL) on a missing or malformed run file.
std::string render_report(const std::filesystem::path& run_dir, const ReportOptions& options = {});

// Renders and writes the page to `out` atomically (a temporary file renamed into place).
void write_report(const std::filesystem::path& run_dir, const std::filesystem::path& out,
                  const ReportOptions& options = {});

}  // namespace dlsim::analysis
