#include "models/rucio/catalog.hpp"

#include <algorithm>

namespace dlsim::models::rucio {

std::uint32_t Catalog::add_dataset(Dataset d) {
  d.id = next_dataset_++;
  d.live_rules = 0;  // counted by add_rule
  const std::uint32_t id = d.id;
  datasets_.emplace(id, std::move(d));
  return id;
}

std::uint32_t Catalog::add_rule(Rule r) {
  r.id = next_rule_++;
  if (auto d = datasets_.find(r.dataset); !r.container && d != datasets_.end())
    ++d->second.live_rules;
  rules_.emplace(r.id, r);
  return r.id;
}

void Catalog::retire_rule_if_done(std::uint32_t rule_id) {
  auto it = rules_.find(rule_id);
  if (it == rules_.end()) return;
  const Rule& r = it->second;
  if (r.container || r.state != RuleState::Expired || r.locks_replicating != 0 ||
      r.locks_stuck != 0)
    return;
  const std::uint32_t dataset_id = r.dataset;
  rules_.erase(it);
  auto d = datasets_.find(dataset_id);
  if (d == datasets_.end()) return;
  --d->second.live_rules;
  retire_dataset_if_done(dataset_id);
}

void Catalog::retire_dataset_if_done(std::uint32_t dataset_id) {
  auto it = datasets_.find(dataset_id);
  if (it == datasets_.end()) return;
  const Dataset& d = it->second;
  if (!d.deleted || d.container || d.attach_rows || d.live_rules != 0) return;
  // Its replicas (replicas_, tombstoned_) stay, keyed by the id, until the reaper deletes
  // them: the reaper and the RSEs read those, never the dataset.
  datasets_.erase(it);
}

std::uint32_t Catalog::add_container(std::string name) {
  Container c;
  c.id = static_cast<std::uint32_t>(containers_.size());
  c.name = std::move(name);
  containers_.push_back(std::move(c));
  return containers_.back().id;
}

std::int64_t Catalog::replicas(std::uint32_t dataset, std::uint16_t rse) const {
  auto it = replicas_.find({dataset, rse});
  return it == replicas_.end() ? 0 : it->second;
}

void Catalog::add_replicas(std::uint32_t dataset, std::uint16_t rse, std::int64_t files) {
  replicas_[{dataset, rse}] += files;
}

void Catalog::remove_replicas(std::uint32_t dataset, std::uint16_t rse, std::int64_t files) {
  auto it = replicas_.find({dataset, rse});
  if (it == replicas_.end()) return;
  it->second -= std::min(files, it->second);
  if (it->second == 0) replicas_.erase(it);
}

std::vector<std::pair<std::uint16_t, std::int64_t>> Catalog::replica_locations(
    std::uint32_t dataset) const {
  std::vector<std::pair<std::uint16_t, std::int64_t>> out;
  for (auto it = replicas_.lower_bound({dataset, 0});
       it != replicas_.end() && it->first.first == dataset; ++it)
    out.emplace_back(it->first.second, it->second);
  return out;
}

bool Catalog::tombstone(std::uint32_t dataset, std::uint16_t rse) {
  if (replicas(dataset, rse) == 0) return false;
  return tombstoned_.insert({dataset, rse}).second;
}

std::optional<Expiry> Catalog::next_expiry() const {
  if (expiries_.empty()) return std::nullopt;
  return expiries_.top();
}

Expiry Catalog::pop_expiry() {
  Expiry e = expiries_.top();
  expiries_.pop();
  return e;
}

}  // namespace dlsim::models::rucio
