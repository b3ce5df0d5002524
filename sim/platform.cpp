#include "sim/platform.hpp"

#include <fmt/core.h>
#include <simgrid/s4u/NetZone.hpp>

namespace dlsim::sim {
namespace s4u = simgrid::s4u;

Platform build_platform(const scenario::Scenario& s, RngStreams& rng) {
  // Textbook network numbers: no TCP ACK cross-traffic, no LV08 bandwidth/latency factors
  // (docs/references.md#simgrid).
  s4u::Engine::set_config("network/crosstraffic:0");
  s4u::Engine::set_config("network/bandwidth-factor:1");
  s4u::Engine::set_config("network/latency-factor:1");
  set_tcp_window(s.network.tcp_window_bytes);
  auto* zone = s4u::create_full_zone("dlsim");
  Platform p;
  for (const auto& [name, pool] : s.cluster.node_pools) {
    for (int i = 0; i < pool.hosts(); ++i) {  // autoscaled pools: up to their max
      auto* host = zone->create_host(fmt::format("{}-{}", name, i + 1), kCoreSpeed);
      host->set_core_count(static_cast<int>(std::max(1.0, pool.cpu_cores)));
      p.nodes.emplace_back(&pool, host);
    }
  }
  p.database = zone->create_host("database", kCoreSpeed)->set_core_count(s.database.cpu_cores);
  // Generators and the FTS link workers are not what is being sized: ample cores.
  p.clients = zone->create_host("clients", kCoreSpeed)->set_core_count(1024);
  p.fts = zone->create_host("fts", kCoreSpeed)->set_core_count(1024);

  auto& net_rng = rng.stream("network");
  std::map<std::string, s4u::Link*> uplinks;
  auto uplink = [&](const std::string& site) {
    auto it = uplinks.find(site);
    if (it != uplinks.end()) return it->second;
    double bw = s.network.default_uplink_Bps;
    double lat = s.network.latency_min_s +
                 uniform01(net_rng) * (s.network.latency_max_s - s.network.latency_min_s);
    if (auto sit = s.network.sites.find(site); sit != s.network.sites.end()) {
      if (sit->second.uplink_Bps > 0) bw = sit->second.uplink_Bps;
      if (sit->second.latency_s > 0) lat = sit->second.latency_s;
    }
    auto* link = zone->create_link("uplink-" + site, bw)->set_latency(lat);
    return uplinks.emplace(site, link).first->second;
  };
  for (const auto& [name, rse] : s.rses) {
    p.rse_hosts[name] = zone->create_host("rse-" + name, kCoreSpeed);
    uplink(rse.site);
  }
  // Downloads: every RSE reaches the clients through its site's uplink and the clients' own
  // (network.default_uplink, the users' side).
  if (!s.rses.empty()) {
    auto* clients_uplink = zone->create_link("clients-uplink", s.network.default_uplink_Bps)
                               ->set_latency(s.network.latency_min_s);
    for (const auto& [name, rse] : s.rses)
      zone->add_route(
          p.rse_hosts[name]->get_netpoint(), p.clients->get_netpoint(), nullptr, nullptr,
          {s4u::LinkInRoute(uplinks.at(rse.site)), s4u::LinkInRoute(clients_uplink)}, true);
  }
  for (auto a = s.rses.begin(); a != s.rses.end(); ++a)
    for (auto b = std::next(a); b != s.rses.end(); ++b) {
      std::vector<s4u::LinkInRoute> route;
      route.emplace_back(uplinks.at(a->second.site));
      if (b->second.site != a->second.site) route.emplace_back(uplinks.at(b->second.site));
      zone->add_route(p.rse_hosts[a->first]->get_netpoint(), p.rse_hosts[b->first]->get_netpoint(),
                      nullptr, nullptr, route, true);
    }
  zone->seal();
  return p;
}

}  // namespace dlsim::sim
