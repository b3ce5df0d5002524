// Transfer topology and Rucio-style path selection; see network.hpp.
#include "models/transfer/network.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/range/iterator_range.hpp>

namespace dlsim::models::transfer {
namespace {

// Hop-expanded copy of the usable part of the topology: vertex (rse, h) is "at rse after h
// hops", so that Dijkstra on it gives the cheapest path of at most max_hops links.
using LayeredGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

}  // namespace

Network::Network(NetworkConfig config) : config_(std::move(config)) {
  assert(config_.hop_penalty >= 0);
  assert(!config_.max_hops || *config_.max_hops >= 1);
}

void Network::add_rse(const std::string& name, bool multihop_intermediate) {
  assert(!vertices_.contains(name) && "RSE added twice");
  vertices_[name] = boost::add_vertex(Rse{name, multihop_intermediate}, graph_);
}

void Network::add_link(const std::string& source, const std::string& destination, double distance,
                       bool enabled) {
  const Vertex u = vertex(source);
  const Vertex v = vertex(destination);
  assert(u != v && distance >= 0);
  assert(!boost::edge(u, v, graph_).second && "link added twice");
  boost::add_edge(u, v, Link{distance, enabled}, graph_);
}

void Network::set_link_enabled(const std::string& source, const std::string& destination,
                               bool enabled) {
  const auto [e, found] = boost::edge(vertex(source), vertex(destination), graph_);
  assert(found && "no such link");
  graph_[e].enabled = enabled;
}

Network::Vertex Network::vertex(const std::string& name) const {
  const auto it = vertices_.find(name);
  assert(it != vertices_.end() && "unknown RSE");
  return it->second;
}

std::optional<Hop> Network::direct(const std::string& source,
                                   const std::string& destination) const {
  const auto [e, found] = boost::edge(vertex(source), vertex(destination), graph_);
  if (!found || !graph_[e].enabled) return std::nullopt;
  return Hop{source, destination, graph_[e].distance};
}

std::optional<std::vector<Hop>> Network::path(const std::string& source,
                                              const std::string& destination) const {
  assert(source != destination);
  if (auto hop = direct(source, destination)) return std::vector<Hop>{*hop};  // rule 1
  if (!config_.use_multihop) return std::nullopt;                             // rule 3
  return multihop_path(vertex(source), vertex(destination));                  // rule 2
}

double Network::cost(const std::vector<Hop>& hops) const {
  double total = 0;
  for (const Hop& hop : hops) total += hop.distance + config_.hop_penalty;
  return total;
}

std::optional<std::vector<Hop>> Network::multihop_path(Vertex source, Vertex destination) const {
  const std::size_t n = boost::num_vertices(graph_);
  // A cheapest path never needs to repeat an RSE, so n − 1 links are enough without a limit.
  const std::size_t max_hops =
      config_.max_hops ? static_cast<std::size_t>(*config_.max_hops) : n - 1;
  const auto id = [n](Vertex rse, std::size_t h) { return h * n + rse; };

  LayeredGraph layered((max_hops + 1) * n);
  for (const auto e : boost::make_iterator_range(boost::edges(graph_))) {
    const Vertex u = boost::source(e, graph_);
    const Vertex v = boost::target(e, graph_);
    // Only enabled links; only into the destination or into an intermediate RSE (not back into
    // the source); never onwards from the destination.
    const bool usable = graph_[e].enabled && v != source && u != destination &&
                        (v == destination || graph_[v].multihop_intermediate);
    if (!usable) continue;
    for (std::size_t h = 0; h < max_hops; ++h) {
      if (h == 0 && u != source) continue;  // every path starts at the source
      boost::add_edge(id(u, h), id(v, h + 1), graph_[e].distance + config_.hop_penalty, layered);
    }
  }

  const std::size_t m = boost::num_vertices(layered);
  std::vector<double> dist(m);
  std::vector<std::size_t> pred(m);
  boost::dijkstra_shortest_paths(layered, id(source, 0),
                                 boost::distance_map(dist.data()).predecessor_map(pred.data()));

  // Cheapest arrival at the destination; on a tie, the fewest hops.
  std::optional<std::size_t> best;
  for (std::size_t h = 1; h <= max_hops; ++h) {
    const std::size_t at = id(destination, h);
    if (pred[at] != at && (!best || dist[at] < dist[*best])) best = at;
  }
  if (!best) return std::nullopt;

  std::vector<Hop> hops;
  for (std::size_t at = *best; pred[at] != at; at = pred[at]) {
    const Vertex u = pred[at] % n;
    const Vertex v = at % n;
    hops.push_back(
        Hop{graph_[u].name, graph_[v].name, graph_[boost::edge(u, v, graph_).first].distance});
  }
  std::reverse(hops.begin(), hops.end());
  return hops;
}

}  // namespace dlsim::models::transfer
