// FTS3 optimizer decision per link; see fts_optimizer.hpp and fts3 3.14.4 OptimizerConnections.cpp.
// The order of the checks follows Optimizer::optimizeConnectionsForPair of FTS v3.9.5
// (cern-fts/fts3 tag v3.9.5, src/server/services/optimizer/OptimizerConnections.cpp#L159-L317; the
// same file and src/db/mysql/OptimizerDataSource.cpp are unchanged in v3.10.0).
#include "models/transfer/fts_optimizer.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

namespace dlsim::models::transfer {
namespace {

// round(log10(x)): FTS compares throughputs and file sizes by order of magnitude
// (OptimizerConnections.cpp rule 5).
double magnitude(double x) {
  return std::round(std::log10(x));
}

// The t_link_config row that applies to a link, if any.
struct LinkRow {
  const LinkConfig* config = nullptr;
  bool configured = false;  // a row other than *→* (FTS range.specific)
};

LinkRow find_link_row(const OptimizerConfig& config, const LinkKey& link) {
  // Most to least specific (OptimizerConstants.h, t_link_config/t_se).
  const LinkKey candidates[] = {link, {link.source, "*"}, {"*", link.destination}, {"*", "*"}};
  for (const LinkKey& key : candidates) {
    if (auto it = config.links.find(key); it != config.links.end()) {
      return {&it->second, !(key.source == "*" && key.destination == "*")};
    }
  }
  return {};
}

Decision make_decision(int value, Reason reason) {
  Decision decision;
  decision.value = value;
  decision.reason = reason;
  return decision;
}

// OptimizerConnections.cpp rule 3: success under 97 %; throughput is ignored.
Decision low_success_rule(const OptimizerConfig& config, const LinkState& previous,
                          const LinkState& current) {
  const int was = previous.value;
  const bool improving = current.success_rate_pct > previous.success_rate_pct &&
                         current.success_rate_pct >= config.base_success_rate_pct &&
                         current.retries <= previous.retries;
  if (improving) return make_decision(was, Reason::kLowSuccessImproving);
  return make_decision(was - config.decrease_step,
                       current.success_rate_pct < previous.success_rate_pct
                           ? Reason::kLowSuccessWorse
                           : Reason::kLowSuccessNoChange);
}

// OptimizerConnections.cpp rule 5: success of 97 % or more; follow the throughput EMA.
Decision good_success_rule(const OptimizerConfig& config, int step, const LinkState& previous,
                           const LinkState& current) {
  const int was = previous.value;
  if (current.queued < was) return make_decision(was, Reason::kQueueEmptying);
  if (current.ema_Bps > previous.ema_Bps) {
    return make_decision(was + step, Reason::kThroughputIncreasing);
  }
  if (current.ema_Bps == previous.ema_Bps) return make_decision(was + step, Reason::kIncrement);
  // The EMA fell. Smaller files explain a drop, so more connections; a lost order of magnitude
  // means fewer; anything else holds.
  // A window without file sizes has filesizeAvg 0 (OptimizerDataSource.cpp#L195), and
  // round(log10(0)) = −inf is below any size: "decreasing" (OptimizerConnections.cpp#L127).
  const bool smaller_files = magnitude(current.mean_file_bytes.value_or(0.0)) <
                             magnitude(previous.mean_file_bytes.value_or(0.0));
  if (smaller_files) return make_decision(was + step, Reason::kFileSizeDecreasing);
  if (magnitude(current.ema_Bps) < magnitude(previous.ema_Bps)) {
    return make_decision(was - config.decrease_step, Reason::kThroughputDeterioration);
  }
  return make_decision(was, Reason::kSmallThroughputDeterioration);
}

const StorageLimits& find_storage_limits(const OptimizerConfig& config,
                                         const std::string& storage) {
  auto it = config.storages.find(storage);
  if (it == config.storages.end()) it = config.storages.find("*");
  assert(it != config.storages.end() && "OptimizerConfig::storages needs a \"*\" row");
  return it->second;
}

}  // namespace

std::string_view to_string(Reason reason) {
  switch (reason) {  // FTS rationale strings, OptimizerConnections.cpp
    case Reason::kStartAtConfiguredMax:
      return "No information. Use configured range max.";
    case Reason::kStartHalfway:
      return "No information. Start halfway.";
    case Reason::kRangeFixed:
      return "Range fixed";
    case Reason::kSourceThroughputLimit:
      return "Source throughput limitation reached";
    case Reason::kDestinationThroughputLimit:
      return "Destination throughput limitation reached";
    case Reason::kSkippedSteady:
      return "Same success rate and throughput EMA. Skip";
    case Reason::kLowSuccessImproving:
      return "Bad link efficiency but progressively improving";
    case Reason::kLowSuccessWorse:
      return "Bad link efficiency";
    case Reason::kLowSuccessNoChange:
      return "Bad link efficiency, no changes";
    case Reason::kNoThroughputInformation:
      return "Steady, not enough throughput information";
    case Reason::kQueueEmptying:
      return "Queue emptying. Hold on.";
    case Reason::kFileSizeDecreasing:
      return "Good link efficiency, throughput deterioration, avg. filesize decreasing";
    case Reason::kThroughputDeterioration:
      return "Good link efficiency, throughput deterioration";
    case Reason::kSmallThroughputDeterioration:
      return "Good link efficiency, small throughput deterioration";
    case Reason::kThroughputIncreasing:
      return "Good link efficiency, current average throughput is larger than the preceding "
             "average";
    case Reason::kIncrement:
      return "Good link efficiency. Increment";
  }
  return "?";
}

int success_rate_pct(int finished, int failed) {
  const int total = finished + failed;
  // v3.9.5 returns 1.0 here, meaning 1 %, though its comment says 100 %
  // (OptimizerDataSource.cpp#L327-L331); fixed to 100 in later releases (v3.14.4
  // src/db/mysql/Optimizer.cpp#L482). A window without terminal transfers is "bad efficiency".
  if (total <= 0) return 1;
  return static_cast<int>(std::ceil(finished * 100.0 / total));
}

double ema_update(double sample, double alpha, double previous) {
  return sample > 0 ? sample * alpha + (1 - alpha) * previous : previous;  // db/mysql/Optimizer.cpp
}

double measurement_window_s(std::optional<double> mean_duration_s) {
  // FTS truncates the average to whole seconds (time_t) and uses open intervals, so exactly
  // 30 s falls through to 30 min (calculateTimeFrame).
  const long d = mean_duration_s ? static_cast<long>(*mean_duration_s) : 0;
  if (d > 0 && d < 30) return 5 * 60.0;
  if (d > 30 && d < 900) return 15 * 60.0;
  return 30 * 60.0;
}

int streams_per_transfer(OptimizerMode mode, int decision, int active, int queued,
                         int max_streams) {
  if (mode == OptimizerMode::kDisabled || mode == OptimizerMode::kConservative) return 1;
  const int available = active + queued;
  if (available <= 0) return 1;
  return std::clamp(decision / available, 1, std::max(max_streams, 1));  // OptimizerStreams.cpp
}

FtsOptimizer::FtsOptimizer(OptimizerConfig config) : config_(std::move(config)) {}

const StorageLimits& FtsOptimizer::storage_limits(const std::string& storage) const {
  return find_storage_limits(config_, storage);
}

WorkingRange FtsOptimizer::working_range(const LinkKey& link) const {
  WorkingRange range;
  const auto [row, configured] = find_link_row(config_, link);
  range.configured = configured;
  if (row) range.mode = row->mode;
  const bool has_range = row && row->min_active && row->max_active;  // both or neither
  range.min = has_range ? *row->min_active : 0;
  range.max = has_range ? *row->max_active : 0;
  if (range.min <= 0) {
    range.min = config_.lan_links.contains(link) ? config_.default_min_active_lan
                                                 : config_.default_min_active_wan;
  }
  if (range.max <= 0) {
    range.max = std::min(storage_limits(link.source).outbound_max_active,
                         storage_limits(link.destination).inbound_max_active);
    range.from_storage = true;
    range.max = std::max(range.max, range.min);
  }
  assert(range.min > 0 && range.max >= range.min);
  return range;
}

std::optional<LinkState> FtsOptimizer::state(const LinkKey& link) const {
  auto it = states_.find(link);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

Decision FtsOptimizer::decide(const LinkKey& link, const LinkWindow& window, double now_s) {
  assert(window.window_s > 0);
  const WorkingRange range = working_range(link);
  LinkState current;
  current.success_rate_pct = success_rate_pct(window.finished, window.failed);
  current.retries = window.retries;
  current.queued = window.queued;
  current.mean_file_bytes = window.mean_file_bytes;
  current.decided_at_s = now_s;
  const double throughput_Bps = window.bytes / window.window_s;

  auto it = states_.find(link);
  if (it == states_.end()) {
    current.ema_Bps = throughput_Bps;  // the first sample seeds the EMA
    return first_decision(link, range, current);
  }
  const LinkState previous = it->second;
  current.ema_Bps = ema_update(throughput_Bps, config_.ema_alpha, previous.ema_Bps);

  if (range.min == range.max) {  // OptimizerConnections.cpp rule 2
    return store(link, current, make_decision(range.min, Reason::kRangeFixed), previous.value);
  }
  if (auto limited = throughput_limited(link, window, range, previous, current)) return *limited;

  // Run only when something changed or the steady interval has passed (OptimizerService.cpp).
  if (current.success_rate_pct == previous.success_rate_pct &&
      current.ema_Bps == previous.ema_Bps &&
      now_s - previous.decided_at_s < config_.steady_interval_s) {
    Decision skipped = make_decision(previous.value, Reason::kSkippedSteady);
    skipped.success_rate_pct = current.success_rate_pct;
    skipped.ema_Bps = current.ema_Bps;
    return skipped;  // nothing stored: the next pass compares with the last decision
  }
  return store(link, current, apply_rules(range, previous, current), previous.value);
}

Decision FtsOptimizer::first_decision(const LinkKey& link, const WorkingRange& range,
                                      const LinkState& current) {
  // OptimizerConnections.cpp rule 1: configured max if the link has its own row, else the middle of
  // the range.
  const Decision decision =
      range.configured
          ? make_decision(range.max, Reason::kStartAtConfiguredMax)
          : make_decision(range.min + (range.max - range.min) / 2, Reason::kStartHalfway);
  return store(link, current, decision, 0);
}

std::optional<Decision> FtsOptimizer::throughput_limited(const LinkKey& link,
                                                         const LinkWindow& window,
                                                         const WorkingRange& range,
                                                         const LinkState& previous,
                                                         const LinkState& current) {
  // OptimizerConstants.h, t_link_config/t_se: a storage over its throughput cap cuts the pair by
  // one step. FTS does not clamp this value; dlsim keeps it at range.min so that it can never reach
  // 0 (which FTS would read back as "no value yet" and restart halfway).
  const auto& source_cap = storage_limits(link.source).outbound_max_throughput_Bps;
  const auto& destination_cap = storage_limits(link.destination).inbound_max_throughput_Bps;
  Reason reason;
  if (source_cap && window.source_throughput_Bps > *source_cap) {
    reason = Reason::kSourceThroughputLimit;
  } else if (destination_cap && window.destination_throughput_Bps > *destination_cap) {
    reason = Reason::kDestinationThroughputLimit;
  } else {
    return std::nullopt;
  }
  const int value = std::max(previous.value - config_.decrease_step, range.min);
  return store(link, current, make_decision(value, reason), previous.value);
}

Decision FtsOptimizer::apply_rules(const WorkingRange& range, const LinkState& previous,
                                   const LinkState& current) const {
  const int was = previous.value;
  Decision d;
  if (current.success_rate_pct < config_.low_success_rate_pct) {  // rule 3
    d = low_success_rule(config_, previous, current);
  } else if (current.ema_Bps == 0) {  // rule 4
    d = make_decision(was, Reason::kNoThroughputInformation);
  } else {  // rule 5
    const int step = range.mode >= OptimizerMode::kNormal ? config_.aggressive_increase_step
                                                          : config_.increase_step;
    d = good_success_rule(config_, step, previous, current);
  }
  // Rule 6: clamp. Rule 7: do not push past what the queue can use.
  if (d.value < range.min) {
    d.value = range.min;
    d.adjustment = Adjustment::kHitLowerLimit;
  } else if (d.value > range.max) {
    d.value = range.max;
    d.adjustment = Adjustment::kHitUpperLimit;
  }
  if (range.mode == OptimizerMode::kConservative && d.value > was && current.queued < d.value) {
    d.value = was;
    d.adjustment = Adjustment::kNotEnoughQueued;
  }
  // Any decision above queued × max streams reverts to the previous value, a decrease too
  // (OptimizerConnections.cpp#L305-L310): with nothing queued the value cannot move.
  if (range.mode >= OptimizerMode::kNormal && d.value > current.queued * config_.max_streams) {
    d.value = was;
    d.adjustment = Adjustment::kTooManyStreams;
  }
  return d;
}

Decision FtsOptimizer::store(const LinkKey& link, LinkState current, Decision decision,
                             int previous_value) {
  current.value = decision.value;
  states_[link] = current;
  decision.diff = decision.value - previous_value;
  decision.success_rate_pct = current.success_rate_pct;
  decision.ema_Bps = current.ema_Bps;
  return decision;
}

std::map<LinkKey, int> apply_endpoint_caps(const std::map<LinkKey, int>& wanted,
                                           const OptimizerConfig& config) {
  std::map<std::string, int> outbound_left;
  std::map<std::string, int> inbound_left;
  std::map<LinkKey, int> granted;
  for (const auto& [link, value] : wanted) {
    outbound_left.try_emplace(link.source,
                              find_storage_limits(config, link.source).outbound_max_active);
    inbound_left.try_emplace(link.destination,
                             find_storage_limits(config, link.destination).inbound_max_active);
    granted[link] = 0;
  }
  // Round-robin, one slot per link per round, in (source, destination) order; stop when a whole
  // round grants nothing.
  for (bool progress = true; progress;) {
    progress = false;
    for (const auto& [link, value] : wanted) {
      int& out = outbound_left[link.source];
      int& in = inbound_left[link.destination];
      if (granted[link] >= value || out <= 0 || in <= 0) continue;
      ++granted[link];
      --out;
      --in;
      progress = true;
    }
  }
  return granted;
}

}  // namespace dlsim::models::transfer
