// Field tables (scenario/field_table.hpp) of the workload of a scenario: injection campaigns
// with their rules, client populations, deletion campaigns and the background noise, in the
// order scenario.resolved.yaml writes their keys (docs/scenario.md).
#pragma once

#include <string_view>

#include "scenario/field_table.hpp"
#include "scenario/scenario.hpp"

namespace dlsim::scenario::fields {

constexpr auto rule_fields() {
  using R = RuleSpec;
  return table<R>(
      "workload.injections", field("rse_expression", &R::rse_expression),
      field("copies", &R::copies), field("lifetime", &R::lifetime_s, Format::seconds),
      field("level",
            [](const R& r) { return std::string_view(r.on_container ? "container" : "dataset"); }),
      field("asynchronous", &R::asynchronous), field("after", &R::after_s, Format::seconds));
}

constexpr auto attach_fields() {
  using A = AttachSpec;
  return table<A>(
      "workload.injections",
      field("mode",
            [](const A& a) {
              return std::string_view(a.mode == AttachMode::PerFile ? "per_file" : "per_dataset");
            }),
      field("files_per_call", &A::files_per_call));
}

// `end` is optional in a scenario; the resolved scenario fills it with `duration` (writer.cpp).
constexpr auto injection_fields() {
  using I = InjectionSpec;
  return table<I>(
      "workload.injections", field("files", &I::files),
      field("file_size", &I::file_size_bytes, Format::bytes), field("rse", &I::rse),
      field("start", &I::start_s, Format::seconds), field("end", &I::end_s, Format::seconds),
      field("files_per_dataset", &I::files_per_dataset), field("uploaders", &I::uploaders),
      field("lifetime", &I::lifetime_s, Format::seconds), field("container", &I::container),
      field("every", &I::every_s, Format::seconds),
      nested("attach", &I::attach, attach_fields(), Style::flow),
      each("rules", &I::rules, rule_fields()));
}

constexpr auto client_fields() {
  using C = ClientPopulationSpec;
  return table<C>("workload.clients", field("clients", &C::clients),
                  field("interval", &C::interval_s, Format::seconds),
                  field("operation", [](const C& c) { return to_string(c.operation); }),
                  field("rows", &C::rows),
                  field("file_size", &C::file_size_bytes, Format::bytes).only_when([](const C& c) {
                    return c.file_size_bytes > 0;
                  }),
                  field("start", &C::start_s, Format::seconds),
                  field("end", &C::end_s, Format::seconds));
}

constexpr auto deletion_fields() {
  using D = DeletionSpec;
  return table<D>(
      "workload.deletions", field("files", &D::files), field("rse_expression", &D::rse_expression),
      field("start", &D::start_s, Format::seconds), field("end", &D::end_s, Format::seconds),
      field("period", &D::period_s, Format::seconds));
}

constexpr auto noise_fields() {
  using N = NoiseSpec;
  return table<N>("workload.noise", field("file_size", &N::file_size_bytes, Format::bytes),
                  field("lifetime", &N::lifetime_s, Format::seconds),
                  field("period", &N::period_s, Format::seconds),
                  field("start", &N::start_s, Format::seconds));
}

constexpr auto workload_fields() {
  using W = WorkloadSpec;
  return table<W>(
      "workload", each("injections", &W::injections, injection_fields()),
      each("clients", &W::clients, client_fields()).only_when([](const W& w) {
        return !w.clients.empty();
      }),
      each("deletions", &W::deletions, deletion_fields(), Style::flow).only_when([](const W& w) {
        return !w.deletions.empty();
      }),
      nested("noise", &W::noise, noise_fields()));
}

}  // namespace dlsim::scenario::fields
