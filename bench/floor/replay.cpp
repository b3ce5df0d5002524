#include "bench/floor/replay.hpp"

#include <xbt/log.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

namespace dlsim::bench {
namespace s4u = simgrid::s4u;
namespace {

struct Replayer {
  const Trace& trace;
  std::vector<s4u::Host*> hosts;
  double horizon_s;

  void start(std::size_t index) {
    const ActorTrace& a = trace.actors[index];
    s4u::Actor::create(a.name, hosts[a.host], [this, index] { play(index); });
  }

  // Plays one actor's calls back exactly as recorded.
  void play(std::size_t index) {
    const ActorTrace& actor = trace.actors[index];
    if (actor.daemon) s4u::Actor::self()->daemonize();
    for (const Op& op : actor.ops) {
      switch (op.kind) {
        case OpKind::Sleep:
          if (op.amount < 0) {
            s4u::this_actor::sleep_until(horizon_s + 1);  // asleep when the run ended
          } else {
            s4u::this_actor::sleep_for(op.amount);
          }
          break;
        case OpKind::Exec:
          s4u::this_actor::exec_init(op.amount)
              ->set_host(hosts[op.a])
              ->set_priority(trace.hosts[op.a].exec_priority)
              ->start()
              ->wait();
          break;
        case OpKind::Comm:
          s4u::Comm::sendto(hosts[op.a], hosts[op.b], static_cast<std::uint64_t>(op.amount));
          break;
        case OpKind::Spawn:
          start(op.a);
          break;
      }
    }
  }
};

std::vector<s4u::Host*> build_platform(const Trace& trace) {
  // The network configuration of sim/platform.cpp (textbook numbers, no cross-traffic).
  s4u::Engine::set_config("network/crosstraffic:0");
  s4u::Engine::set_config("network/bandwidth-factor:1");
  s4u::Engine::set_config("network/latency-factor:1");
  auto* zone = s4u::create_full_zone("floor");
  std::vector<s4u::Host*> hosts(trace.hosts.size(), nullptr);
  for (std::size_t i = 0; i < trace.hosts.size(); ++i) {
    const HostInfo& h = trace.hosts[i];
    if (!h.is_vm) hosts[i] = zone->create_host(h.name, h.speed_flops)->set_core_count(h.cores);
  }
  std::vector<s4u::Link*> links;
  for (const auto& l : trace.links)
    links.push_back(zone->create_link(l.name, l.bandwidth_Bps)->set_latency(l.latency_s));
  for (const auto& r : trace.routes) {
    std::vector<s4u::LinkInRoute> route;
    for (auto l : r.links) route.emplace_back(links[l]);
    zone->add_route(hosts[r.src]->get_netpoint(), hosts[r.dst]->get_netpoint(), nullptr, nullptr,
                    route, false);
  }
  zone->seal();
  for (std::size_t i = 0; i < trace.hosts.size(); ++i) {
    const HostInfo& h = trace.hosts[i];
    if (!h.is_vm) continue;
    auto* vm = hosts[h.pm]->create_vm(h.name, h.cores);
    if (h.bound_flops >= 0) vm->set_bound(h.bound_flops);
    vm->start();
    hosts[i] = vm;
  }
  return hosts;
}

}  // namespace

ReplayStats replay(const Trace& trace, double horizon_s) {
  ReplayStats stats;
  {
    s4u::Engine engine("floor");
    xbt_log_control_set("root.thres:critical");
    Replayer replayer{trace, build_platform(trace), horizon_s};
    // Actors set up before the run start now; the others when their parent's Spawn comes.
    for (std::size_t i = 0; i < trace.actors.size(); ++i)
      if (!trace.actors[i].spawned) replayer.start(i);
    engine.run_until(horizon_s);
    stats.end_clock_s = s4u::Engine::get_clock();
  }
  return stats;
}

}  // namespace dlsim::bench
