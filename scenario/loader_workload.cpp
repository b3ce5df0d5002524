#include "scenario/loader_workload.hpp"

#include <limits>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "scenario/loader_fields.hpp"

namespace dlsim::scenario {
namespace {

RuleSpec parse_rule(const InputContext& ctx, const YAML::Node& node, const std::string& path) {
  RuleSpec r;
  r.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  m.required("rse_expression", r.rse_expression, read_string);
  m.field("copies", r.copies, integer(1, 1000));
  m.field("lifetime", r.lifetime_s, read_duration_s);
  std::string level = "dataset";
  m.field("level", level, one_of({"dataset", "container"}));
  r.on_container = level == "container";
  m.field("asynchronous", r.asynchronous, read_bool);
  m.field("after", r.after_s, read_duration_s);
  m.finish();
  return r;
}

void parse_attach(const InputContext& ctx, const YAML::Node& node, const std::string& path,
                  AttachSpec& a) {
  MapReader m(ctx, node, path);
  std::string mode = "per_dataset";
  m.field("mode", mode, one_of({"per_dataset", "per_file"}));
  a.mode = mode == "per_file" ? AttachMode::PerFile : AttachMode::PerDataset;
  m.field("files_per_call", a.files_per_call, integer(1, 10'000'000));
  m.finish();
}

DeletionSpec parse_deletion(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                            const std::string& name) {
  DeletionSpec d;
  d.name = name;
  d.where = ctx.locate(n, path);
  MapReader m(ctx, n, path);
  m.required("files", d.files, integer64(0, kMaxFiles));
  m.field("rse_expression", d.rse_expression, read_string);
  read_window(m, d.start_s, d.end_s);
  m.field("period", d.period_s, read_duration_s);
  m.finish();
  return d;
}

}  // namespace

void parse_workload(const InputContext& ctx, const YAML::Node& node, WorkloadSpec& w) {
  MapReader m(ctx, node, "workload");
  if (auto inj = m.get("injections"))
    for_each_named(
        ctx, *inj, "workload.injections", "injection campaign",
        [&](const std::string& name, const YAML::Node& n, const std::string& path,
            const YAML::Node& /*key*/) {
          InjectionSpec s;
          s.name = name;
          s.where = ctx.locate(n, path);
          MapReader c(ctx, n, path);
          c.required("files", s.files, integer64(0, kMaxFiles));
          c.required("file_size", s.file_size_bytes, read_bytes);
          c.required("rse", s.rse, read_string);
          read_window(c, s.start_s, s.end_s);
          c.field("files_per_dataset", s.files_per_dataset, integer(1, 10'000'000));
          c.field("uploaders", s.uploaders, integer(1, 10'000));
          c.field("lifetime", s.lifetime_s, read_duration_s);
          c.field("container", s.container, read_string);
          c.field("every", s.every_s, read_duration_s);
          if (auto attach = c.get("attach"))
            parse_attach(ctx, *attach, c.child_path("attach"), s.attach);
          if (auto rules = c.get("rules")) {
            auto rules_path = c.child_path("rules");
            if (!rules->IsSequence()) ctx.fail(*rules, rules_path, "expected a list of rules");
            for (std::size_t i = 0; i < rules->size(); ++i)
              s.rules.push_back(parse_rule(ctx, (*rules)[i], fmt::format("{}[{}]", rules_path, i)));
          }
          c.finish();
          w.injections[name] = s;
        });
  if (auto deletions = m.get("deletions"))
    for_each_named(
        ctx, *deletions, "workload.deletions", "deletion campaign",
        [&](const std::string& name, const YAML::Node& n, const std::string& path,
            const YAML::Node& /*key*/) { w.deletions[name] = parse_deletion(ctx, n, path, name); });
  if (auto clients = m.get("clients"))
    for_each_named(
        ctx, *clients, "workload.clients", "client population",
        [&](const std::string& name, const YAML::Node& n, const std::string& path,
            const YAML::Node& /*key*/) {
          ClientPopulationSpec c;
          c.name = name;
          c.where = ctx.locate(n, path);
          MapReader r(ctx, n, path);
          r.field("clients", c.clients, integer(1, 10'000));
          r.required("interval", c.interval_s, read_duration_s);
          std::string op = "list_replicas";
          r.field("operation", op, one_of({"list_replicas", "list_dids", "get_did", "download"}));
          c.operation = op == "list_dids"  ? ClientOperation::ListDids
                        : op == "get_did"  ? ClientOperation::GetDid
                        : op == "download" ? ClientOperation::Download
                                           : ClientOperation::ListReplicas;
          r.field("file_size", c.file_size_bytes, read_bytes);
          r.field("rows", c.rows, integer64(0, 100'000'000));
          read_window(r, c.start_s, c.end_s);
          r.finish();
          w.clients[name] = c;
        });
  if (auto noise = m.get("noise")) {
    NoiseSpec n;
    MapReader r(ctx, *noise, "workload.noise");
    r.field("file_size", n.file_size_bytes, read_bytes);
    r.field("lifetime", n.lifetime_s, read_duration_s);
    r.field("period", n.period_s, read_duration_s);
    r.field("start", n.start_s, read_duration_s);
    r.finish();
    w.noise = n;
  }
  m.finish();
}

}  // namespace dlsim::scenario
