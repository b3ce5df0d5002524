// The catalog that exists before the run (docs/design.md §3.3): a billion-file catalog is held as
// its aggregates, never as objects. Per RSE with a `catalog` (scenario::InitialCatalogSpec) its
// files and bytes are split evenly over dataset groups; each group is one catalog Dataset
// (campaign kInitialCatalog, origin the RSE) whose replicas are on that RSE only. Nothing is
// inserted in any table: the counters these replicas once fed were settled before the run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/rucio/daemon.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::models::rucio {

// Campaign name of the initial catalog's dataset groups.
inline constexpr const char* kInitialCatalog = "catalog";

// One dataset group of an RSE's initial catalog.
struct CatalogGroup {
  std::uint32_t dataset = 0;
  std::int64_t files = 0;
  double bytes_per_file = 0;
};

// Adds every RSE's initial catalog to `w.catalog` and `w.storage`. Memory: O(groups),
// whatever the files.
void seed_initial_catalog(RucioWorld& w, const std::map<std::string, scenario::RseSpec>& rses);

// The dataset groups of RSE `rse`'s initial catalog, read back from `catalog`.
std::vector<CatalogGroup> initial_catalog_groups(const Catalog& catalog, std::uint16_t rse);

}  // namespace dlsim::models::rucio
