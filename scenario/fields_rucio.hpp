// Field tables (scenario/field_table.hpp) of the database and Rucio parts of a scenario: the
// database, the servers and daemons with their options, and the cost constants, in the order
// scenario.resolved.yaml writes their keys (docs/scenario.md).
#pragma once

#include <string_view>
#include <vector>

#include "scenario/daemon_catalog.hpp"
#include "scenario/field_table.hpp"
#include "scenario/fields_k8s.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::scenario::fields {

constexpr std::string_view engine_name(DatabaseEngine e) {
  switch (e) {
    case DatabaseEngine::PostgreSQL:
      return "postgresql";
    case DatabaseEngine::Oracle:
      return "oracle";
    case DatabaseEngine::MySQL:
      return "mysql";
  }
  return "postgresql";
}

constexpr auto database_fields() {
  using D = DatabaseSpec;
  return table<D>("database", field("engine", [](const D& d) { return engine_name(d.engine); }),
                  field("cpu", &D::cpu_cores), field("rtt", &D::rtt_s, Format::seconds));
}

// Every option of the service's daemon kind, in the catalogue's order, with the value used
// (the kind's default for the Rucio version unless the scenario set it; scenario/loader_rucio).
inline std::vector<KeyedValue> daemon_option_values(const ServiceSpec& s) {
  std::vector<KeyedValue> values;
  for (const auto& opt : find_daemon_kind(s.kind)->options) {
    const Format format = opt.unit == OptionUnit::Seconds ? Format::seconds
                          : opt.unit == OptionUnit::Flag  ? Format::flag
                                                          : Format::plain;
    values.push_back({opt.name, s.options.at(opt.name), format});
  }
  return values;
}

// A server and a daemon share their keys but `processes` (servers) and `options` (daemons).
constexpr auto service_fields_head() {
  using S = ServiceSpec;
  return std::tuple{field("kind", &S::kind), field("replicas", &S::replicas),
                    field("threads", &S::threads)};
}
constexpr auto service_fields_tail() {
  using S = ServiceSpec;
  return std::tuple{field("base_memory", &S::base_memory_bytes, Format::bytes),
                    list("rollout_restarts", &S::rollout_restarts_s, Format::seconds, Style::flow)
                        .only_when([](const S& s) { return !s.rollout_restarts_s.empty(); }),
                    nested("resources", &S::resources, resources_fields()),
                    nested("autoscaling", &S::autoscaling, autoscaling_fields())};
}
template <class... Fields>
constexpr auto service_table(std::tuple<Fields...> fields) {
  return Table<ServiceSpec, Fields...>{"Services: servers and daemons", fields};
}
constexpr auto server_fields() {
  return service_table(std::tuple_cat(service_fields_head(),
                                      std::tuple{field("processes", &ServiceSpec::processes)},
                                      service_fields_tail()));
}
constexpr auto daemon_fields() {
  return service_table(std::tuple_cat(
      service_fields_head(), service_fields_tail(),
      std::tuple{list("options", [](const ServiceSpec& s) { return daemon_option_values(s); })}));
}

constexpr auto rucio_model_fields() {
  using K = RucioCostSpec;
  return table<K>(
      "rucio.model: cost constants", field("base_memory", &K::base_memory_bytes, Format::bytes),
      field("row_bytes", &K::row_bytes, Format::bytes),
      field("rule_file_bytes", &K::rule_file_bytes, Format::bytes),
      field("cpu_per_statement", &K::cpu_per_statement_s, Format::seconds),
      field("cpu_per_row", &K::cpu_per_row_s, Format::seconds),
      // A plain number: 17 ns does not fit the 9 decimals of a duration.
      field("cpu_per_dedup_pair", &K::cpu_per_dedup_pair_s),
      field("db_cpu_per_statement", &K::db_cpu_per_statement_s, Format::seconds),
      field("cpu_per_message", &K::cpu_per_message_s, Format::seconds),
      field("cpu_per_request", &K::cpu_per_request_s, Format::seconds),
      field("cpu_per_fts_call", &K::cpu_per_fts_call_s, Format::seconds),
      field("cpu_idle", &K::cpu_idle_cores), field("cpu_idle_server", &K::cpu_idle_server_cores),
      field("fts_call", &K::fts_call_s, Format::seconds),
      field("storage_delete", &K::storage_delete_s, Format::seconds));
}

constexpr auto rucio_fields() {
  using R = RucioSpec;
  return table<R>("rucio", field("version", &R::version, Format::quoted),
                  each("servers", &R::servers, server_fields()),
                  each("daemons", &R::daemons, daemon_fields()),
                  nested("model", &R::model, rucio_model_fields()));
}

}  // namespace dlsim::scenario::fields
