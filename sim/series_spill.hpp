// Where a time series' rows live while a run goes on: the newest rows in memory, the older
// ones appended to a temporary file as the memory part fills (issue 12: a 7-day run's memory
// stays flat). The file is created in the system's temporary directory (TMPDIR) and unlinked
// at once, so it is never seen in a run directory and vanishes with the process, however it
// ends (a signal, a crash). Rows read back bit for bit: what is spilled is the doubles'
// bytes, so every output built from them is the same as if they had stayed in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dlsim::sim {

// One row of a series as read back: `values` points at value_columns.size() doubles, valid
// during the callback only.
struct SeriesRow {
  double time_s = 0;
  std::uint32_t object = 0;  // index into Series::object_names
  const double* values = nullptr;
};

class SeriesSpill {
 public:
  // Bytes of rows kept in memory before they are appended to the file (1 MiB: a few
  // megabytes for all of a run's series, against ~400 k rows, ~25 MB, a day in the FDR).
  static constexpr std::size_t kMemoryBytes = 1 << 20;

  explicit SeriesSpill(std::size_t width) : width_(width) {}
  SeriesSpill(SeriesSpill&& other) noexcept;
  SeriesSpill& operator=(SeriesSpill&& other) noexcept;
  SeriesSpill(const SeriesSpill&) = delete;
  SeriesSpill& operator=(const SeriesSpill&) = delete;
  ~SeriesSpill();

  void append(double time_s, std::uint32_t object, const double* values);
  std::size_t rows() const { return rows_; }
  // Bytes of rows in the file (0 until the memory part first fills, or if spilling failed).
  std::uint64_t file_bytes() const { return file_bytes_; }
  // Every row in the order appended: the file's, then those in memory. Throws
  // std::runtime_error if the file cannot be read back.
  void for_each(const std::function<void(const SeriesRow&)>& fn) const;

 private:
  std::size_t record_bytes() const { return (2 + width_) * sizeof(double); }
  void spill();
  void decode(const char* bytes, std::size_t n,
              const std::function<void(const SeriesRow&)>& fn) const;

  std::size_t width_;
  std::size_t rows_ = 0;
  std::vector<char> memory_;      // whole records: time, object (in 8 bytes), values
  int fd_ = -1;                   // the unlinked file, once the memory part first fills
  std::uint64_t file_bytes_ = 0;  // whole records written to it
  bool spill_failed_ = false;     // no file or a failed write: the rest stays in memory
};

}  // namespace dlsim::sim
