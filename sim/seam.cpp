#include "sim/seam.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>
#include <xbt/log.h>

#include <filesystem>
#include <string>

#include <simgrid/Exception.hpp>
#include <simgrid/simix.hpp>

#include "sim/engine_options.hpp"

// dlsim's own log category (`dlsim run --log=dlsim.thres:info`); its children name the part.
XBT_LOG_NEW_CATEGORY(dlsim, "dlsim: the simulator's own messages");

namespace dlsim::sim {
namespace s4u = simgrid::s4u;

namespace {
EngineActivityCounts counts;        // one engine per process (docs/references.md#simgrid)
double tcp_window_bytes = 4194304;  // network/TCP-gamma's default; set_tcp_window sets it

// The switches of set_engine_options().
std::vector<std::string>& engine_options() {
  static std::vector<std::string> words;
  return words;
}

// The command line SimGrid's Engine(int*, char**) parses: `name`, then the engine options.
// Static because SimGrid reads it during construction only; one engine per process.
int engine_argc = 0;
char** engine_argv(const std::string& name) {
  static std::vector<std::string> words;
  static std::vector<char*> argv;
  // SimGrid's own messages are not part of dlsim's output, unless --log asks for them.
  words = {name, "--log=root.thres:critical"};
#ifdef DLSIM_SANITIZED
  // Threads instead of raw stacks (see Engine in seam.hpp); the xbt_cfg threshold keeps
  // SimGrid from announcing the change on stderr, which tests compare byte for byte.
  words.emplace_back("--log=xbt_cfg.thres:warning");
  words.emplace_back("--cfg=contexts/factory:thread");
#endif
  for (const auto& word : engine_options()) words.push_back(word);
  argv.clear();
  for (auto& word : words) argv.push_back(word.data());
  engine_argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);
  return argv.data();
}
}  // namespace

#ifdef DLSIM_SANITIZED
// Sanitized builds run every actor on a thread of its own (engine_argv), and SimGrid's serial
// thread contexts hand over twice per actor step: maestro posts the actor's semaphore and
// waits on its own until the actor yields (SimGrid 3.32 src/kernel/context/ContextThread.cpp,
// SerialThreadContext::run_all). With the threads on two CPUs each hand-over wakes the other
// CPU; on one CPU the woken thread runs as soon as the waker blocks. The process takes a CPU
// no other sanitized dlsim holds (an flock(2) on TMPDIR/dlsim-sanitized-cpu-N, released when
// the process ends), else the one it runs on, and pins itself there (threads created later
// inherit it, sched_setaffinity(2)): a 2 h FDR under ASan took 47.9 and 46.9 s of wall
// unpinned, 14.8 and 13.8 s pinned (docs/sanitizers.md). Two tests that ctest starts at once
// would otherwise both start on ctest's CPU. What is simulated does not change; normal
// builds, on raw contexts, are left alone.
namespace {
int claim_free_cpu(const cpu_set_t& allowed) {
  const auto dir = std::filesystem::temp_directory_path();
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    const auto path = dir / ("dlsim-sanitized-cpu-" + std::to_string(cpu));
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return cpu;  // fd stays open: held until exit
    close(fd);
  }
  return sched_getcpu();
}

void pin_to_one_cpu() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  const int cpu = claim_free_cpu(allowed);
  if (cpu < 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  sched_setaffinity(0, sizeof one, &one);  // best effort: unpinned is only slower
}
}  // namespace
#endif

void set_engine_options(std::vector<std::string> words) {
  engine_options() = std::move(words);
}

Engine::Engine(const std::string& name) : simgrid::s4u::Engine(&engine_argc, engine_argv(name)) {
  // SimGrid mallocs each actor's stack (8 MiB, contexts/stack-size). glibc raises its mmap
  // threshold to the size of any mmapped block freed (mallopt(3), M_MMAP_THRESHOLD: dynamic up
  // to 32 MiB), so once the first actor has ended the stacks come from the heap and the pages
  // they touched stay resident: a 2-day FDR soak's RSS grew 24 MiB more (docs/performance.md,
  // "7-day FDR"). A fixed threshold keeps every block of 1 MiB or more its own mapping,
  // returned to the system when freed. Where blocks go does not change what is simulated.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#ifdef DLSIM_SANITIZED
  // Once per process: a test binary builds many engines, and its CPU claim holds until exit.
  static const bool pinned = (pin_to_one_cpu(), true);
  (void)pinned;
#endif
}

const EngineActivityCounts& engine_activity_counts() {
  return counts;
}

void sleep_for(double seconds) {
  if (seconds <= 0) return;
  ++counts.sleeps;
  s4u::this_actor::sleep_for(seconds);
}

void sleep_until(double time_s) {
  if (time_s <= now()) return;
  ++counts.sleeps;
  s4u::this_actor::sleep_until(time_s);
}

void spawn(const std::string& name, Host* host, std::function<void()> body) {
  ++counts.actors;
  s4u::Actor::create(name, host, [body = std::move(body)] {
    s4u::Actor::self()->daemonize();
    body();
  });
}

void spawn_clock_keeper(const std::string& name, Host* host, std::function<void()> body) {
  ++counts.actors;
  s4u::Actor::create(name, host, std::move(body));
}

ExecPtr start_exec(Host* host, double core_seconds, double priority) {
  ++counts.execs;
  ExecPtr exec = s4u::this_actor::exec_init(core_seconds * kCoreSpeed);
  exec->set_host(host);
  exec->set_priority(priority);
  exec->start();
  return exec;
}

std::vector<ExecPtr> start_execs(Host* host, double core_seconds, int threads, double priority) {
  std::vector<ExecPtr> execs;
  execs.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) execs.push_back(start_exec(host, core_seconds, priority));
  return execs;
}

void Signal::wait() {
  // Suspended until notify_all() resumes it (no mutex: actors never run concurrently).
  waiting_.push_back(s4u::Actor::self());
  s4u::this_actor::suspend();
}

void Signal::notify_all() {
  std::vector<s4u::ActorPtr> waiting;
  waiting.swap(waiting_);
  for (const auto& actor : waiting) actor->resume();
}

bool wait_exec(const ExecPtr& exec) {
  try {
    exec->wait();
    return true;
  } catch (const simgrid::CancelException&) {
    return false;
  }
}

void copy_bytes(Host* from, Host* to, double bytes) {
  ++counts.comms;
  s4u::Comm::sendto(from, to, bytes);
}

void set_tcp_window(double bytes) {
  tcp_window_bytes = bytes;
  s4u::Engine::set_config("network/TCP-gamma", bytes);
}

CommPtr start_copy(Host* from, Host* to, double bytes, int connections) {
  ++counts.comms;
  if (connections <= 1) return s4u::Comm::sendto_async(from, to, bytes);
  // SimGrid 3.32 bounds a flow by TCP-gamma as it creates it, and a host-to-host comm has no
  // other bound: its set_rate() never reaches the kernel (s4u_Comm.cpp#L296-L306 starts the
  // CommImpl, whose rate_ stays -1: CommImpl.cpp#L151). So the window is raised for this
  // flow's creation only, in one simcall: no other actor's comm can start in between.
  CommPtr comm = s4u::Comm::sendto_init();
  simgrid::kernel::actor::simcall_answered([&] {
    s4u::Engine::set_config("network/TCP-gamma", connections * tcp_window_bytes);
    comm->set_payload_size(static_cast<std::uint64_t>(bytes))
        ->set_source(from)
        ->set_destination(to);
    s4u::Engine::set_config("network/TCP-gamma", tcp_window_bytes);
  });
  return comm;
}

}  // namespace dlsim::sim
