// The field table of a whole scenario (scenario/field_table.hpp): the top-level keys and the
// `sizing` section here, the sections from scenario/fields_*.hpp. scenario.resolved.yaml is
// this table written out (scenario/writer.cpp); docs/scenario.md documents every key of it
// (tests/docs/test_documented_keys.cpp).
#pragma once

#include <string_view>

#include "scenario/field_table.hpp"
#include "scenario/fields_k8s.hpp"
#include "scenario/fields_rucio.hpp"
#include "scenario/fields_transfers.hpp"
#include "scenario/fields_workload.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::scenario::fields {

constexpr auto sizing_fields() {
  using Z = SizingSpec;
  return table<Z>("sizing", field("method", [](const Z& z) { return to_string(z.method); }),
                  field("margin", &Z::margin), field("oom_bump_ratio", &Z::oom_bump_ratio),
                  field("oom_min_bump", &Z::oom_min_bump_bytes, Format::bytes),
                  field("throttled_fraction", &Z::throttled_fraction),
                  field("cpu_throttle_bump", &Z::cpu_throttle_bump),
                  field("peak_window", &Z::peak_window_s, Format::seconds),
                  field("growing_fraction", &Z::growing_fraction),
                  field("growing_window", &Z::growing_window_s, Format::seconds),
                  field("server_utilization", &Z::server_utilization),
                  list("targets", &Z::p99_targets_s, Format::seconds));
}

constexpr auto scenario_fields() {
  using S = Scenario;
  return table<S>(
      "Top level", field("name", &S::name),
      field("description", &S::description).only_when([](const S& s) {
        return !s.description.empty();
      }),
      field("seed", &S::seed), field("duration", &S::duration_s, Format::seconds),
      field("sample_interval", &S::sample_interval_s, Format::seconds),
      nested("cluster", &S::cluster, cluster_fields()),
      nested("database", &S::database, database_fields()),
      nested("rucio", &S::rucio, rucio_fields()), nested("network", &S::network, network_fields()),
      each("rses", &S::rses, rse_fields()).only_when([](const S& s) { return !s.rses.empty(); }),
      nested("transfers", &S::transfers, transfers_fields()),
      nested("workload", &S::workload, workload_fields()),
      nested("batch", &S::batch, batch_fields()).only_when([](const S& s) {
        return !s.batch.jobs.empty() || !s.batch.vacuum.empty();
      }),
      nested("sizing", &S::sizing, sizing_fields()));
}

}  // namespace dlsim::scenario::fields
