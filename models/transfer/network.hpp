// Transfer topology: which RSE can send to which, and by which path the conveyor-submitter
// routes a file.
//
// Models Rucio's `get_hops` (lib/rucio/core/transfer.py, 1.23 era; rucio master
// lib/rucio/core/request.py#L454-705 and rucio 1.23.10
// lib/rucio/daemons/conveyor/submitter.py#L136-229 say the submitter picks a path per request from
// the DISTANCES table, possibly multi-hop, creating intermediate replicas and requests):
//   1. a direct link source→destination (a DISTANCES row) is used as is, even when a multi-hop
//      path would be cheaper;
//   2. otherwise, only if multi-hop is on (`transfers.use_multihop`), the cheapest path whose
//      intermediate RSEs all have `available_for_multihop=true`, each hop costing its distance
//      plus `transfers.hop_penalty`;
//   3. otherwise no path (the request goes to NO_SOURCES).
// Protocol matching between RSEs is not modelled: every enabled link is usable. A hop limit is
// a dlsim option; Rucio has none.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

namespace dlsim::models::transfer {

struct NetworkConfig {
  // Rucio config transfers.use_multihop. Default: false (get_hops default).
  bool use_multihop = false;
  // Rucio config transfers.hop_penalty, added to the distance of every hop of a multi-hop path.
  // Default: 10 (get_hops default).
  double hop_penalty = 10;
  // Most links in a multi-hop path. Default: none (Rucio 1.23 get_hops has no limit).
  std::optional<int> max_hops;
};

// One transfer of a path: source RSE → destination RSE over a link of the given distance.
struct Hop {
  std::string source;
  std::string destination;
  double distance = 0;
};

class Network {
 public:
  explicit Network(NetworkConfig config = {});

  // An RSE; `multihop_intermediate` is its available_for_multihop attribute.
  void add_rse(const std::string& name, bool multihop_intermediate = false);
  // A directed DISTANCES row source→destination (distance ≥ 0, Rucio ranking: lower is
  // preferred). A disabled link is kept in the graph but never used.
  void add_link(const std::string& source, const std::string& destination, double distance,
                bool enabled = true);
  void set_link_enabled(const std::string& source, const std::string& destination, bool enabled);

  // The hop source→destination if that link exists and is enabled.
  std::optional<Hop> direct(const std::string& source, const std::string& destination) const;
  // The hops the submitter would use (rules 1-3 above), or nullopt when there is no path.
  std::optional<std::vector<Hop>> path(const std::string& source,
                                       const std::string& destination) const;
  // Sum of distances plus hop_penalty per hop, as Rucio ranks multi-hop paths.
  double cost(const std::vector<Hop>& hops) const;

  std::size_t rse_count() const { return boost::num_vertices(graph_); }
  const NetworkConfig& config() const { return config_; }

 private:
  struct Rse {
    std::string name;
    bool multihop_intermediate = false;
  };
  struct Link {
    double distance = 0;
    bool enabled = true;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Rse, Link>;
  using Vertex = Graph::vertex_descriptor;

  Vertex vertex(const std::string& name) const;
  std::optional<std::vector<Hop>> multihop_path(Vertex source, Vertex destination) const;

  NetworkConfig config_;
  Graph graph_;
  std::map<std::string, Vertex> vertices_;
};

}  // namespace dlsim::models::transfer
