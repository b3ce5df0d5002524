// Field tables (scenario/field_table.hpp) of summary.json (schema dlsim.summary/1): one per
// struct of sim/summary.hpp, in the order summary.json writes their keys. app/output_summary.cpp
// writes them; docs/outputs.md documents every key (tests/docs/test_documented_keys.cpp).
// JSON writes an absent optional number as null and leaves an absent optional object out.
#pragma once

#include <string_view>

#include "scenario/field_table.hpp"
#include "sim/summary.hpp"

namespace dlsim::sim::fields {

// The field kinds and formats of scenario/field_table.hpp.
using namespace scenario::fields;

constexpr auto summary_resources_fields() {
  using R = scenario::ResourceSpec;
  return table<R>("services[]", field("cpu_request_cores", &R::cpu_request_cores),
                  field("cpu_limit_cores", &R::cpu_limit_cores),
                  field("mem_request_bytes", &R::mem_request_bytes),
                  field("mem_limit_bytes", &R::mem_limit_bytes));
}

constexpr auto work_counts_fields() {
  using W = WorkCounts;
  return table<W>("", field("statements", &W::statements), field("rows", &W::rows),
                  field("dedup_pairs", &W::dedup_pairs), field("messages", &W::messages),
                  field("requests", &W::requests), field("fts_calls", &W::fts_calls));
}

constexpr auto service_summary_fields() {
  using S = ServiceSummary;
  return table<S>(
      "services[]", field("name", &S::name), field("kind", &S::kind),
      field("replicas", &S::replicas), field("threads", &S::threads),
      inlined(&S::resources, summary_resources_fields()),
      field("cpu_mean_cores", &S::cpu_mean_cores), field("cpu_p95_cores", &S::cpu_p95_cores),
      field("cpu_max_cores", &S::cpu_max_cores), field("mem_ws_max_bytes", &S::mem_ws_max_bytes),
      field("mem_rss_max_bytes", &S::mem_rss_max_bytes), field("oom_kills", &S::oom_kills),
      field("restarts", &S::restarts), field("evictions", &S::evictions),
      field("throttled_fraction", &S::throttled_fraction),
      group("work",
            table<S>("", inlined(&S::work, work_counts_fields()), field("cycles", &S::cycles))),
      field("pods_min", &S::pods_min), field("pods_max", &S::pods_max),
      field("pod_hours", &S::pod_hours));
}

constexpr auto table_summary_fields() {
  using T = TableSummary;
  return table<T>("tables[]", field("name", &T::name), field("rows_max", &T::rows_max),
                  field("rows_final", &T::rows_final), field("inserted", &T::inserted),
                  field("drained", &T::drained));
}

constexpr auto rse_summary_fields() {
  using R = RseSummary;
  return table<R>("rses[]", field("name", &R::name), field("files_final", &R::files_final),
                  field("bytes_final", &R::bytes_final), field("quota_bytes", &R::quota_bytes),
                  field("replicas_max", &R::replicas_max), field("bytes_read", &R::bytes_read));
}

constexpr auto link_summary_fields() {
  using L = LinkSummary;
  return table<L>("", field("source", &L::source), field("destination", &L::destination),
                  field("submitted", &L::submitted), field("done", &L::done),
                  field("failed", &L::failed), field("bytes_done", &L::bytes_done));
}

constexpr auto queue_wait_fields() {
  using Q = QueueWaitSummary;
  return table<Q>("", field("started", &Q::started), field("mean_s", &Q::mean_s),
                  field("p50_s", &Q::p50_s), field("p95_s", &Q::p95_s), field("p99_s", &Q::p99_s),
                  field("max_s", &Q::max_s));
}

constexpr auto fts_summary_fields() {
  using F = FtsSummary;
  return table<F>(
      "transfers", field("deployment", &F::deployment), field("hosts_max", &F::hosts_max),
      field("slots_per_host", &F::slots_per_host), field("capacity_max", &F::capacity_max),
      field("running_max", &F::running_max),
      group("memory_bytes",
            table<F>("", field("pool", &F::pool_memory_bytes),
                     field("server", &F::server_memory_bytes), field("rest", &F::rest_memory_bytes),
                     field("monitoring", &F::monitoring_memory_bytes),
                     field("for_transfers", &F::memory_for_transfers_bytes),
                     field("url_copy_max", &F::url_copy_memory_max_bytes))),
      field("rest_calls", &F::rest_calls), field("rest_calls_per_s_max", &F::rest_calls_per_s_max),
      field("rest_calls_unserved", &F::rest_calls_unserved),
      each("services", &F::services, service_summary_fields()));
}

constexpr auto transfer_summary_fields() {
  using T = TransferSummary;
  return table<T>("transfers", field("submitted", &T::submitted), field("done", &T::done),
                  field("failed", &T::failed), field("bytes_done", &T::bytes_done),
                  each("links", &T::links, link_summary_fields()),
                  nested("queue_wait", &T::queue_wait, queue_wait_fields()),
                  field("done_per_hour_mean", &T::done_per_hour_mean),
                  field("done_per_hour_max", &T::done_per_hour_max),
                  nested("fts", &T::fts, fts_summary_fields()));
}

constexpr auto node_summary_fields() {
  using N = NodeSummary;
  return table<N>("nodes[]", field("name", &N::name), field("pool", &N::pool),
                  field("pods", &N::pods),
                  field("cpu_allocatable_cores", &N::cpu_allocatable_cores),
                  field("mem_allocatable_bytes", &N::mem_allocatable_bytes),
                  field("cpu_requested_cores", &N::cpu_requested_cores),
                  field("mem_requested_bytes", &N::mem_requested_bytes),
                  field("cpu_used_mean_cores", &N::cpu_used_mean_cores),
                  field("cpu_used_max_cores", &N::cpu_used_max_cores),
                  field("mem_ws_max_bytes", &N::mem_ws_max_bytes));
}

constexpr auto pool_summary_fields() {
  using P = PoolSummary;
  return table<P>("pools[]", field("name", &P::name), field("nodes_min", &P::nodes_min),
                  field("nodes_max", &P::nodes_max), field("nodes_final", &P::nodes_final),
                  field("node_hours", &P::node_hours), field("cost", &P::cost),
                  field("cpu_requested_mean_fraction", &P::cpu_requested_mean_fraction),
                  field("cpu_used_mean_fraction", &P::cpu_used_mean_fraction),
                  field("capacity_type", &P::capacity_type),
                  field("price_per_node_hour", &P::price_per_node_hour),
                  field("cpu_allocatable_core_hours", &P::cpu_allocatable_core_hours),
                  field("cpu_requested_core_hours", &P::cpu_requested_core_hours),
                  field("cpu_used_core_hours", &P::cpu_used_core_hours));
}

constexpr auto job_summary_fields() {
  using J = JobSummary;
  return table<J>("jobs[]", field("name", &J::name), field("kind", &J::kind),
                  field("pods_created", &J::pods_created), field("succeeded", &J::succeeded),
                  field("failed", &J::failed), field("running_final", &J::running_final),
                  field("pending_final", &J::pending_final),
                  field("payloads_done", &J::payloads_done), field("no_work", &J::no_work),
                  field("backoffs", &J::backoffs), field("wait_mean_s", &J::wait_mean_s),
                  field("wait_p95_s", &J::wait_p95_s), field("wait_max_s", &J::wait_max_s),
                  field("run_mean_s", &J::run_mean_s), field("wait_p50_s", &J::wait_p50_s),
                  field("pods_min", &J::pods_min), field("pods_max", &J::pods_max),
                  field("pod_hours", &J::pod_hours));
}

constexpr auto api_summary_fields() {
  using A = ApiSummary;
  return table<A>("api[]", field("service", &A::service), field("operation", &A::operation),
                  field("requests", &A::requests), field("p50_s", &A::p50_s),
                  field("p95_s", &A::p95_s), field("p99_s", &A::p99_s));
}

constexpr auto summary_fields() {
  using S = Summary;
  return table<S>(
      "summary.json", field("schema", [](const S&) { return std::string_view("dlsim.summary/1"); }),
      field("scenario", &S::scenario), field("seed", &S::seed),
      field("simulated_s", &S::simulated_s),
      each("services", &S::services, service_summary_fields()),
      each("tables", &S::tables, table_summary_fields()),
      each("rses", &S::rses, rse_summary_fields()),
      nested("transfers", &S::transfers, transfer_summary_fields()),
      each("nodes", &S::nodes, node_summary_fields()),
      each("pools", &S::pools, pool_summary_fields()), each("jobs", &S::jobs, job_summary_fields()),
      each("api", &S::api, api_summary_fields()));
}

}  // namespace dlsim::sim::fields
