#include "bench/child.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace dlsim::bench {
namespace {

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

std::string read_all(int fd) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  return out;
}

// VmRSS of process `pid` in bytes (0 once it is gone or a zombie).
std::uint64_t vm_rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::uint64_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

// Until `stop`, appends the child's VmRSS every `period_s` to `out`.
void sample_rss(pid_t pid, double period_s, std::chrono::steady_clock::time_point start,
                const std::atomic<bool>& stop, std::vector<RssSample>& out) {
  const auto period = std::chrono::duration<double>(period_s);
  while (!stop.load()) {
    const auto t = std::chrono::steady_clock::now();
    if (std::uint64_t rss = vm_rss_bytes(pid); rss > 0)
      out.push_back({std::chrono::duration<double>(t - start).count(), rss});
    std::this_thread::sleep_for(period);
  }
}

// Forks with a pipe; `child` runs in the child with the pipe's write end and must not return.
// With `rss_period_s` > 0 the child's VmRSS is sampled while the parent reads its pipe.
ChildRun fork_and_wait(const std::function<void(int fd)>& child, double rss_period_s = 0) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(nullptr);  // nothing buffered twice
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    child(fds[1]);
    _exit(127);
  }
  close(fds[1]);
  ChildRun run;
  std::atomic<bool> stop{false};
  std::thread sampler;
  if (rss_period_s > 0)
    sampler = std::thread(sample_rss, pid, rss_period_s, start, std::cref(stop),
                          std::ref(run.rss_samples));
  run.output = read_all(fds[0]);  // until the child exits (it holds the write end)
  close(fds[0]);
  stop.store(true);
  if (sampler.joinable()) sampler.join();
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.user_s = seconds(usage.ru_utime);
  run.sys_s = seconds(usage.ru_stime);
  run.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
  return run;
}

}  // namespace

ChildRun run_in_child(const std::function<void(int fd)>& body) {
  return fork_and_wait([&](int fd) {
    body(fd);
    std::fflush(nullptr);
    _exit(0);  // no static destructors, no SimGrid teardown messages
  });
}

ChildRun run_command(const std::vector<std::string>& argv, double rss_period_s) {
  return fork_and_wait(
      [&](int fd) {
        dup2(fd, STDOUT_FILENO);
        close(fd);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::perror(argv[0].c_str());
      },
      rss_period_s);
}

bool write_all(int fd, const void* bytes, std::size_t n) {
  const char* p = static_cast<const char*>(bytes);
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double minimum(const std::vector<double>& values) {
  return values.empty() ? 0 : *std::min_element(values.begin(), values.end());
}

}  // namespace dlsim::bench
