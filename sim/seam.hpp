// The SimGrid seam: the few engine calls models make, in dlsim's units. One reference core
// is 1e9 flop/s, so work is written in core-seconds (docs/design.md §2). Models include this
// header rather than SimGrid's, so the engine API (3.32 here) is adapted in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

#include "sim/recorder.hpp"
#include "sim/rng.hpp"

namespace dlsim::sim {

// Flop/s of one reference core.
inline constexpr double kCoreSpeed = 1e9;

using Host = simgrid::s4u::Host;
using VirtualMachine = simgrid::s4u::VirtualMachine;
using ExecPtr = simgrid::s4u::ExecPtr;
using CommPtr = simgrid::s4u::CommPtr;

// The engine every dlsim simulation (and every scenario test) runs on: SimGrid's, built with
// dlsim's engine options. In a sanitized build (DLSIM_SANITIZE, docs/sanitizers.md) actors run
// on the thread context factory: the default raw factory switches between stacks it mmaps
// itself, which ASan does not know (the Debian libsimgrid has no fiber annotations), so every
// exception thrown on an actor (SimGrid's ForcefulKillException ends each daemon actor)
// prints "ASan is ignoring requested __asan_handle_no_return" and leaves stale stack poison
// that can give false reports. Threads are stacks ASan tracks.
class Engine : public simgrid::s4u::Engine {
 public:
  explicit Engine(const std::string& name);
};

inline double now() {
  return simgrid::s4u::Engine::get_clock();
}
void sleep_for(double seconds);
void sleep_until(double time_s);

// Starts a long-lived actor (daemon thread, controller, generator) on a host. The actor is a
// SimGrid daemon: it is stopped when the last non-daemon actor (the engine's clock keeper)
// ends, at the scenario's end.
void spawn(const std::string& name, Host* host, std::function<void()> body);
// Starts the one non-daemon actor that keeps the simulation alive until it returns.
void spawn_clock_keeper(const std::string& name, Host* host, std::function<void()> body);

// Starts `core_seconds` of work on `host` for the calling actor with CFS weight `priority`.
ExecPtr start_exec(Host* host, double core_seconds, double priority);
// Waits for an exec; false if it was cancelled (its container was killed).
bool wait_exec(const ExecPtr& exec);
// Starts `threads` execs of `core_seconds` each (one exec never gets more than one core).
std::vector<ExecPtr> start_execs(Host* host, double core_seconds, int threads, double priority);

// Something actors wait for (a pod running again, a node added): wait() blocks the calling
// actor until another actor calls notify_all(). Callers re-check their condition in a loop.
class Signal {
 public:
  void wait();
  void notify_all();

 private:
  std::vector<simgrid::s4u::ActorPtr> waiting_;
};

// The TCP window of one connection, SimGrid's `network/TCP-gamma`: a flow over a route of
// one-way latency L moves at most window / 2L bytes/s, whatever the links' bandwidth
// (SimGrid 3.32 src/surf/network_cm02.cpp#L407-L416; Configuring_SimGrid.rst "Maximal TCP
// Window Size"). Set once per run, before the first copy (sim/platform.cpp).
void set_tcp_window(double bytes);

// Moves bytes from one host to another (third-party copy) over one TCP connection; blocks
// the caller.
void copy_bytes(Host* from, Host* to, double bytes);
// The same copy started without waiting: wait on it with ->wait(); ->get_remaining() tells
// how many bytes are still to move. `connections` TCP connections carry it at once (FTS: one
// url-copy process per file of a wave): one flow bounded at connections × window / 2L.
CommPtr start_copy(Host* from, Host* to, double bytes, int connections = 1);

// Engine activities started by dlsim so far, by kind (sleeps, execs, comms, actors): the
// denominator of dlsim's cost per engine activity (docs/design.md §7, bench/floor).
struct EngineActivityCounts {
  std::uint64_t sleeps = 0;
  std::uint64_t execs = 0;
  std::uint64_t comms = 0;
  std::uint64_t actors = 0;
};
const EngineActivityCounts& engine_activity_counts();

// What every model receives: the recorder, the random streams, the scenario's horizon.
struct ModelContext {
  Recorder& recorder;
  RngStreams& rng;
  double horizon_s;
};

}  // namespace dlsim::sim
