// Runs a measured piece of work in a child process and reports what the kernel saw of it:
// wall time, user and system CPU time, and peak resident memory (wait4's rusage, the figure
// `/usr/bin/time -v` prints). Each simulation gets its own process because SimGrid allows
// one engine per process (docs/references.md#simgrid).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dlsim::bench {

// The child's resident memory (VmRSS of /proc/PID/status) at `wall_s` after the fork.
struct RssSample {
  double wall_s = 0;
  std::uint64_t rss_bytes = 0;
};

struct ChildRun {
  int exit_status = -1;  // exit code, or 128 + signal
  double wall_s = 0;     // fork to reaping
  double user_s = 0;
  double sys_s = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::string output;  // what the child wrote to its pipe (run_in_child) or stdout (run_command)
  // Resident memory seen while it ran (run_command with a sampling period; else empty).
  std::vector<RssSample> rss_samples;

  double cpu_s() const { return user_s + sys_s; }
};

// Forks; the child runs `body(fd)`, which may write its results to `fd`, then exits.
ChildRun run_in_child(const std::function<void(int fd)>& body);

// Forks and executes `argv` (argv[0] is a path); its stdout is captured, stderr inherited.
// With `rss_period_s` > 0, a thread reads the child's VmRSS that often while it runs.
ChildRun run_command(const std::vector<std::string>& argv, double rss_period_s = 0);

// Writes all of `bytes` to `fd` (retrying short writes); false on error.
bool write_all(int fd, const void* bytes, std::size_t n);

// Figures over repeated measurements.
double median(std::vector<double> values);
double minimum(const std::vector<double>& values);

}  // namespace dlsim::bench
