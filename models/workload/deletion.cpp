// Deletion campaigns (scenario::DeletionSpec): replicas of the catalog that existed before the run
// get a tombstone at a constant rate, and the reaper deletes them. In Rucio a replica gets a
// tombstone when its last lock goes, as judge-cleaner deletes an expired rule
// (lib/rucio/core/rule.py#L1146-1251, rucio master lib/rucio/daemons/judge/cleaner.py), or when an
// operator or a lifetime policy sets one (POST /replicas/tombstone, the client's set_tombstone).
// The rules that protected the initial catalog are not modelled (an assumption), so the campaign
// sets the tombstones itself: one REPLICAS_TOMBSTONED row group per RSE and period, never
// an object per file.
#include <algorithm>
#include <cmath>

#include "models/rucio/catalog_initial.hpp"
#include "models/rucio/daemon_plans.hpp"
#include "models/workload/injection.hpp"
#include "scenario/rse_expression.hpp"

namespace dlsim::models::workload {
namespace {

// One RSE's part of a campaign: its share of the files and the initial catalog's groups it
// takes them from, in order.
struct DeletionLane {
  std::uint16_t rse = 0;
  std::int64_t share = 0;       // files this RSE loses over the whole campaign
  std::int64_t tombstoned = 0;  // so far
  std::vector<rucio::CatalogGroup> groups;
  std::size_t group = 0;   // the group being tombstoned
  std::int64_t taken = 0;  // files of groups[group] already tombstoned
};

// Splits `files` over the lanes in proportion to their initial files (largest remainder, ties
// to the first lane), so that the shares add up to `files` exactly.
void apportion(std::vector<DeletionLane>& lanes, std::int64_t files) {
  double total = 0;
  for (const auto& l : lanes)
    for (const auto& g : l.groups) total += static_cast<double>(g.files);
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    double initial = 0;
    for (const auto& g : lanes[i].groups) initial += static_cast<double>(g.files);
    const double exact = static_cast<double>(files) * initial / total;
    lanes[i].share = static_cast<std::int64_t>(std::floor(exact));
    given += lanes[i].share;
    remainders.push_back({exact - std::floor(exact), i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < files && k < remainders.size(); ++k, ++given)
    ++lanes[remainders[k].second].share;
}

// Tombstones the next `files` replicas of the lane's groups (one row group per group).
void tombstone_initial(rucio::RucioWorld& w, DeletionLane& lane, std::int64_t files) {
  while (files > 0 && lane.group < lane.groups.size()) {
    const auto& g = lane.groups[lane.group];
    const std::int64_t take = std::min(files, g.files - lane.taken);
    w.catalog.tombstone(g.dataset, lane.rse);
    w.db.table(rucio::Table::ReplicasTombstoned)
        .insert(rucio::RowGroup{take, g.dataset, 0, lane.rse, g.bytes_per_file, 0});
    lane.taken += take;
    lane.tombstoned += take;
    files -= take;
    if (lane.taken == g.files) {
      ++lane.group;
      lane.taken = 0;
    }
  }
}

}  // namespace

void Workload::run_deletion(const scenario::DeletionSpec& spec) {
  std::vector<DeletionLane> lanes;
  for (const auto& name : scenario::resolve_rse_expression(spec.rse_expression, scenario_.rses)) {
    DeletionLane lane;
    lane.rse = world_.storage.index_of(name);
    lane.groups = rucio::initial_catalog_groups(world_.catalog, lane.rse);
    if (!lane.groups.empty()) lanes.push_back(std::move(lane));
  }
  if (lanes.empty() || spec.files == 0) return;
  apportion(lanes, spec.files);
  // Tick k of K sets the tombstones due by then: lane share × k / K in all (exact at K).
  const double end = spec.end_s.value_or(scenario_.duration_s);
  const auto ticks = static_cast<std::int64_t>(std::ceil((end - spec.start_s) / spec.period_s));
  for (std::int64_t k = 1; k <= ticks; ++k) {
    sim::sleep_until(std::min(end, spec.start_s + static_cast<double>(k) * spec.period_s));
    for (auto& lane : lanes)
      tombstone_initial(world_, lane, lane.share * k / ticks - lane.tombstoned);
  }
}

}  // namespace dlsim::models::workload
