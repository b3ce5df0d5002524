// FTS v3.9.5 optimizer measurements for one link; see fts_window.hpp for the sources.
#include "models/transfer/fts_window.hpp"

#include <algorithm>

namespace dlsim::models::transfer {
namespace {

constexpr double kLongestWindowS = 30 * 60.0;  // calculateTimeFrame's largest window

// Bytes of one finished file counted in the window (getThroughputInfo #L237-L246): its rate
// times its time inside the window; a zero-length transfer counts whole.
double finished_bytes_in_window(const TerminalTransfers& t, double window_start_s) {
  const double duration = t.end_s - t.start_s;
  if (duration <= 0) return t.file_bytes;
  return t.file_bytes / duration * (t.end_s - std::max(t.start_s, window_start_s));
}

// Bytes of running files counted in the window (#L228-L235): transferred so far over the
// running time, times the running time inside the window.
double active_bytes_in_window(const ActiveTransfers& a, double now_s, double window_start_s) {
  const double duration = now_s - a.start_s;
  if (duration <= 0) return 0;
  return a.transferred_bytes / duration * (now_s - std::max(a.start_s, window_start_s));
}

}  // namespace

bool recoverable(FailureClass c) {
  return c == FailureClass::kRecoverable;
}

FailureClass failure_class(std::string_view kind) {
  if (kind == "no_space") return FailureClass::kNoSpace;
  if (kind == "missing_file") return FailureClass::kMissingFile;
  if (kind == "checksum") return FailureClass::kChecksum;
  if (kind == "permission") return FailureClass::kPermission;
  return FailureClass::kRecoverable;
}

void LinkHistory::record(const TerminalTransfers& t) {
  ended_.push_back(t);
}

std::optional<double> mean_finished_duration_s(const std::deque<TerminalTransfers>& ended,
                                               double now_s) {
  double sum = 0;
  std::int64_t n = 0;
  for (const TerminalTransfers& t : ended) {
    const double duration = t.end_s - t.start_s;
    if (t.finished <= 0 || duration <= 0 || t.end_s <= now_s - kLongestWindowS) continue;
    sum += duration * static_cast<double>(t.finished);  // AVG over t_file rows
    n += t.finished;
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

LinkWindow LinkHistory::measure(double now_s, const std::vector<ActiveTransfers>& running,
                                int active, int queued) {
  while (!ended_.empty() && ended_.front().end_s < now_s - kLongestWindowS) ended_.pop_front();
  LinkWindow w;
  w.active = active;
  w.queued = queued;
  w.window_s = measurement_window_s(mean_finished_duration_s(ended_, now_s));
  const double window_start_s = now_s - w.window_s;
  double size_sum = 0;
  std::int64_t sized = 0;
  for (const TerminalTransfers& t : ended_) {
    if (t.end_s > window_start_s) {  // finish_time > now − window (success rate)
      w.finished += static_cast<int>(t.finished);
      w.failed += static_cast<int>(t.failed_recoverable);
    }
    if (t.finished <= 0 || t.end_s < window_start_s) continue;  // throughput: finish ≥ start
    w.bytes += finished_bytes_in_window(t, window_start_s) * static_cast<double>(t.finished);
    if (t.file_bytes > 0) {
      size_sum += t.file_bytes * static_cast<double>(t.finished);
      sized += t.finished;
    }
  }
  for (const ActiveTransfers& a : running) {
    w.bytes += active_bytes_in_window(a, now_s, window_start_s);
    if (a.file_bytes > 0) {
      size_sum += a.file_bytes * static_cast<double>(a.files);
      sized += a.files;
    }
  }
  if (sized > 0) w.mean_file_bytes = size_sum / static_cast<double>(sized);
  return w;
}

}  // namespace dlsim::models::transfer
