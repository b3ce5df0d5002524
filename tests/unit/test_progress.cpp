// The progress line of `dlsim run`: its text, when it is wanted, and what it writes.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "app/progress.hpp"

using namespace dlsim::sim;

TEST_CASE("The progress text gives the time reached, the share, the rate and the time left") {
  // 6 h of a 24 h run after 4 s of wall: 25 %, 21600 / 4 = 5400 simulated s per s, and the
  // remaining 64800 s take 64800 / 5400 = 12 s.
  CHECK(format_progress(21600, 86400, 4) ==
        "[dlsim] 6h / 24h (25%), 5400 simulated s per s, about 12s left");
  // At the end nothing is left: no "left" clause. 86400 / 3.2 = 27000.
  CHECK(format_progress(86400, 86400, 3.2) == "[dlsim] 24h / 24h (100%), 27000 simulated s per s");
  // 1h30m05s of 2 h after 0.5 s: 5405 / 0.5 = 10810 s/s; 1795 s left / 10810 → ceil = 1 s.
  CHECK(format_progress(5405, 7200, 0.5) ==
        "[dlsim] 1h30m5s / 2h (75%), 10810 simulated s per s, about 1s left");
}

TEST_CASE("Progress is wanted on a terminal only, never with --quiet or in CI") {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  CHECK_FALSE(progress_wanted(pipe_fds[1], false, nullptr));  // a pipe: nothing
  close(pipe_fds[0]);
  close(pipe_fds[1]);

  int master = posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(grantpt(master) == 0);
  REQUIRE(unlockpt(master) == 0);
  int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
  REQUIRE(terminal >= 0);
  CHECK(progress_wanted(terminal, false, nullptr));       // a terminal: shown
  CHECK_FALSE(progress_wanted(terminal, true, nullptr));  // --quiet
  CHECK_FALSE(progress_wanted(terminal, false, "1"));     // CI=1
  close(terminal);
  close(master);
}

namespace {
// Everything a ProgressLine writes, through an in-memory FILE.
struct Capture {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  std::string text() {
    std::fflush(file);
    return std::string(data, size);
  }
  ~Capture() {
    std::fclose(file);
    free(data);
  }
};
}  // namespace

TEST_CASE("A progress line redraws in place at most every 0.25 s and is cleared at the end") {
  Capture out;
  ProgressLine line(out.file, 86400, true);
  line.update(3600, 0.1);  // 0.1 s < 0.25 s since the start: nothing yet
  CHECK(out.text().empty());
  line.update(43200, 0.5);  // 12 h at 0.5 s: 86400 s/s, 43200 / 86400 → 1 s left
  const std::string first = "[dlsim] 12h / 24h (50%), 86400 simulated s per s, about 1s left";
  CHECK(out.text() == "\r" + first);
  line.update(50000, 0.6);  // 0.1 s after the last draw: skipped
  CHECK(out.text() == "\r" + first);
  line.update(86400, 1.0);  // the end: a shorter line, padded over the longer one
  const std::string last = "[dlsim] 24h / 24h (100%), 86400 simulated s per s";
  const std::string padded = last + std::string(first.size() - last.size(), ' ');
  CHECK(out.text() == "\r" + first + "\r" + padded);
  line.finish();  // blanks the width of the last line drawn and returns to column 0
  CHECK(out.text() == "\r" + first + "\r" + padded + "\r" + std::string(last.size(), ' ') + "\r");
}

TEST_CASE("A disabled progress line writes nothing") {
  Capture out;
  ProgressLine line(out.file, 86400, false);
  line.update(43200, 1);
  line.update(86400, 2);
  line.finish();
  CHECK(out.text().empty());
}
