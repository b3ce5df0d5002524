// Transfer requests as FTS takes them from the conveyor: rows of the same dataset, source,
// destination, rule, size, attempt and state, counted rather than listed (docs/design.md
// §3.3: memory O(work in flight)). Rucio's queue tables keep their rows in the same groups
// (models/rucio/database.hpp), so the conveyor hands them to FTS as they are.
#pragma once

#include <cstdint>

namespace dlsim::models::transfer {

struct RequestGroup {
  std::int64_t rows = 0;
  std::uint32_t dataset = 0;
  std::uint16_t source_rse = 0;
  std::uint16_t rse = 0;
  double bytes_per_row = 0;
  std::uint32_t rule = 0;
  // Transfer requests: attempt number (1 = first; at most 4, rucio 1.23.10
  // lib/rucio/core/request.py#L53-70) and whether the attempt failed at FTS.
  std::uint8_t attempt = 1;
  bool failed = false;
  // When the rows got their current state (STUCK rules wait `delta` for the repairer).
  double since_s = 0;

  // Rows that can share one group.
  bool same_rows(const RequestGroup& o) const {
    return dataset == o.dataset && rse == o.rse && source_rse == o.source_rse && rule == o.rule &&
           bytes_per_row == o.bytes_per_row && attempt == o.attempt && failed == o.failed &&
           since_s == o.since_s;
  }
};

}  // namespace dlsim::models::transfer
