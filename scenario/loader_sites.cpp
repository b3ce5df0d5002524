#include "scenario/loader_sites.hpp"

#include <limits>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "scenario/loader_fields.hpp"
#include "scenario/loader_fts.hpp"

namespace dlsim::scenario {
namespace {

void parse_failure_episodes(const InputContext& ctx, MapReader& rse, RseSpec& r) {
  auto list = rse.get("failure_episodes");
  if (!list) return;
  const auto list_path = rse.child_path("failure_episodes");
  if (!list->IsSequence())
    ctx.fail(*list, list_path, "expected a list of {start, duration, kind, rate}");
  for (std::size_t i = 0; i < list->size(); ++i) {
    FailureEpisode e;
    MapReader m(ctx, (*list)[i], fmt::format("{}[{}]", list_path, i));
    m.field("start", e.start_s, read_duration_s);
    m.required("duration", e.duration_s, read_duration_s);
    m.field("kind", e.kind,
            one_of({"recoverable", "no_space", "missing_file", "checksum", "permission"}));
    m.field("rate", e.rate, number(0, 1));
    m.finish();
    r.failure_episodes.push_back(e);
  }
}

void parse_initial_catalog(const InputContext& ctx, MapReader& rse, RseSpec& r) {
  auto node = rse.get("catalog");
  if (!node) return;
  InitialCatalogSpec c;
  MapReader m(ctx, *node, rse.child_path("catalog"));
  m.required("files", c.files, integer64(0, kMaxFiles));
  m.required("bytes", c.bytes, read_bytes);
  m.field("datasets", c.datasets, integer(1, 1'000'000));
  m.finish();
  r.catalog = c;
}

}  // namespace

void parse_network(const InputContext& ctx, const YAML::Node& node, NetworkSpec& net) {
  MapReader m(ctx, node, "network");
  m.field("default_uplink", net.default_uplink_Bps, read_bandwidth_Bps);
  m.field("latency_min", net.latency_min_s, read_duration_s);
  m.field("latency_max", net.latency_max_s, read_duration_s);
  m.field("tcp_window", net.tcp_window_bytes, read_bytes);
  if (auto sites = m.get("sites"))
    for_each_named(ctx, *sites, "network.sites", "site",
                   [&](const std::string& name, const YAML::Node& n, const std::string& path,
                       const YAML::Node& /*key*/) {
                     SiteSpec site{name, 0, 0};
                     MapReader s(ctx, n, path);
                     s.field("uplink", site.uplink_Bps, read_bandwidth_Bps);
                     s.field("latency", site.latency_s, read_duration_s);
                     s.finish();
                     net.sites[name] = site;
                   });
  m.finish();
}

void parse_rses(const InputContext& ctx, const YAML::Node& node,
                std::map<std::string, RseSpec>& rses) {
  for_each_named(ctx, node, "rses", "RSE",
                 [&](const std::string& name, const YAML::Node& n, const std::string& path,
                     const YAML::Node& /*key*/) {
                   RseSpec r;
                   r.name = name;
                   r.where = ctx.locate(n, path);
                   MapReader m(ctx, n, path);
                   m.required("site", r.site, read_string);
                   m.field("storage", r.storage, read_string);
                   m.required("quota", r.quota_bytes, read_bytes);
                   m.field("min_free", r.min_free_bytes, read_bytes);
                   m.field("failure_rate", r.failure_rate, number(0, 1));
                   m.field("multihop", r.multihop, read_bool);
                   if (auto attrs = m.get("attributes")) {
                     const auto attrs_path = m.child_path("attributes");
                     if (!attrs->IsMap())
                       ctx.fail(*attrs, attrs_path, "expected a mapping of attribute: value");
                     for (const auto& kv : *attrs) {
                       const auto key = kv.first.as<std::string>();
                       r.attributes[key] = read_string(ctx, kv.second, attrs_path + "." + key);
                     }
                   }
                   if (auto list = m.get("no_link_to")) {
                     const auto list_path = m.child_path("no_link_to");
                     if (!list->IsSequence()) ctx.fail(*list, list_path, "expected a list of RSEs");
                     for (std::size_t i = 0; i < list->size(); ++i)
                       r.no_link_to.push_back(
                           read_string(ctx, (*list)[i], fmt::format("{}[{}]", list_path, i)));
                   }
                   parse_failure_episodes(ctx, m, r);
                   parse_initial_catalog(ctx, m, r);
                   m.finish();
                   rses[name] = r;
                 });
}

void parse_transfers(const InputContext& ctx, const YAML::Node& node, TransferSpec& t) {
  MapReader m(ctx, node, "transfers");
  std::string model = "per_link";
  m.field("model", model, one_of({"per_file", "per_link"}));
  t.model = model == "per_file" ? TransferModel::PerFile : TransferModel::PerLink;
  m.field("optimizer", t.optimizer, read_bool);
  m.field("max_active_per_link", t.max_active_per_link, integer(1, 100'000));
  m.field("setup_time", t.setup_s, read_duration_s);
  m.field("failure_rate", t.failure_rate, number(0, 1));
  m.field("multihop", t.multihop, read_bool);
  m.field("hop_penalty", t.hop_penalty, number(0, 1e9));
  m.field("max_url_copy_processes", t.max_url_copy_processes, integer(1, 1'000'000));
  m.field("scheduling_interval", t.scheduling_interval_s, read_duration_s);
  if (auto fts = m.get("fts")) t.fts = parse_fts_deployment(ctx, *fts, m.child_path("fts"));
  m.finish();
}

}  // namespace dlsim::scenario
