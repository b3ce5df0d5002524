#include "models/rucio/database.hpp"

#include <algorithm>
#include <cassert>

namespace dlsim::models::rucio {

void QueueTable::count_key(const RowGroup& g, std::int64_t sign) {
  if (id_ != Table::UpdatedColRep) return;
  auto key = std::make_pair(g.dataset, g.rse);
  auto& n = keys_[key];
  n += sign * g.rows;
  if (n <= 0) keys_.erase(key);
}

std::deque<RowGroup>& QueueTable::lane_of(const RowGroup& g) {
  std::size_t lane = layout_ == TableLayout::LanePerRse ? g.rse : 0;
  if (lanes_.size() <= lane) lanes_.resize(lane + 1);
  return lanes_[lane];
}

void QueueTable::insert(const RowGroup& g) {
  if (g.rows <= 0) return;
  count_key(g, +1);
  rows_ += g.rows;
  unclaimed_rows_ += g.rows;
  inserted_ += g.rows;
  rows_max_ = std::max(rows_max_, rows_);
  if (layout_ == TableLayout::MergedByKey) {
    auto [it, fresh] = merged_.try_emplace({g.dataset, g.rse}, g);
    if (!fresh) it->second.rows += g.rows;
    return;
  }
  std::deque<RowGroup>& lane = lane_of(g);
  // Merge with the tail group when it describes the same rows (keeps the lane short).
  if (!lane.empty()) {
    RowGroup& tail = lane.back();
    if (tail.same_rows(g)) {
      tail.rows += g.rows;
    } else {
      lane.push_back(g);
    }
  } else {
    lane.push_back(g);
  }
}

std::int64_t QueueTable::claim_from(std::deque<RowGroup>& lane, std::int64_t max_rows,
                                    std::vector<RowGroup>& out) {
  std::int64_t taken = 0;
  while (taken < max_rows && !lane.empty()) {
    RowGroup& head = lane.front();
    std::int64_t n = std::min(head.rows, max_rows - taken);
    RowGroup part = head;
    part.rows = n;
    out.push_back(part);
    taken += n;
    head.rows -= n;
    if (head.rows == 0) lane.pop_front();
  }
  unclaimed_rows_ -= taken;
  return taken;
}

std::int64_t QueueTable::claim(std::int64_t max_rows, std::vector<RowGroup>& out) {
  std::int64_t taken = 0;
  if (layout_ == TableLayout::MergedByKey) {
    for (auto it = merged_.begin(); it != merged_.end() && taken < max_rows;) {
      std::int64_t n = std::min(it->second.rows, max_rows - taken);
      RowGroup part = it->second;
      part.rows = n;
      out.push_back(part);
      taken += n;
      it->second.rows -= n;
      it = it->second.rows == 0 ? merged_.erase(it) : std::next(it);
    }
    unclaimed_rows_ -= taken;
    return taken;
  }
  for (auto& lane : lanes_) taken += claim_from(lane, max_rows - taken, out);
  return taken;
}

std::int64_t QueueTable::claim_since(double cutoff_s, std::int64_t max_rows,
                                     std::vector<RowGroup>& out) {
  assert(layout_ == TableLayout::Fifo);
  std::int64_t taken = 0;
  auto& lane = lanes_.front();
  while (taken < max_rows && !lane.empty() && lane.front().since_s <= cutoff_s) {
    RowGroup& head = lane.front();
    std::int64_t n = std::min(head.rows, max_rows - taken);
    RowGroup part = head;
    part.rows = n;
    out.push_back(part);
    taken += n;
    head.rows -= n;
    if (head.rows == 0) lane.pop_front();
  }
  unclaimed_rows_ -= taken;
  return taken;
}

const RowGroup* QueueTable::head_of_rse(std::uint16_t rse) const {
  assert(layout_ == TableLayout::LanePerRse);
  if (lanes_.size() <= rse || lanes_[rse].empty()) return nullptr;
  return &lanes_[rse].front();
}

std::int64_t QueueTable::claim_rse(std::uint16_t rse, std::int64_t max_rows,
                                   std::vector<RowGroup>& out) {
  assert(layout_ == TableLayout::LanePerRse);
  if (lanes_.size() <= rse) return 0;
  return claim_from(lanes_[rse], max_rows, out);
}

void QueueTable::release(const std::vector<RowGroup>& groups) {
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    unclaimed_rows_ += it->rows;
    if (layout_ == TableLayout::MergedByKey) {
      auto [m, fresh] = merged_.try_emplace({it->dataset, it->rse}, *it);
      if (!fresh) m->second.rows += it->rows;
    } else {
      lane_of(*it).push_front(*it);
    }
  }
}

void QueueTable::requeue(const std::vector<RowGroup>& groups) {
  // Every daemon cycle with a table requeues its touched rows, none for tables of the other
  // layouts: only a non-empty requeue needs a FIFO table.
  assert(groups.empty() || layout_ == TableLayout::Fifo);
  for (const auto& g : groups) {
    unclaimed_rows_ += g.rows;
    auto& lane = lanes_.front();
    if (!lane.empty() && lane.back().same_rows(g)) {
      lane.back().rows += g.rows;
    } else {
      lane.push_back(g);
    }
  }
}

void QueueTable::drain(const std::vector<RowGroup>& groups) {
  for (const auto& g : groups) {
    assert(g.rows <= rows_ - unclaimed_rows_);
    count_key(g, -1);
    rows_ -= g.rows;
    drained_ += g.rows;
  }
}

Database::Database(sim::ModelContext& ctx, sim::Host* host, const scenario::DatabaseSpec& spec)
    : ctx_(ctx), host_(host), spec_(spec) {
  for (std::size_t i = 0; i < kTableCount; ++i) {
    auto id = static_cast<Table>(i);
    tables_.emplace_back(id, id == Table::ReplicasTombstoned ? TableLayout::LanePerRse
                             : id == Table::UpdatedColRep    ? TableLayout::MergedByKey
                                                             : TableLayout::Fifo);
  }
  series_ = ctx_.recorder.declare_series("tables", {"rows", "inserted", "drained"});
}

void Database::execute(int statements, double db_core_seconds, double then_wait_s) {
  if (statements <= 0 && db_core_seconds <= 0) {
    sim::sleep_for(then_wait_s);
    return;
  }
  if (cheap(db_core_seconds)) {
    // Cheap statements: their server time is added to the round trips; they do not compete
    // for the database's cores (an engine-cost shortcut, see the header).
    sim::sleep_for(uncontended_time_s(statements, db_core_seconds) + then_wait_s);
  } else {
    sim::sleep_for(statements * spec_.rtt_s);
    sim::wait_exec(sim::start_exec(host_, db_core_seconds, 1.0));
    sim::sleep_for(then_wait_s);
  }
  ctx_.recorder.count("db_statements", static_cast<std::uint64_t>(std::max(0, statements)));
}

void Database::sample() {
  const double t = sim::now();
  for (const auto& tbl : tables_)
    ctx_.recorder.sample(series_, t, table_name(tbl.id()),
                         {static_cast<double>(tbl.rows()), static_cast<double>(tbl.inserted()),
                          static_cast<double>(tbl.drained())});
}

std::vector<sim::TableSummary> Database::table_summaries() const {
  std::vector<sim::TableSummary> out;
  for (const auto& tbl : tables_)
    out.push_back({std::string(table_name(tbl.id())), tbl.rows_max(), tbl.rows(), tbl.inserted(),
                   tbl.drained()});
  return out;
}

}  // namespace dlsim::models::rucio
