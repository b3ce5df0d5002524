#include "bench/floor/trace.hpp"

#include <dlfcn.h>

#include <cstring>
#include <stdexcept>
#include <type_traits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

#include "bench/child.hpp"

namespace dlsim::bench {
namespace s4u = simgrid::s4u;

std::uint64_t Trace::count(OpKind kind) const {
  std::uint64_t n = 0;
  for (const auto& a : actors)
    for (const auto& op : a.ops) n += op.kind == kind;
  return n;
}

std::uint64_t Trace::exec_count_on_vms() const {
  std::uint64_t n = 0;
  for (const auto& a : actors)
    for (const auto& op : a.ops) n += op.kind == OpKind::Exec && hosts[op.a].is_vm;
  return n;
}

namespace {
TraceRecorder* active_recorder = nullptr;
}  // namespace

TraceRecorder::TraceRecorder() {
  s4u::Actor::on_creation_cb([this](s4u::Actor& actor) {
    auto index = trace_.actors.size();
    ActorTrace a;
    a.name = actor.get_name();
    a.host = host_index(actor.get_host());
    a.created_s = s4u::Engine::get_clock();
    // Created by a running actor (a spawn in the middle of its work), or set up before the run.
    auto it = actors_.find(actor.get_ppid());
    if (it != actors_.end()) {
      a.spawned = true;
      trace_.actors[it->second].ops.push_back(
          {0.0, static_cast<std::uint32_t>(index), 0, OpKind::Spawn});
    }
    trace_.actors.push_back(std::move(a));
    actors_[actor.get_pid()] = index;
  });
  s4u::Actor::on_sleep_cb([this](const s4u::Actor& actor) {
    auto it = actors_.find(actor.get_pid());
    if (it == actors_.end()) {
      ++trace_.unattributed;
      return;
    }
    asleep_since_[actor.get_pid()] = s4u::Engine::get_clock();
    ActorTrace& a = trace_.actors[it->second];
    a.daemon = a.daemon || actor.is_daemon();
    a.ops.push_back({-1.0, 0, 0, OpKind::Sleep});
  });
  s4u::Actor::on_wake_up_cb([this](const s4u::Actor& actor) {
    auto it = actors_.find(actor.get_pid());
    auto since = asleep_since_.find(actor.get_pid());
    if (it == actors_.end() || since == asleep_since_.end()) return;
    auto& ops = trace_.actors[it->second].ops;
    if (!ops.empty() && ops.back().kind == OpKind::Sleep)
      ops.back().amount = s4u::Engine::get_clock() - since->second;
    asleep_since_.erase(since);
  });
  s4u::Exec::on_start_cb([this](const s4u::Exec& exec) {
    ActorTrace* actor = current_actor();
    if (actor == nullptr) return;
    actor->ops.push_back({exec.get_cost(), host_index(exec.get_host()), 0, OpKind::Exec});
  });
  // Every host and VM, also those no actor ends up using (their constraints still exist).
  s4u::Engine::on_simulation_start_cb([this] {
    for (const auto* host : s4u::Engine::get_instance()->get_all_hosts()) host_index(host);
  });
  active_recorder = this;
}

void TraceRecorder::record_sendto(const s4u::Host* from, const s4u::Host* to, std::uint64_t bytes) {
  ActorTrace* actor = current_actor();
  if (actor == nullptr) return;
  std::uint32_t a = host_index(from);
  std::uint32_t b = host_index(to);
  record_route(a, b, from, to);
  actor->ops.push_back({static_cast<double>(bytes), a, b, OpKind::Comm});
}

ActorTrace* TraceRecorder::current_actor() {
  const s4u::Actor* self = s4u::Actor::self();
  auto it = self ? actors_.find(self->get_pid()) : actors_.end();
  if (it == actors_.end()) {
    ++trace_.unattributed;
    return nullptr;
  }
  ActorTrace& a = trace_.actors[it->second];
  a.daemon = a.daemon || self->is_daemon();
  return &a;
}

std::uint32_t TraceRecorder::host_index(const s4u::Host* host) {
  auto it = hosts_.find(host);
  if (it != hosts_.end()) return it->second;
  HostInfo info;
  info.name = host->get_name();
  info.speed_flops = host->get_speed();
  info.cores = host->get_core_count();
  if (const auto* vm = dynamic_cast<const s4u::VirtualMachine*>(host)) {
    info.is_vm = true;
    info.pm = host_index(vm->get_pm());
  }
  auto index = static_cast<std::uint32_t>(trace_.hosts.size());
  trace_.hosts.push_back(std::move(info));
  hosts_.emplace(host, index);
  return index;
}

std::uint32_t TraceRecorder::link_index(const s4u::Link* link) {
  auto it = links_.find(link);
  if (it != links_.end()) return it->second;
  auto index = static_cast<std::uint32_t>(trace_.links.size());
  trace_.links.push_back({link->get_name(), link->get_bandwidth(), link->get_latency()});
  links_.emplace(link, index);
  return index;
}

void TraceRecorder::record_route(std::uint32_t src, std::uint32_t dst, const s4u::Host* from,
                                 const s4u::Host* to) {
  auto key = (static_cast<std::uint64_t>(src) << 32) | dst;
  if (!routes_.emplace(key, true).second) return;
  std::vector<s4u::Link*> links;
  double latency = 0;
  from->route_to(to, links, &latency);
  RouteInfo route{src, dst, {}};
  for (const auto* link : links) route.links.push_back(link_index(link));
  trace_.routes.push_back(std::move(route));
}

namespace {

class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) {}
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    ok_ = ok_ && write_all(fd_, &v, sizeof v);
  }
  void str(const std::string& s) {
    pod(s.size());
    ok_ = ok_ && write_all(fd_, s.data(), s.size());
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod(v.size());
    ok_ = ok_ && write_all(fd_, v.data(), v.size() * sizeof(T));
  }
  bool ok() const { return ok_; }

 private:
  int fd_;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  T pod() {
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  std::string str() {
    auto n = pod<std::size_t>();
    return std::string(take(n), n);
  }
  template <class T>
  std::vector<T> vec() {
    auto n = pod<std::size_t>();
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
    return v;
  }

 private:
  const char* take(std::size_t n) {
    if (n > bytes_.size() - pos_) throw std::runtime_error("truncated trace");
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

bool write_trace(int fd, const Trace& trace) {
  Writer w(fd);
  w.pod(trace.hosts.size());
  for (const auto& h : trace.hosts) {
    w.str(h.name);
    w.pod(h.speed_flops);
    w.pod(h.cores);
    w.pod(h.is_vm);
    w.pod(h.pm);
    w.pod(h.bound_flops);
    w.pod(h.exec_priority);
  }
  w.pod(trace.links.size());
  for (const auto& l : trace.links) {
    w.str(l.name);
    w.pod(l.bandwidth_Bps);
    w.pod(l.latency_s);
  }
  w.pod(trace.routes.size());
  for (const auto& r : trace.routes) {
    w.pod(r.src);
    w.pod(r.dst);
    w.vec(r.links);
  }
  w.pod(trace.actors.size());
  for (const auto& a : trace.actors) {
    w.str(a.name);
    w.pod(a.host);
    w.pod(a.created_s);
    w.pod(a.spawned);
    w.pod(a.daemon);
    w.vec(a.ops);
  }
  w.pod(trace.unattributed);
  return w.ok();
}

Trace read_trace(std::string_view bytes) {
  Reader r(bytes);
  Trace t;
  t.hosts.resize(r.pod<std::size_t>());
  for (auto& h : t.hosts) {
    h.name = r.str();
    h.speed_flops = r.pod<double>();
    h.cores = r.pod<int>();
    h.is_vm = r.pod<bool>();
    h.pm = r.pod<std::uint32_t>();
    h.bound_flops = r.pod<double>();
    h.exec_priority = r.pod<double>();
  }
  t.links.resize(r.pod<std::size_t>());
  for (auto& l : t.links) {
    l.name = r.str();
    l.bandwidth_Bps = r.pod<double>();
    l.latency_s = r.pod<double>();
  }
  t.routes.resize(r.pod<std::size_t>());
  for (auto& route : t.routes) {
    route.src = r.pod<std::uint32_t>();
    route.dst = r.pod<std::uint32_t>();
    route.links = r.vec<std::uint32_t>();
  }
  t.actors.resize(r.pod<std::size_t>());
  for (auto& a : t.actors) {
    a.name = r.str();
    a.host = r.pod<std::uint32_t>();
    a.created_s = r.pod<double>();
    a.spawned = r.pod<bool>();
    a.daemon = r.pod<bool>();
    a.ops = r.vec<Op>();
  }
  t.unattributed = r.pod<std::uint64_t>();
  return t;
}

}  // namespace dlsim::bench

// SimGrid 3.32 declares Comm::on_start but never defines nor fires it, and a finished Comm does
// not tell its size, so comms are recorded by interposing Comm::sendto, the one comm call of
// dlsim's seam (sim/seam.cpp copy_bytes): this definition in the benchmark binary wins over
// libsimgrid's for the calls linked into the binary; it records the call (while a recorder
// exists) and calls libsimgrid's. The replay goes through it too, so both pay the same.
void simgrid::s4u::Comm::sendto(Host* from, Host* to, uint64_t simulated_size_in_bytes) {
  using Sendto = void (*)(Host*, Host*, uint64_t);
  static const auto real =
      reinterpret_cast<Sendto>(dlsym(RTLD_NEXT, "_ZN7simgrid3s4u4Comm6sendtoEPNS0_4HostES3_m"));
  if (dlsim::bench::active_recorder != nullptr)
    dlsim::bench::active_recorder->record_sendto(from, to, simulated_size_in_bytes);
  real(from, to, simulated_size_in_bytes);
}
