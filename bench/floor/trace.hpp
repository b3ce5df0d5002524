// What one engine run asked of SimGrid, actor by actor: every exec, sleep and comm each actor
// issued, in order, and the hosts, VMs, links and routes they used. Recorded through SimGrid's
// own signals (Actor::on_creation/on_sleep/on_wake_up, Exec::on_start) and, for comms, an
// interposed Comm::sendto, so the recorder knows nothing of dlsim's models; replay.cpp plays
// the trace back on raw SimGrid.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simgrid/s4u/Host.hpp>

namespace dlsim::bench {

enum class OpKind : std::uint8_t { Sleep, Exec, Comm, Spawn };

// One engine call. Sleep: `amount` seconds (negative: still asleep at the end of the run).
// Exec: `amount` flops on host `a`, waited for. Comm: `amount` bytes from host `a` to host `b`
// (Comm::sendto). Spawn: creates actor `a` (index into Trace::actors).
struct Op {
  double amount = 0;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  OpKind kind = OpKind::Sleep;
};

struct HostInfo {
  std::string name;
  double speed_flops = 0;
  int cores = 1;
  bool is_vm = false;
  std::uint32_t pm = 0;      // physical host of a VM (index into Trace::hosts)
  double bound_flops = -1;   // VM CPU bound; negative: none
  double exec_priority = 1;  // priority of the execs run on this host
};

struct LinkInfo {
  std::string name;
  double bandwidth_Bps = 0;
  double latency_s = 0;
};

struct RouteInfo {
  std::uint32_t src = 0;
  std::uint32_t dst = 0;
  std::vector<std::uint32_t> links;
};

struct ActorTrace {
  std::string name;
  std::uint32_t host = 0;
  double created_s = 0;
  bool spawned = false;  // created by another actor's Spawn op (else before the run, at t = 0)
  bool daemon = false;   // daemonized itself before its first activity
  std::vector<Op> ops;
};

struct Trace {
  std::vector<HostInfo> hosts;
  std::vector<LinkInfo> links;
  std::vector<RouteInfo> routes;
  std::vector<ActorTrace> actors;
  std::uint64_t unattributed = 0;  // activities seen outside any actor (should stay 0)

  std::uint64_t count(OpKind kind) const;
  std::uint64_t exec_count_on_vms() const;
};

// Passes a trace between processes: a plain binary dump, both ends being this program.
bool write_trace(int fd, const Trace& trace);
Trace read_trace(std::string_view bytes);

// Connects to SimGrid's signals; records until take() (one recorder per process).
class TraceRecorder {
 public:
  TraceRecorder();
  Trace take() { return std::move(trace_); }
  // Called by the Comm::sendto interposer (trace.cpp).
  void record_sendto(const simgrid::s4u::Host* from, const simgrid::s4u::Host* to,
                     std::uint64_t bytes);

 private:
  std::uint32_t host_index(const simgrid::s4u::Host* host);
  std::uint32_t link_index(const simgrid::s4u::Link* link);
  ActorTrace* current_actor();
  void record_route(std::uint32_t src, std::uint32_t dst, const simgrid::s4u::Host* from,
                    const simgrid::s4u::Host* to);

  Trace trace_;
  std::unordered_map<const simgrid::s4u::Host*, std::uint32_t> hosts_;
  std::unordered_map<const simgrid::s4u::Link*, std::uint32_t> links_;
  std::unordered_map<std::uint64_t, bool> routes_;  // (src << 32 | dst) seen
  std::unordered_map<long, std::size_t> actors_;    // pid → index into trace_.actors
  std::unordered_map<long, double> asleep_since_;   // pid → time its sleep began
};

}  // namespace dlsim::bench
