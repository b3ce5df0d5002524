#include "scenario/loader_rucio.hpp"

#include <limits>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "scenario/daemon_catalog.hpp"
#include "scenario/loader_fields.hpp"
#include "scenario/loader_k8s.hpp"

namespace dlsim::scenario {
namespace {

ServiceSpec parse_service(const InputContext& ctx, const std::string& name, const YAML::Node& node,
                          const YAML::Node& key, const std::string& path, bool is_daemon,
                          const std::string& version) {
  ServiceSpec s;
  s.name = name;
  s.kind = name;
  MapReader m(ctx, node, path);
  s.where = ctx.locate(node, path);
  auto kinds = is_daemon ? daemon_kind_names() : server_kind_names();
  m.field("kind", s.kind, one_of(kinds));
  bool known =
      is_daemon ? find_daemon_kind(s.kind) != nullptr : find_server_kind(s.kind).has_value();
  if (!known)
    ctx.fail_key(key, path,
                 fmt::format("unknown {} '{}'{}; to give a service its own name, set 'kind:' to a "
                             "known one",
                             is_daemon ? "daemon" : "server", s.kind, did_you_mean(s.kind, kinds)));
  if (!is_daemon) {
    // Defaults: 4 WSGI processes per pod, 4 threads each (containers@1.23.10
    // server/rucio.conf.j2#L24).
    s.threads = 4;
    s.processes = 4;
  }
  auto positive = integer(1, kMaxThreads);
  if (auto restarts = m.get("rollout_restarts")) {
    const auto list_path = m.child_path("rollout_restarts");
    if (!restarts->IsSequence()) ctx.fail(*restarts, list_path, "expected a list of times");
    for (std::size_t i = 0; i < restarts->size(); ++i)
      s.rollout_restarts_s.push_back(
          read_duration_s(ctx, (*restarts)[i], fmt::format("{}[{}]", list_path, i)));
  }
  m.field("replicas", s.replicas, integer(0, kMaxReplicas));
  m.field("threads", s.threads, positive);
  if (!is_daemon) m.field("processes", s.processes, positive);
  m.field("base_memory", s.base_memory_bytes, read_bytes);
  s.resources = parse_resources(m);
  s.autoscaling = parse_autoscaling(m);
  if (is_daemon) {
    const auto* kind = find_daemon_kind(s.kind);
    for (const auto& opt : kind->options) s.options[opt.name] = option_default(opt, version);
    if (auto opts = m.get("options")) {
      MapReader o(ctx, *opts, m.child_path("options"));
      for (const auto& opt : kind->options) {
        auto read = [&](const auto& c, const auto& n, const auto& p) -> double {
          switch (opt.unit) {
            case OptionUnit::Seconds:
              return read_duration_s(c, n, p);
            case OptionUnit::Flag:
              return read_bool(c, n, p) ? 1.0 : 0.0;
            case OptionUnit::Count:
              break;
          }
          // A batch size of 0 would divide by zero; only `limit` uses 0 for "no limit".
          return static_cast<double>(read_integer(c, n, p, opt.name == "limit" ? 0 : 1, kMaxFiles));
        };
        o.field(opt.name, s.options[opt.name], read);
      }
      o.finish();
    }
  }
  m.finish();
  return s;
}

}  // namespace

void parse_database(const InputContext& ctx, const YAML::Node& node, DatabaseSpec& db) {
  MapReader m(ctx, node, "database");
  std::string engine = "postgresql";
  m.field("engine", engine, one_of({"postgresql", "oracle", "mysql"}));
  db.engine = engine == "oracle"  ? DatabaseEngine::Oracle
              : engine == "mysql" ? DatabaseEngine::MySQL
                                  : DatabaseEngine::PostgreSQL;
  m.field("cpu", db.cpu_cores, integer(1, 1024));
  m.field("rtt", db.rtt_s, read_duration_s);
  m.finish();
}

void parse_rucio(const InputContext& ctx, const YAML::Node& node, RucioSpec& rucio_spec) {
  MapReader m(ctx, node, "rucio");
  m.field("version", rucio_spec.version, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, rucio_versions());
  });
  if (auto servers = m.get("servers"))
    for_each_named(ctx, *servers, "rucio.servers", "server",
                   [&](const std::string& name, const YAML::Node& n, const std::string& path,
                       const YAML::Node& key) {
                     rucio_spec.servers[name] =
                         parse_service(ctx, name, n, key, path, false, rucio_spec.version);
                   });
  if (auto daemons = m.get("daemons"))
    for_each_named(ctx, *daemons, "rucio.daemons", "daemon",
                   [&](const std::string& name, const YAML::Node& n, const std::string& path,
                       const YAML::Node& key) {
                     rucio_spec.daemons[name] =
                         parse_service(ctx, name, n, key, path, true, rucio_spec.version);
                   });
  if (auto model = m.get("model")) {
    MapReader c(ctx, *model, "rucio.model");
    auto& k = rucio_spec.model;
    auto seconds = read_duration_s;
    c.field("base_memory", k.base_memory_bytes, read_bytes);
    c.field("row_bytes", k.row_bytes, read_bytes);
    c.field("rule_file_bytes", k.rule_file_bytes, read_bytes);
    c.field("cpu_per_statement", k.cpu_per_statement_s, seconds);
    c.field("cpu_per_row", k.cpu_per_row_s, seconds);
    // Seconds, as a plain number (nanoseconds are small).
    c.field("cpu_per_dedup_pair", k.cpu_per_dedup_pair_s, number(0, 1));
    c.field("db_cpu_per_statement", k.db_cpu_per_statement_s, seconds);
    c.field("cpu_per_message", k.cpu_per_message_s, seconds);
    c.field("cpu_per_request", k.cpu_per_request_s, seconds);
    c.field("cpu_per_fts_call", k.cpu_per_fts_call_s, seconds);
    c.field("cpu_idle", k.cpu_idle_cores, read_cpu_cores);
    c.field("cpu_idle_server", k.cpu_idle_server_cores, read_cpu_cores);
    c.field("fts_call", k.fts_call_s, seconds);
    c.field("storage_delete", k.storage_delete_s, seconds);
    c.finish();
  }
  m.finish();
}

}  // namespace dlsim::scenario
