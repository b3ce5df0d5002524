#include "sim/series_spill.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/core.h>

namespace dlsim::sim {
namespace {

// A new file in TMPDIR, unlinked at once; -1 if it cannot be made.
int open_unlinked_file() {
  std::error_code ec;
  const auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) return -1;
  std::string path = (dir / "dlsim-series-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd >= 0) unlink(path.c_str());
  return fd;
}

// Writes all of `bytes` at `offset`; false on any error (a full disk, a file size limit).
bool write_all(int fd, const char* bytes, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t done = pwrite(fd, bytes, n, static_cast<off_t>(offset));
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    bytes += done;
    n -= static_cast<std::size_t>(done);
    offset += static_cast<std::uint64_t>(done);
  }
  return true;
}

// Reads exactly `n` bytes at `offset`; false on an error or an early end of file.
bool read_all(int fd, char* bytes, std::size_t n, std::uint64_t offset) {
  errno = 0;
  while (n > 0) {
    const ssize_t got = pread(fd, bytes, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    bytes += got;
    n -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

SeriesSpill::SeriesSpill(SeriesSpill&& other) noexcept
    : width_(other.width_),
      rows_(other.rows_),
      memory_(std::move(other.memory_)),
      fd_(other.fd_),
      file_bytes_(other.file_bytes_),
      spill_failed_(other.spill_failed_) {
  other.fd_ = -1;
}

SeriesSpill& SeriesSpill::operator=(SeriesSpill&& other) noexcept {
  if (this == &other) return *this;
  if (fd_ >= 0) close(fd_);
  width_ = other.width_;
  rows_ = other.rows_;
  memory_ = std::move(other.memory_);
  fd_ = other.fd_;
  file_bytes_ = other.file_bytes_;
  spill_failed_ = other.spill_failed_;
  other.fd_ = -1;
  return *this;
}

SeriesSpill::~SeriesSpill() {
  if (fd_ >= 0) close(fd_);
}

void SeriesSpill::append(double time_s, std::uint32_t object, const double* values) {
  const std::size_t at = memory_.size();
  memory_.resize(at + record_bytes());
  char* p = memory_.data() + at;
  const double object_slot[1] = {static_cast<double>(object)};  // exact below 2^53
  std::memcpy(p, &time_s, sizeof(double));
  std::memcpy(p + sizeof(double), object_slot, sizeof(double));
  std::memcpy(p + 2 * sizeof(double), values, width_ * sizeof(double));
  ++rows_;
  if (memory_.size() >= kMemoryBytes && !spill_failed_) spill();
}

// Appends the memory part to the file. If the file cannot be made or written, the rows stay
// in memory (the file is cut back to its last whole write): the run's outputs do not depend
// on where the rows are, only its memory does.
void SeriesSpill::spill() {
  if (fd_ < 0) fd_ = open_unlinked_file();
  if (fd_ < 0 || !write_all(fd_, memory_.data(), memory_.size(), file_bytes_)) {
    if (fd_ >= 0) (void)!ftruncate(fd_, static_cast<off_t>(file_bytes_));
    spill_failed_ = true;
    return;
  }
  file_bytes_ += memory_.size();
  memory_.clear();
}

void SeriesSpill::decode(const char* bytes, std::size_t n,
                         const std::function<void(const SeriesRow&)>& fn) const {
  std::vector<double> values(width_);
  for (std::size_t at = 0; at + record_bytes() <= n; at += record_bytes()) {
    SeriesRow row;
    double object = 0;
    std::memcpy(&row.time_s, bytes + at, sizeof(double));
    std::memcpy(&object, bytes + at + sizeof(double), sizeof(double));
    std::memcpy(values.data(), bytes + at + 2 * sizeof(double), width_ * sizeof(double));
    row.object = static_cast<std::uint32_t>(object);
    row.values = values.data();
    fn(row);
  }
}

void SeriesSpill::for_each(const std::function<void(const SeriesRow&)>& fn) const {
  // The file in blocks of whole records (it only ever holds whole records).
  const std::size_t block = (kMemoryBytes / record_bytes() + 1) * record_bytes();
  std::vector<char> buffer(block);
  for (std::uint64_t offset = 0; offset < file_bytes_;) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(block, file_bytes_ - offset));
    if (!read_all(fd_, buffer.data(), want, offset))
      throw std::runtime_error(
          fmt::format("cannot read back a time series spilled to a temporary file: {}",
                      errno ? std::strerror(errno) : "end of file"));
    decode(buffer.data(), want, fn);
    offset += want;
  }
  decode(memory_.data(), memory_.size(), fn);
}

}  // namespace dlsim::sim
