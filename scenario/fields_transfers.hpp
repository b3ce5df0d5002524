// Field tables (scenario/field_table.hpp) of the network, the RSEs and the transfers (with the
// FTS deployment) of a scenario, in the order scenario.resolved.yaml writes their keys
// (docs/scenario.md).
#pragma once

#include <string_view>

#include "scenario/field_table.hpp"
#include "scenario/fields_k8s.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::scenario::fields {

constexpr auto site_fields() {
  using S = SiteSpec;
  return table<S>("network",
                  field("uplink", &S::uplink_Bps, Format::bandwidth).only_when([](const S& s) {
                    return s.uplink_Bps > 0;
                  }),
                  field("latency", &S::latency_s, Format::seconds).only_when([](const S& s) {
                    return s.latency_s > 0;
                  }));
}

constexpr auto network_fields() {
  using N = NetworkSpec;
  return table<N>("network", field("default_uplink", &N::default_uplink_Bps, Format::bandwidth),
                  field("latency_min", &N::latency_min_s, Format::seconds),
                  field("latency_max", &N::latency_max_s, Format::seconds),
                  field("tcp_window", &N::tcp_window_bytes, Format::bytes),
                  each("sites", &N::sites, site_fields()).only_when([](const N& n) {
                    return !n.sites.empty();
                  }));
}

constexpr auto failure_episode_fields() {
  using E = FailureEpisode;
  return table<E>("rses", field("start", &E::start_s, Format::seconds).only_when([](const E& e) {
    return e.start_s > 0;
  }),
                  field("duration", &E::duration_s, Format::seconds), field("kind", &E::kind),
                  field("rate", &E::rate));
}

constexpr auto initial_catalog_fields() {
  using C = InitialCatalogSpec;
  return table<C>("rses", field("files", &C::files), field("bytes", &C::bytes, Format::bytes),
                  field("datasets", &C::datasets));
}

constexpr auto rse_fields() {
  using R = RseSpec;
  return table<R>(
      "rses", field("site", &R::site),
      field("storage", &R::storage).only_when([](const R& r) { return !r.storage.empty(); }),
      field("quota", &R::quota_bytes, Format::bytes),
      field("min_free", &R::min_free_bytes, Format::bytes), field("failure_rate", &R::failure_rate),
      field("multihop", &R::multihop).only_when([](const R& r) { return r.multihop; }),
      list("attributes", &R::attributes, Format::plain, Style::flow).only_when([](const R& r) {
        return !r.attributes.empty();
      }),
      list("no_link_to", &R::no_link_to, Format::plain, Style::flow).only_when([](const R& r) {
        return !r.no_link_to.empty();
      }),
      each("failure_episodes", &R::failure_episodes, failure_episode_fields(), Style::flow)
          .only_when([](const R& r) { return !r.failure_episodes.empty(); }),
      nested("catalog", &R::catalog, initial_catalog_fields(), Style::flow));
}

constexpr auto fts_service_fields() {
  using S = FtsServiceSpec;
  return table<S>("transfers.fts", field("replicas", &S::replicas),
                  field("max_url_copy_processes", &S::max_url_copy_processes),
                  nested("resources", &S::resources, resources_fields()),
                  nested("autoscaling", &S::autoscaling, autoscaling_fields()));
}

constexpr auto fts_fields() {
  using F = FtsDeploymentSpec;
  return table<F>(
      "transfers.fts",
      field("deployment",
            [](const F& f) {
              return std::string_view(f.deployment == FtsDeployment::K8s ? "k8s" : "vm");
            }),
      field("pool", &F::pool), field("url_copy_memory", &F::url_copy_memory_bytes, Format::bytes),
      field("min_free_ram", &F::min_free_ram_bytes, Format::bytes),
      field("server_memory", &F::server_memory_bytes, Format::bytes),
      field("rest_processes", &F::rest_processes), field("rest_threads", &F::rest_threads),
      field("rest_process_memory", &F::rest_process_memory_bytes, Format::bytes),
      field("rest_cpu_per_call", &F::rest_cpu_per_call_s, Format::seconds),
      field("monitoring_memory", &F::monitoring_memory_bytes, Format::bytes),
      field("monitoring_cpu_per_transfer", &F::monitoring_cpu_per_transfer_s, Format::seconds),
      nested("server", &F::server, fts_service_fields()),
      nested("rest", &F::rest, fts_service_fields()),
      nested("monitoring", &F::monitoring, fts_service_fields()));
}

constexpr auto transfers_fields() {
  using T = TransferSpec;
  return table<T>(
      "transfers",
      field("model",
            [](const T& t) {
              return std::string_view(t.model == TransferModel::PerFile ? "per_file" : "per_link");
            }),
      field("optimizer", &T::optimizer), field("max_active_per_link", &T::max_active_per_link),
      field("setup_time", &T::setup_s, Format::seconds), field("failure_rate", &T::failure_rate),
      field("multihop", &T::multihop), field("hop_penalty", &T::hop_penalty),
      field("max_url_copy_processes", &T::max_url_copy_processes),
      field("scheduling_interval", &T::scheduling_interval_s, Format::seconds),
      nested("fts", &T::fts, fts_fields()));
}

}  // namespace dlsim::scenario::fields
