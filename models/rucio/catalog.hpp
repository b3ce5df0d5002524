// The Rucio catalog, aggregated (docs/design.md §3.3): datasets as counts and bytes, replicas per
// (dataset, RSE), rules with their destination and lifetime. Nothing is kept per file, so the
// simulator's memory grows with datasets and rules, not with files; and datasets and rules that
// Rucio has deleted and that nothing in the model can read again are retired (erased), so that
// a long run holds only the live ones (retire_rule_if_done, retire_dataset_if_done).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dlsim::models::rucio {

// A container: datasets attached to it, and the rules placed on it.
// Rule::row_locked_by of a rule row held by conveyor-finisher's transaction.
inline constexpr int kFinisherHolds = -2;

struct Container {
  std::uint32_t id = 0;
  std::string name;
  std::vector<std::uint32_t> datasets;
  std::vector<std::uint32_t> rules;
  // datasets[0 .. datasets_evaluated) had their CONTENTS flag rule_evaluation cleared by a
  // successful ATTACH evaluation of the container (rule.py#L2559-2563, #L2716-2718).
  std::size_t datasets_evaluated = 0;
};

// rse_id NULL in UPDATED_COL_REP rows (the dataset's replicas everywhere).
inline constexpr std::uint16_t kAnyRse = 0xFFFF;

struct Dataset {
  std::uint32_t id = 0;
  std::optional<std::uint32_t> container;
  std::string campaign;
  std::int64_t files = 0;
  double bytes_per_file = 0;
  std::uint16_t origin_rse = 0;
  std::optional<double> expires_at_s;
  // Files whose CONTENTS row judge-evaluator has evaluated (rule_evaluation flag cleared,
  // rule.py#L2715-2718); files attached after that are the ATTACH's new children.
  std::int64_t files_evaluated = 0;
  // Retirement bookkeeping. `deleted`: undertaker deleted the DID (undertaker.py#L79-120);
  // `attach_rows`: ATTACH rows were put in UPDATED_DIDS for it, which judge-evaluator reads
  // by dataset id however late (such a dataset is never retired); `live_rules`: its
  // dataset-level rules not retired yet.
  bool deleted = false;
  bool attach_rows = false;
  std::int32_t live_rules = 0;
};

// Inject: waiting in RULES_INJECT for judge-injector (nothing applied yet).
enum class RuleState { Inject, Replicating, Ok, Stuck, Expired };

struct Rule {
  std::uint32_t id = 0;
  std::uint32_t dataset = 0;               // dataset-level rules
  std::optional<std::uint32_t> container;  // container-level rules
  std::uint16_t rse = 0;
  RuleState state = RuleState::Replicating;
  std::int64_t locks_ok = 0;
  std::int64_t locks_replicating = 0;
  std::int64_t locks_stuck = 0;
  std::optional<double> expires_at_s;
  // Files of each dataset that already have this rule's lock: an evaluation creates locks
  // only for the others (rule_grouping.py#L456-462 skips files locked by the rule).
  std::map<std::uint32_t, std::int64_t> files_locked;
  // The rule's row is locked (SELECT … FOR UPDATE) by judge-evaluator worker `row_locked_by`
  // (or conveyor-finisher, kFinisherHolds) until `row_locked_until_s`, the end of the
  // transaction that read it (rule.py#L2578, lock.py#L305-311).
  double row_locked_until_s = -1;
  int row_locked_by = -1;
};

// Something that happens to the catalog at a given time (rule or DID expiry).
struct Expiry {
  double at_s = 0;
  enum class What { Rule, Dataset } what = What::Rule;
  std::uint32_t id = 0;
  bool operator>(const Expiry& o) const {
    return at_s != o.at_s ? at_s > o.at_s : (what != o.what ? what > o.what : id > o.id);
  }
};

class Catalog {
 public:
  std::uint32_t add_dataset(Dataset d);
  std::uint32_t add_rule(Rule r);
  std::uint32_t add_container(std::string name);
  Container& container(std::uint32_t id) { return containers_.at(id); }
  // A live dataset or rule (std::out_of_range for a retired one: an internal error).
  Dataset& dataset(std::uint32_t id) { return datasets_.at(id); }
  const Dataset& dataset(std::uint32_t id) const { return datasets_.at(id); }
  Rule& rule(std::uint32_t id) { return rules_.at(id); }
  bool has_dataset(std::uint32_t id) const { return datasets_.count(id) != 0; }
  bool has_rule(std::uint32_t id) const { return rules_.count(id) != 0; }
  // Datasets and rules ever added (ids are never reused) and those retired since.
  std::uint32_t datasets_added() const { return next_dataset_; }
  std::uint32_t rules_added() const { return next_rule_; }
  std::size_t datasets_retired() const { return next_dataset_ - datasets_.size(); }
  std::size_t rules_retired() const { return next_rule_ - rules_.size(); }

  // Erases a dataset-level rule that judge-cleaner expired (rucio 1.23.10
  // lib/rucio/daemons/judge/cleaner.py#L80-143 deletes the rule) once none of its locks is
  // replicating or stuck: no request, stuck row or expiry refers to it any more, so no daemon
  // reads it again. Then retires its dataset if that is done too.
  void retire_rule_if_done(std::uint32_t rule_id);
  // Erases a dataset that the undertaker deleted (undertaker.py#L79-120 deletes the DID; its
  // replicas keep their tombstones for the reaper) once no live rule is on it and it is in no
  // container nor in UPDATED_DIDS (attach_rows): the daemons that read a dataset do so
  // through such a rule, row or container. Its replicas stay in replicas_ under its id.
  void retire_dataset_if_done(std::uint32_t dataset_id);

  // Files of `dataset` present on `rse`.
  std::int64_t replicas(std::uint32_t dataset, std::uint16_t rse) const;
  void add_replicas(std::uint32_t dataset, std::uint16_t rse, std::int64_t files);
  void remove_replicas(std::uint32_t dataset, std::uint16_t rse, std::int64_t files);
  // RSEs holding files of `dataset`.
  std::vector<std::pair<std::uint16_t, std::int64_t>> replica_locations(
      std::uint32_t dataset) const;

  // Marks the replicas of `dataset` on `rse` deletable; false if already marked or absent.
  bool tombstone(std::uint32_t dataset, std::uint16_t rse);
  void clear_tombstone(std::uint32_t dataset, std::uint16_t rse) {
    tombstoned_.erase({dataset, rse});
  }

  void schedule_expiry(const Expiry& e) { expiries_.push(e); }
  std::optional<Expiry> next_expiry() const;
  Expiry pop_expiry();

 private:
  // By id; node-based, so references stay valid while others are added or retired.
  std::unordered_map<std::uint32_t, Dataset> datasets_;
  std::unordered_map<std::uint32_t, Rule> rules_;
  std::uint32_t next_dataset_ = 0;
  std::uint32_t next_rule_ = 0;
  std::vector<Container> containers_;
  std::map<std::pair<std::uint32_t, std::uint16_t>, std::int64_t> replicas_;
  std::set<std::pair<std::uint32_t, std::uint16_t>> tombstoned_;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiries_;
};

}  // namespace dlsim::models::rucio
