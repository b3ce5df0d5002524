// Rucio-style path selection over the transfer topology (models/transfer/network). Costs are
// Σ (distance + hop_penalty), hop_penalty 10 by default (Rucio transfers.hop_penalty).
#include <catch2/catch.hpp>

#include "models/transfer/network.hpp"

namespace tr = dlsim::models::transfer;

namespace {

// A → B → C with distances 1 and 1; A → C (distance 5) disabled. B may relay.
tr::Network three_sites(tr::NetworkConfig config) {
  tr::Network net(config);
  net.add_rse("A");
  net.add_rse("B", /*multihop_intermediate=*/true);
  net.add_rse("C");
  net.add_link("A", "B", 1);
  net.add_link("B", "C", 1);
  net.add_link("A", "C", 5, /*enabled=*/false);
  return net;
}

tr::NetworkConfig multihop(std::optional<int> max_hops = std::nullopt) {
  tr::NetworkConfig config;
  config.use_multihop = true;
  config.max_hops = max_hops;
  return config;
}

}  // namespace

TEST_CASE("A-C disabled: A to C goes through B") {
  const tr::Network net = three_sites(multihop());
  CHECK_FALSE(net.direct("A", "C"));
  const auto hops = net.path("A", "C");
  REQUIRE(hops);
  REQUIRE(hops->size() == 2);
  CHECK((*hops)[0].source == "A");
  CHECK((*hops)[0].destination == "B");
  CHECK((*hops)[0].distance == 1);
  CHECK((*hops)[1].source == "B");
  CHECK((*hops)[1].destination == "C");
  CHECK(net.cost(*hops) == 22);  // (1 + 10) + (1 + 10)
}

TEST_CASE("a direct link is used even when a multi-hop path would be cheaper") {
  tr::Network net = three_sites(multihop());
  net.set_link_enabled("A", "C", true);  // A → C costs 5 + 10 = 15 < 22: direct anyway
  auto hops = net.path("A", "C");
  REQUIRE(hops);
  REQUIRE(hops->size() == 1);
  CHECK((*hops)[0].distance == 5);

  tr::Network far(multihop());  // same, with A → C at 50: 60 > 22, still direct (Rucio rule 1)
  far.add_rse("A");
  far.add_rse("B", true);
  far.add_rse("C");
  far.add_link("A", "B", 1);
  far.add_link("B", "C", 1);
  far.add_link("A", "C", 50);
  hops = far.path("A", "C");
  REQUIRE(hops);
  CHECK(hops->size() == 1);
}

TEST_CASE("no multi-hop without use_multihop or without an intermediate RSE") {
  CHECK_FALSE(three_sites({}).path("A", "C"));  // use_multihop defaults to false

  tr::Network net(multihop());
  net.add_rse("A");
  net.add_rse("B");  // not available_for_multihop
  net.add_rse("C");
  net.add_link("A", "B", 1);
  net.add_link("B", "C", 1);
  CHECK_FALSE(net.path("A", "C"));
  CHECK(net.path("A", "B"));  // B is still a valid destination
}

TEST_CASE("the cheapest multi-hop path wins") {
  tr::Network net(multihop());
  net.add_rse("A");
  net.add_rse("B", true);
  net.add_rse("C", true);
  net.add_rse("D");
  net.add_link("A", "B", 1);
  net.add_link("B", "D", 9);  // via B: (1 + 10) + (9 + 10) = 30
  net.add_link("A", "C", 5);
  net.add_link("C", "D", 2);  // via C: (5 + 10) + (2 + 10) = 27
  const auto hops = net.path("A", "D");
  REQUIRE(hops);
  REQUIRE(hops->size() == 2);
  CHECK((*hops)[0].destination == "C");
  CHECK(net.cost(*hops) == 27);
}

TEST_CASE("max hops is respected") {
  // A → B → C → D costs 3·(1 + 10) = 33 in 3 hops; A → E → D costs 2·(20 + 10) = 60 in 2.
  const auto build = [](std::optional<int> max_hops) {
    tr::Network net(multihop(max_hops));
    net.add_rse("A");
    for (const char* relay : {"B", "C", "E"}) net.add_rse(relay, true);
    net.add_rse("D");
    net.add_link("A", "B", 1);
    net.add_link("B", "C", 1);
    net.add_link("C", "D", 1);
    net.add_link("A", "E", 20);
    net.add_link("E", "D", 20);
    return net;
  };
  const tr::Network unlimited = build(std::nullopt);
  auto hops = unlimited.path("A", "D");
  REQUIRE(hops);
  CHECK(hops->size() == 3);
  CHECK(unlimited.cost(*hops) == 33);

  const tr::Network two = build(2);
  hops = two.path("A", "D");
  REQUIRE(hops);
  REQUIRE(hops->size() == 2);
  CHECK((*hops)[0].destination == "E");
  CHECK(two.cost(*hops) == 60);

  CHECK_FALSE(build(1).path("A", "D"));  // one hop would need a direct A → D link
}

TEST_CASE("no path gives nullopt") {
  tr::Network net(multihop());
  net.add_rse("A");
  net.add_rse("B", true);
  net.add_rse("D");  // no inbound link: an island destination
  net.add_link("A", "B", 1);
  net.add_link("D", "A", 1);
  CHECK(net.rse_count() == 3);
  CHECK(net.path("A", "D") == std::nullopt);
  CHECK(net.path("B", "A") == std::nullopt);  // links are directed: only D → A and A → B exist
}
