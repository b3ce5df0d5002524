#include "models/rucio/catalog.hpp"

#include <algorithm>

namespace dlsim::models::rucio {

std::uint32_t Catalog::add_dataset(Dataset d) {
  d.id = static_cast<std::uint32_t>(datasets_.size());
  datasets_.push_back(std::move(d));
  return datasets_.back().id;
}

std::uint32_t Catalog::add_rule(Rule r) {
  r.id = static_cast<std::uint32_t>(rules_.size());
  rules_.push_back(r);
  return r.id;
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
