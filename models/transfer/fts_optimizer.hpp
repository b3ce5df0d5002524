// FTS3 optimizer: how many transfers may run at once on one link (source storage, destination
// storage).
//
// Models the connection half of the FTS3 optimizer of FTS v3.9.5 (cern-fts/fts3 tag v3.9.5,
// 27 Jul 2020), the last release before the FDR of 17-18 Nov 2020 (v3.10.0 is of 8 Dec 2020
// and has the same optimizer and data source). fts3 3.14.4 src/optimizer/ is the code read; v3.9.5
// differs in three rules, followed here: no terminal transfer in the window gives a success rate of
// 1 % (not 100 %), the "too many streams" guard also undoes decreases, and a window without
// file sizes compares as size 0. Files (v3.9.5):
//   src/server/services/optimizer/OptimizerConnections.cpp  decision rule, working range
//   src/server/services/optimizer/OptimizerStreams.cpp      streams per transfer
//   (OptimizerStreams.cpp) src/db/mysql/OptimizerDataSource.cpp                    measurements,
//   config look-ups
// Once per cycle (60 s) the caller hands `decide` what it measured on each active link over
// the window; the optimizer keeps per-link state (value, EMA, success rate, retries, mean file
// size, time of last decision) and returns the new number of allowed actives.
// `apply_endpoint_caps` then shares each storage's inbound/outbound limit between its links.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace dlsim::models::transfer {

// A link: FTS "pair" of source and destination storage endpoints. In configuration maps either
// side may be "*", the FTS wildcard (t_link_config / t_se rows).
struct LinkKey {
  std::string source;
  std::string destination;
  auto operator<=>(const LinkKey&) const = default;
};

// t_link_config.optimizer_mode (OptimizerConstants.h, t_link_config/t_se). Disabled only turns off
// stream optimisation (OptimizerStreams.cpp); the connection count is still optimised, with the
// conservative step and no queue guard (OptimizerConnections.cpp tests `== conservative` and `>=
// normal` only).
enum class OptimizerMode { kDisabled = 0, kConservative = 1, kNormal = 2, kAggressive = 3 };

// One t_link_config row (OptimizerConstants.h, t_link_config/t_se).
struct LinkConfig {
  // Working range in concurrent transfers. Default: unset; if either is unset both are, as in
  // getPairLimits, and the defaults of OptimizerConstants.h, t_link_config/t_se apply (min 2 WAN /
  // 10 LAN, max from storage limits).
  std::optional<int> min_active;
  std::optional<int> max_active;
  // Default: normal (2), the mode of the *→* row in every FTS schema 4.0.0–10.0.1
  // (OptimizerConstants.h, t_link_config/t_se).
  OptimizerMode mode = OptimizerMode::kNormal;
};

// One t_se row: limits of a storage endpoint over all its links (OptimizerConstants.h,
// t_link_config/t_se).
struct StorageLimits {
  // Concurrent transfers into / out of the storage. Default: 200 / 200, the `t_se` * row
  // (OptimizerConstants.h, t_link_config/t_se).
  int inbound_max_active = 200;
  int outbound_max_active = 200;
  // Throughput caps in B/s; over the cap the pair is cut by one step (OptimizerConstants.h,
  // t_link_config/t_se). Default: none.
  std::optional<double> inbound_max_throughput_Bps;
  std::optional<double> outbound_max_throughput_Bps;
};

// FTS server configuration (ServerConfigReader.cpp defaults list) plus the link and storage
// tables. Defaults from fts3 3.14.4: the intervals from OptimizerService.cpp, the success rates,
// steps and streams from OptimizerConnections.cpp, the EMA from db/mysql/Optimizer.cpp, the
// minimum active transfers from OptimizerConstants.h.
struct OptimizerConfig {
  double interval_s = 60;            // OptimizerInterval. Default: 60 s.
  double steady_interval_s = 300;    // OptimizerSteadyInterval. Default: 300 s.
  int low_success_rate_pct = 97;     // OptimizerLowSuccessRate. Default: 97 % (rule 3).
  int base_success_rate_pct = 96;    // OptimizerBaseSuccessRate. Default: 96 % (rule 3).
  double ema_alpha = 0.1;            // OptimizerEMAAlpha. Default: 0.1.
  int increase_step = 1;             // OptimizerIncreaseStep. Default: 1.
  int aggressive_increase_step = 2;  // OptimizerAggressiveIncreaseStep. Default: 2.
  int decrease_step = 1;             // OptimizerDecreaseStep. Default: 1.
  int max_streams = 16;              // OptimizerMaxStreams. Default: 16 (rule 7).
  int default_min_active_wan = 2;    // DEFAULT_MIN_ACTIVE = 2.
  int default_min_active_lan = 10;   // DEFAULT_LAN_ACTIVE = 10.
  // t_link_config rows, looked up exact, source→*, *→destination, *→* (OptimizerConstants.h,
  // t_link_config/t_se). Default: the schema's *→* row, min 2, max 130, normal mode
  // (OptimizerConstants.h, t_link_config/t_se).
  std::map<LinkKey, LinkConfig> links = {{{"*", "*"}, {2, 130, OptimizerMode::kNormal}}};
  // t_se rows by storage name, looked up exact then "*" (OptimizerConstants.h, t_link_config/t_se).
  // Default: the * row, 200 / 200.
  std::map<std::string, StorageLimits> storages = {{"*", StorageLimits{}}};
  // Links whose two ends are in the same domain (FTS Pair::isLanTransfer). Default: none.
  std::set<LinkKey> lan_links;
};

// What the caller measured on one link over the last window (db/mysql/Optimizer.cpp).
struct LinkWindow {
  int active = 0;    // transfers running now (ACTIVE)
  int queued = 0;    // transfers waiting now (SUBMITTED)
  int finished = 0;  // transfers FINISHED inside the window
  // Recoverable failures plus resubmitted retries inside the window; non-recoverable errors are
  // left out by the caller (db/mysql/Optimizer.cpp).
  int failed = 0;
  int retries = 0;  // sum of the retry numbers of the resubmitted transfers (FTS retryCount)
  // Bytes moved inside the window by ACTIVE transfers (pro-rated) and by transfers FINISHED in it.
  double bytes = 0;
  // Window length; see measurement_window_s. Default: 300 s, the shortest FTS window
  // (db/mysql/Optimizer.cpp).
  double window_s = 300;
  // Mean size of the files counted in `bytes`; absent when there were none.
  std::optional<double> mean_file_bytes;
  // Throughput of all links out of the source / into the destination storage, B/s. Only read
  // when the storage has a throughput cap (OptimizerConstants.h, t_link_config/t_se).
  double source_throughput_Bps = 0;
  double destination_throughput_Bps = 0;
};

// Why a value was chosen: the FTS rationale strings (t_optimizer_evolution), see to_string.
enum class Reason {
  kStartAtConfiguredMax,
  kStartHalfway,
  kRangeFixed,
  kSourceThroughputLimit,
  kDestinationThroughputLimit,
  kSkippedSteady,
  kLowSuccessImproving,
  kLowSuccessWorse,
  kLowSuccessNoChange,
  kNoThroughputInformation,
  kQueueEmptying,
  kFileSizeDecreasing,
  kThroughputDeterioration,
  kSmallThroughputDeterioration,
  kThroughputIncreasing,
  kIncrement,
};
// What happened to the rule's value afterwards (OptimizerConnections.cpp rules 6-7).
enum class Adjustment { kNone, kHitLowerLimit, kHitUpperLimit, kNotEnoughQueued, kTooManyStreams };

std::string_view to_string(Reason reason);

struct Decision {
  int value = 0;  // allowed concurrent transfers on the link
  int diff = 0;   // value − previous value (previous is 0 before the first decision)
  Reason reason = Reason::kStartHalfway;
  Adjustment adjustment = Adjustment::kNone;
  int success_rate_pct = 100;
  double ema_Bps = 0;
};

// [min, max] for a link (OptimizerConstants.h, t_link_config/t_se).
struct WorkingRange {
  int min = 0;
  int max = 0;
  bool configured = false;                            // a link row other than *→* matched
  bool from_storage = false;                          // max came from the storage limits
  OptimizerMode mode = OptimizerMode::kConservative;  // no row at all: mode 1 (t_link_config)
                                                      // (OptimizerConstants.h, t_link_config/t_se)
};

// The per-link memory of the optimizer (t_optimizer plus FTS's in-memory PairState).
struct LinkState {
  int value = 0;
  double ema_Bps = 0;
  int success_rate_pct = 100;
  int retries = 0;
  int queued = 0;
  std::optional<double> mean_file_bytes;
  double decided_at_s = 0;
};

class FtsOptimizer {
 public:
  explicit FtsOptimizer(OptimizerConfig config);

  // One optimizer pass over one active link (a link with ACTIVE or SUBMITTED transfers) at
  // simulated time now_s. Returns the value the link may run from now on.
  Decision decide(const LinkKey& link, const LinkWindow& window, double now_s);

  WorkingRange working_range(const LinkKey& link) const;
  const StorageLimits& storage_limits(const std::string& storage) const;
  std::optional<LinkState> state(const LinkKey& link) const;
  const OptimizerConfig& config() const { return config_; }

 private:
  Decision first_decision(const LinkKey& link, const WorkingRange& range, const LinkState& current);
  std::optional<Decision> throughput_limited(const LinkKey& link, const LinkWindow& window,
                                             const WorkingRange& range, const LinkState& previous,
                                             const LinkState& current);
  Decision apply_rules(const WorkingRange& range, const LinkState& previous,
                       const LinkState& current) const;
  Decision store(const LinkKey& link, LinkState current, Decision decision, int previous_value);

  OptimizerConfig config_;
  std::map<LinkKey, LinkState> states_;
};

// ceil(100 × finished / (finished + failed)); 1 when nothing terminated (v3.9.5).
int success_rate_pct(int finished, int failed);
// EMA update; a zero sample leaves the average unchanged (db/mysql/Optimizer.cpp).
double ema_update(double sample, double alpha, double previous);
// Window for the measurements from the mean duration of the transfers finished in the last
// 30 min (db/mysql/Optimizer.cpp): 5 min if in (0, 30) s, 15 min if in (30, 900) s, 30 min
// otherwise.
double measurement_window_s(std::optional<double> mean_duration_s);
// TCP streams per transfer (OptimizerStreams.cpp).
int streams_per_transfer(OptimizerMode mode, int decision, int active, int queued, int max_streams);

// Shares each storage's outbound (as source) and inbound (as destination) max-active limit
// between the links that use it, so that no storage's sum exceeds its limit and no link gets
// more than it asked for. Max-min fair: one slot at a time, round-robin over the links in
// (source, destination) order, as the FTS scheduler hands out slots (fts_scheduler
// PotentialLinks); links left without budget keep what they got.
std::map<LinkKey, int> apply_endpoint_caps(const std::map<LinkKey, int>& wanted,
                                           const OptimizerConfig& config);

}  // namespace dlsim::models::transfer
