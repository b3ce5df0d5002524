#include "models/rucio/catalog_initial.hpp"

namespace dlsim::models::rucio {

void seed_initial_catalog(RucioWorld& w, const std::map<std::string, scenario::RseSpec>& rses) {
  for (const auto& [name, spec] : rses) {
    if (!spec.catalog || spec.catalog->files == 0) continue;
    const std::uint16_t rse = w.storage.index_of(name);
    const auto& c = *spec.catalog;
    const double bytes_per_file = c.bytes / static_cast<double>(c.files);
    // Group g holds files / datasets files, the first (files mod datasets) groups one more.
    const std::int64_t n = c.datasets;
    for (std::int64_t g = 0; g < n && g < c.files; ++g) {
      Dataset ds;
      ds.campaign = kInitialCatalog;
      ds.files = c.files / n + (g < c.files % n ? 1 : 0);
      ds.bytes_per_file = bytes_per_file;
      ds.origin_rse = rse;
      ds.files_evaluated = ds.files;  // settled long ago: nothing for judge-evaluator
      const std::uint32_t id = w.catalog.add_dataset(ds);
      w.catalog.add_replicas(id, rse, ds.files);
    }
    w.storage.rse(rse).add_replicas(c.files, c.bytes);
  }
}

std::vector<CatalogGroup> initial_catalog_groups(const Catalog& catalog, std::uint16_t rse) {
  std::vector<CatalogGroup> groups;
  for (std::uint32_t id = 0; id < catalog.datasets_added(); ++id) {
    if (!catalog.has_dataset(id)) continue;  // retired (never one of the initial catalog)
    const Dataset& ds = catalog.dataset(id);
    if (ds.campaign == kInitialCatalog && ds.origin_rse == rse)
      groups.push_back({id, ds.files, ds.bytes_per_file});
  }
  return groups;
}

}  // namespace dlsim::models::rucio
