// The Rucio database: a host whose cores run the statements (so heavy queries slow everyone
// down, docs/design.md §2) plus a round trip per statement, and the queue tables the daemons drain,
// kept as counters of row groups (docs/design.md §3.3: memory O(work in flight), not O(catalog)).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/transfer/request_group.hpp"
#include "scenario/queue_tables.hpp"
#include "scenario/scenario.hpp"
#include "sim/seam.hpp"
#include "sim/summary.hpp"

namespace dlsim::models::rucio {

// The queue tables and row sets: scenario vocabulary (an autoscaler can watch one), in
// scenario/queue_tables.hpp.
using Table = scenario::RucioTable;
using scenario::kTableCount;
using scenario::table_by_name;
using scenario::table_name;

// Rows that share everything the model needs: how many, which dataset and RSEs they concern.
// The key of a transfer request (models/transfer/request_group.hpp) is the key of every queue
// table's rows, so the tables keep FTS's request groups.
using RowGroup = transfer::RequestGroup;

// A queue table. Rows claimed by a worker stay counted in the table until the worker commits
// (drain); a worker that dies returns them (release), as an uncommitted transaction would.
// A table keyed by RSE (tombstoned replicas) keeps one FIFO lane per RSE, so that a worker
// can take one RSE's rows without scanning the others'.
// A table merged by key (UPDATED_COL_REP) keeps one group per (dataset, rse) key with its row
// count: its readers load the whole table anyway, and a container rule inserts one row per
// child dataset per transferred file, so rows are many and keys few.
enum class TableLayout { Fifo, LanePerRse, MergedByKey };

class QueueTable {
 public:
  QueueTable(Table id, TableLayout layout) : id_(id), layout_(layout) {}

  void insert(const RowGroup& g);
  // Moves up to `max_rows` unclaimed rows into `out` (FIFO); returns the count claimed.
  std::int64_t claim(std::int64_t max_rows, std::vector<RowGroup>& out);
  // Like claim(), for rows whose `since_s` is at or before `cutoff_s` (FIFO tables).
  std::int64_t claim_since(double cutoff_s, std::int64_t max_rows, std::vector<RowGroup>& out);
  // Like claim(), for the rows of one RSE (tables keyed by RSE only).
  std::int64_t claim_rse(std::uint16_t rse, std::int64_t max_rows, std::vector<RowGroup>& out);
  // The oldest unclaimed group of one RSE, or nullptr (tables keyed by RSE only).
  const RowGroup* head_of_rse(std::uint16_t rse) const;
  void release(const std::vector<RowGroup>& groups);  // back to the head, unclaimed
  // Claimed rows updated in place (a new since_s): back to the tail of a FIFO table, unclaimed.
  void requeue(const std::vector<RowGroup>& groups);
  // Commit: `groups` (claimed earlier) are deleted.
  void drain(const std::vector<RowGroup>& groups);

  Table id() const { return id_; }
  std::int64_t rows() const { return rows_; }
  std::int64_t unclaimed_rows() const { return unclaimed_rows_; }
  std::int64_t rows_max() const { return rows_max_; }
  std::int64_t inserted() const { return inserted_; }
  std::int64_t drained() const { return drained_; }
  // Distinct (dataset, rse) keys among all rows, claimed or not (UPDATED_COL_REP).
  std::int64_t unique_keys() const { return static_cast<std::int64_t>(keys_.size()); }

 private:
  void count_key(const RowGroup& g, std::int64_t sign);
  std::deque<RowGroup>& lane_of(const RowGroup& g);
  std::int64_t claim_from(std::deque<RowGroup>& lane, std::int64_t max_rows,
                          std::vector<RowGroup>& out);

  Table id_;
  TableLayout layout_;
  std::map<std::pair<std::uint32_t, std::uint16_t>, RowGroup> merged_;
  std::vector<std::deque<RowGroup>> lanes_{1};
  std::map<std::pair<std::uint32_t, std::uint16_t>, std::int64_t> keys_;
  std::int64_t rows_ = 0;
  std::int64_t unclaimed_rows_ = 0;
  std::int64_t rows_max_ = 0;
  std::int64_t inserted_ = 0;
  std::int64_t drained_ = 0;
};

// Statements costing less database CPU than this per call (10 ms) are not run as execs on
// the database host (they add their time to the caller's wait but do not contend): an engine
// cost shortcut; heavy queries, the ones that slow everyone down, always contend.
inline constexpr double kMinContendedDbCoreSeconds = 1e-2;

class Database {
 public:
  Database(sim::ModelContext& ctx, sim::Host* host, const scenario::DatabaseSpec& spec);

  QueueTable& table(Table t) { return tables_[static_cast<std::size_t>(t)]; }
  const QueueTable& table(Table t) const { return tables_[static_cast<std::size_t>(t)]; }
  scenario::DatabaseEngine engine() const { return spec_.engine; }

  // Runs `statements` round trips and `db_core_seconds` of server CPU for the calling actor,
  // then waits `then_wait_s` more (an external call that follows; one sleep when the
  // statements are cheap, an engine-cost shortcut).
  void execute(int statements, double db_core_seconds, double then_wait_s = 0);
  // Whether statements of this CPU cost skip contention (see kMinContendedDbCoreSeconds), and
  // the time they take then.
  bool cheap(double db_core_seconds) const { return db_core_seconds < kMinContendedDbCoreSeconds; }
  double uncontended_time_s(int statements, double db_core_seconds) const {
    return statements * spec_.rtt_s + db_core_seconds;
  }

  void sample();
  std::vector<sim::TableSummary> table_summaries() const;

 private:
  sim::ModelContext& ctx_;
  sim::Host* host_;
  scenario::DatabaseSpec spec_;
  std::vector<QueueTable> tables_;
  sim::Recorder::SeriesId series_ = 0;
};

}  // namespace dlsim::models::rucio
