#include "app/child_process.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

namespace dlsim::sim {
namespace {

int exit_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return 3;
}

// Appends what is available on the child's pipe; false at end of file.
bool read_some(Child& c) {
  char buf[65536];
  const ssize_t n = read(c.fd, buf, sizeof buf);
  if (n > 0) {
    c.text.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && errno == EINTR) return true;
  return false;
}

ChildExit reap(Child& c) {
  close(c.fd);
  int raw = 0;
  while (waitpid(c.pid, &raw, 0) < 0 && errno == EINTR) {
  }
  return {std::move(c.text), exit_status(raw)};
}

}  // namespace

void write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

Child start_child(const std::function<int(int write_fd)>& body) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("cannot create a pipe");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot fork");
  if (pid == 0) {
    close(fds[0]);
    int code = 3;
    try {
      code = body(fds[1]);
    } catch (const std::exception& e) {
      write_all(fds[1], e.what());
    }
    std::fflush(stdout);
    std::fflush(stderr);
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  return {pid, fds[0], {}, 0};
}

ChildExit finish_child(Child& child) {
  while (read_some(child)) {
  }
  return reap(child);
}

std::pair<int, ChildExit> wait_any_child(std::vector<Child>& children) {
  if (children.empty()) throw std::logic_error("wait_any_child: no children");
  std::vector<pollfd> fds(children.size());
  for (;;) {
    for (std::size_t i = 0; i < children.size(); ++i) fds[i] = {children[i].fd, POLLIN, 0};
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll failed");
    }
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (fds[i].revents == 0 || read_some(children[i])) continue;
      const int tag = children[i].tag;
      ChildExit e = reap(children[i]);
      children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
      return {tag, std::move(e)};
    }
  }
}

}  // namespace dlsim::sim
