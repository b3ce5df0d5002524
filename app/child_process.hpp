// Child processes for work that runs a SimGrid engine: one engine per process
// (docs/design.md §2). `dlsim size` runs each round in one, `dlsim sweep` runs points in
// several at once. The child gets the write end of a pipe; the parent reads it to the end.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace dlsim::sim {

struct Child {
  pid_t pid = -1;
  int fd = -1;       // read end of the child's pipe
  std::string text;  // what the child wrote so far
  int tag = 0;       // the caller's name for it
};

struct ChildExit {
  std::string text;  // everything the child wrote to its pipe
  int status = 0;    // exit status, or 128 + signal number if a signal ended it
};

// Forks; the child runs body(write_fd) and _exits with its return value (3 if it throws).
Child start_child(const std::function<int(int write_fd)>& body);

// Reads the child's pipe to its end and waits for it.
ChildExit finish_child(Child& child);

// Reads the pipes of all `children` until one ends; removes it from the list and returns its
// tag and its exit.
std::pair<int, ChildExit> wait_any_child(std::vector<Child>& children);

// Writes all of `text` to `fd` (retrying short writes).
void write_all(int fd, const std::string& text);

}  // namespace dlsim::sim
