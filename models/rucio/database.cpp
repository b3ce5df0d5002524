#include "models/rucio/database.hpp"

#include <algorithm>
#include <cassert>

namespace dlsim::models::rucio {

namespace {
constexpr std::array<std::string_view, kTableCount> kNames{
    "UPDATED_COL_REP",      "UPDATED_ACCOUNT_COUNTERS",
    "UPDATED_RSE_COUNTERS", "UPDATED_DIDS",
    "REQUESTS_QUEUED",      "REQUESTS_SUBMITTED",
    "REQUESTS_DONE",        "MESSAGES",
    "RULES_INJECT",         "RULES_STUCK",
    "RULES_EXPIRED",        "DIDS_NEW",
    "DIDS_EXPIRED",         "REPLICAS_TOMBSTONED"};
}  // namespace

std::string_view table_name(Table t) {
  return kNames[static_cast<std::size_t>(t)];
}

std::optional<Table> table_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kTableCount; ++i)
    if (kNames[i] == name) return static_cast<Table>(i);
  return std::nullopt;
}

void QueueTable::count_key(const RowGroup& g, std::int64_t sign) {
  if (id_ != Table::UpdatedColRep) return;
  auto key = std::make_pair(g.dataset, g.rse);
  auto& n = keys_[key];
  n += sign * g.rows;
  if (n <= 0) keys_.erase(key);
}

void QueueTable::insert(const RowGroup& g) {
  if (g.rows <= 0) return;
  // Merge with the tail group when it describes the same rows (keeps the deque short).
  if (!groups_.empty()) {
    RowGroup& tail = groups_.back();
    if (tail.dataset == g.dataset && tail.rse == g.rse && tail.source_rse == g.source_rse &&
        tail.rule == g.rule && tail.bytes_per_row == g.bytes_per_row) {
      tail.rows += g.rows;
    } else {
      groups_.push_back(g);
    }
  } else {
    groups_.push_back(g);
  }
  count_key(g, +1);
  rows_ += g.rows;
  unclaimed_rows_ += g.rows;
  inserted_ += g.rows;
  rows_max_ = std::max(rows_max_, rows_);
}

std::int64_t QueueTable::claim(std::int64_t max_rows, std::vector<RowGroup>& out) {
  std::int64_t taken = 0;
  while (taken < max_rows && !groups_.empty()) {
    RowGroup& head = groups_.front();
    std::int64_t n = std::min(head.rows, max_rows - taken);
    RowGroup part = head;
    part.rows = n;
    out.push_back(part);
    count_key(part, -1);
    taken += n;
    head.rows -= n;
    if (head.rows == 0) groups_.pop_front();
  }
  unclaimed_rows_ -= taken;
  return taken;
}

std::int64_t QueueTable::claim_if(std::int64_t max_rows,
                                  const std::function<bool(const RowGroup&)>& pred,
                                  std::vector<RowGroup>& out) {
  std::int64_t taken = 0;
  for (auto it = groups_.begin(); it != groups_.end() && taken < max_rows;) {
    if (!pred(*it)) {
      ++it;
      continue;
    }
    std::int64_t n = std::min(it->rows, max_rows - taken);
    RowGroup part = *it;
    part.rows = n;
    out.push_back(part);
    count_key(part, -1);
    taken += n;
    it->rows -= n;
    it = it->rows == 0 ? groups_.erase(it) : std::next(it);
  }
  unclaimed_rows_ -= taken;
  return taken;
}

void QueueTable::release(const std::vector<RowGroup>& groups) {
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    groups_.push_front(*it);
    count_key(*it, +1);
    unclaimed_rows_ += it->rows;
  }
}

void QueueTable::drain(std::int64_t rows) {
  assert(rows <= rows_ - unclaimed_rows_);
  rows_ -= rows;
  drained_ += rows;
}

Database::Database(sim::ModelContext& ctx, sim::Host* host, const sim::DatabaseSpec& spec)
    : ctx_(ctx), host_(host), spec_(spec) {
  for (std::size_t i = 0; i < kTableCount; ++i) tables_.emplace_back(static_cast<Table>(i));
  series_ = ctx_.recorder.declare_series("tables", {"rows", "inserted", "drained"});
}

void Database::execute(int statements, double db_core_seconds) {
  if (statements <= 0 && db_core_seconds <= 0) return;
  sim::sleep_for(statements * spec_.rtt_s);
  if (db_core_seconds > 0) {
    auto exec = sim::start_exec(host_, db_core_seconds, 1.0);
    sim::wait_exec(exec);
  }
  ctx_.recorder.count_activity("db_statement", static_cast<std::uint64_t>(std::max(0, statements)));
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
