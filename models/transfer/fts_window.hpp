// What the FTS v3.9.5 optimizer reads from t_file for one link, kept in memory: the recent
// terminal transfers and the transfers running now, turned into a LinkWindow (the optimizer's
// input) the way src/db/mysql/OptimizerDataSource.cpp (cern-fts/fts3 v3.9.5) computes it:
// - the window is 5, 15 or 30 min by the mean duration of the transfers FINISHED in the
//   last 30 min (getAverageDuration #L271-L283, calculateTimeFrame in
//   OptimizerConnections.cpp#L43-L54);
// - throughput = bytes moved inside the window / window length, FINISHED transfers pro-rated
//   by the part of their duration inside it, ACTIVE ones by what they transferred so far over
//   their part in the window (getThroughputInfo #L190-L269); the mean file size is over both;
// - success rate = FINISHED / (FINISHED + recoverable FAILED) inside the window; failures
//   that are not recoverable are left out (getSuccessRateForPair #L285-L332, which counts
//   FAILED only when current_failures, url-copy's isRecoverable, is set).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "models/transfer/fts_optimizer.hpp"

namespace dlsim::models::transfer {

// Error classes of a failed transfer as FTS url-copy sorts them (src/url-copy/heuristics.cpp
// retryTransfer, v3.9.5 #L38-L132): recoverable by default; not recoverable for no space
// left (ENOSPC #L119, SRM_NO_FREE_SPACE #L76), missing source (ENOENT #L93, "No such file or
// directory" #L69), checksum mismatch (#L82-L83) and permission errors (EPERM/EACCES
// #L94-L95, #L120-L121, "Permission denied" #L79).
enum class FailureClass { kRecoverable, kNoSpace, kMissingFile, kChecksum, kPermission };
bool recoverable(FailureClass c);
// The class named in a scenario's failure episode: recoverable, no_space, missing_file,
// checksum or permission (the loader accepts nothing else).
FailureClass failure_class(std::string_view kind);

// A group of transfers of one wave that ended at the same time.
struct TerminalTransfers {
  double start_s = 0;
  double end_s = 0;
  std::int64_t finished = 0;
  std::int64_t failed_recoverable = 0;
  std::int64_t failed_other = 0;  // not recoverable: never seen by the optimizer
  double file_bytes = 0;          // size of each file
};

// A group of transfers running now: started at start_s, `transferred_bytes` moved so far
// (all files together).
struct ActiveTransfers {
  double start_s = 0;
  std::int64_t files = 0;
  double file_bytes = 0;
  double transferred_bytes = 0;
};

class LinkHistory {
 public:
  // Transfers end in time order (the simulated clock): record them as they end.
  void record(const TerminalTransfers& t);
  // The optimizer's input at now_s; `active`/`queued` are the link's counts now. Forgets the
  // terminal transfers older than the longest window (30 min).
  LinkWindow measure(double now_s, const std::vector<ActiveTransfers>& running, int active,
                     int queued);
  std::size_t size() const { return ended_.size(); }

 private:
  std::deque<TerminalTransfers> ended_;
};

// getAverageDuration: mean duration of the transfers FINISHED after now − 30 min with a
// duration > 0; nullopt when there are none.
std::optional<double> mean_finished_duration_s(const std::deque<TerminalTransfers>& ended,
                                               double now_s);

}  // namespace dlsim::models::transfer
