#include "scenario/loader.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "models/rucio/daemon_catalog.hpp"
#include "scenario/helm_import.hpp"
#include "scenario/include.hpp"
#include "scenario/loader_fts.hpp"
#include "scenario/loader_k8s.hpp"
#include "scenario/loader_sizing.hpp"
#include "scenario/validate.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::sim {
namespace {

namespace rucio = dlsim::models::rucio;

// Bounds that catch absurd input (1e30 replicas) without limiting real deployments.
constexpr std::int64_t kMaxReplicas = 10'000;
constexpr std::int64_t kMaxThreads = 1'000;
constexpr std::int64_t kMaxNodes = 100'000;
constexpr std::int64_t kMaxFiles = 1'000'000'000'000;

// The first byte that is not valid UTF-8, as a 1-based (line, column), or nullopt.
std::optional<std::pair<int, int>> first_invalid_utf8(const std::string& text) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > text.size()) return std::make_pair(line, column);
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return std::make_pair(line, column);
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return std::nullopt;
}

struct Opener {
  int line;
  int column;
  char bracket;
};

// The innermost '{' or '[' still open at byte `end`, skipping quoted strings and comments.
std::optional<Opener> unclosed_flow_opener(const std::string& text, std::size_t end) {
  std::vector<Opener> open;
  int line = 1, column = 1;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size() && i < end; ++i) {
    char c = text[i];
    if (c == '\n') {
      comment = false;
      ++line;
      column = 1;
      continue;
    }
    if (!comment) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        comment = true;
      } else if (c == '{' || c == '[') {
        open.push_back({line, column, c});
      } else if ((c == '}' || c == ']') && !open.empty()) {
        open.pop_back();
      }
    }
    ++column;
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  if (auto bad = first_invalid_utf8(text))
    throw InputError({file, bad->first, bad->second}, "",
                     "the file is not valid UTF-8 (scenario files are UTF-8 text)");
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull())
      throw InputError({file, 1, 1}, "",
                       "the file is empty (expected a scenario: name, duration, cluster, rucio, "
                       "rses, workload)");
    return root;
  } catch (const YAML::ParserException& e) {
    // yaml-cpp reports an unclosed flow collection where it gave up; point at the opener.
    if (e.msg.find("flow not found") != std::string::npos)
      if (auto opener = unclosed_flow_opener(text, e.mark.pos))
        throw InputError(
            {file, opener->line, opener->column}, "",
            fmt::format("invalid YAML: this '{}' is never closed ({})", opener->bracket, e.msg));
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("invalid YAML: {}", e.msg));
  }
}

// Applies one --set to the document, creating missing mappings on the way. A component
// may address a list item as name[i] (as messages print it).
void apply_override(YAML::Node root, const Override& o, InputContext& ctx) {
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty())
      throw InputError({"--set", o.index, 1}, "",
                       fmt::format("'{}' is not a key path (expected a.b.c=value)", o.path));
    parts.push_back(part);
  }
  YAML::Node node = root;
  std::string path;
  int column = 1;  // of the current component in the --set argument
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string key = parts[i];
    std::optional<std::size_t> index;
    if (auto bracket = key.find('['); bracket != std::string::npos && key.back() == ']') {
      try {
        index = std::stoul(key.substr(bracket + 1, key.size() - bracket - 2));
      } catch (const std::exception&) {
        throw InputError({"--set", o.index, column}, join_path(path, key),
                         "expected a list index like rules[0]");
      }
      key.resize(bracket);
    }
    path = join_path(path, parts[i]);
    if (!node.IsMap())
      throw InputError({"--set", o.index, column}, path,
                       node.IsSequence()
                           ? fmt::format("--set cannot descend here: '{}' is a list (address an "
                                         "item as {}[0])",
                                         parts[i - 1], parts[i - 1])
                           : std::string("--set cannot descend here: the value above it is not "
                                         "a mapping"));
    bool existed = static_cast<bool>(node[key]);
    if (index) {
      if (!existed || !node[key].IsSequence() || *index >= node[key].size())
        throw InputError({"--set", o.index, column}, path, "no such list item in the scenario");
    }
    if (i + 1 == parts.size()) {
      YAML::Node value;
      try {
        value = YAML::Load(o.value);
      } catch (const YAML::Exception&) {
        value = YAML::Node(o.value);
      }
      if (!value.IsDefined() || value.IsNull()) value = YAML::Node(o.value);
      if (!value.IsScalar())
        throw InputError({"--set", o.index, static_cast<int>(o.path.size()) + 2}, path,
                         "--set takes one value; set the keys of a mapping or list one by one");
      if (index) {
        node[key][*index] = value;
      } else {
        node[key] = value;
      }
      ctx.note_override(path, o, !existed);
    } else {
      if (!existed) {
        node[key] = YAML::Node(YAML::NodeType::Map);
        ctx.note_override(path, o, true);
      }
      YAML::Node next = node[key];
      node.reset(index ? YAML::Node(next[*index]) : next);
    }
    column += static_cast<int>(parts[i].size()) + 1;
  }
}

Override parse_set_arg(const std::string& arg, int index) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError({"--set", index, 1}, "",
                     fmt::format("'{}' is not of the form key.path=value", arg));
  return Override{arg.substr(0, eq), arg.substr(eq + 1), index};
}

int read_count(const InputContext& c, const YAML::Node& n, const std::string& p, std::int64_t max) {
  return static_cast<int>(read_integer(c, n, p, 0, max));
}

ServiceSpec parse_service(const InputContext& ctx, const std::string& name, const YAML::Node& node,
                          const YAML::Node& key, const std::string& path, bool is_daemon,
                          const std::string& version) {
  ServiceSpec s;
  s.name = name;
  s.kind = name;
  MapReader m(ctx, node, path);
  s.where = ctx.locate(node, path);
  auto kinds = is_daemon ? rucio::daemon_kind_names() : rucio::server_kind_names();
  m.field("kind", s.kind,
          [&](const auto& c, const auto& n, const auto& p) { return read_enum(c, n, p, kinds); });
  bool known = is_daemon ? rucio::find_daemon_kind(s.kind) != nullptr
                         : rucio::find_server_kind(s.kind).has_value();
  if (!known)
    ctx.fail_key(key, path,
                 fmt::format("unknown {} '{}'{}; to give a service its own name, set 'kind:' to a "
                             "known one",
                             is_daemon ? "daemon" : "server", s.kind, did_you_mean(s.kind, kinds)));
  if (!is_daemon) {
    s.threads = 4;    // Default 4 threads per WSGI process: rucio-1.23.md §8.1
    s.processes = 4;  // Default 4 WSGI processes per pod: rucio-1.23.md §8.1
  }
  auto positive = [](const auto& c, const auto& n, const auto& p) {
    return static_cast<int>(read_integer(c, n, p, 1, kMaxThreads));
  };
  if (auto restarts = m.get("rollout_restarts")) {
    const auto list_path = m.child_path("rollout_restarts");
    if (!restarts->IsSequence()) ctx.fail(*restarts, list_path, "expected a list of times");
    for (std::size_t i = 0; i < restarts->size(); ++i)
      s.rollout_restarts_s.push_back(
          read_duration_s(ctx, (*restarts)[i], fmt::format("{}[{}]", list_path, i)));
  }
  m.field("replicas", s.replicas, [](const auto& c, const auto& n, const auto& p) {
    return read_count(c, n, p, kMaxReplicas);
  });
  m.field("threads", s.threads, positive);
  if (!is_daemon) m.field("processes", s.processes, positive);
  m.field("base_memory", s.base_memory_bytes, read_bytes);
  s.resources = parse_resources(m);
  s.autoscaling = parse_autoscaling(m);
  if (is_daemon) {
    const auto* kind = rucio::find_daemon_kind(s.kind);
    for (const auto& opt : kind->options) s.options[opt.name] = rucio::option_default(opt, version);
    if (auto opts = m.get("options")) {
      MapReader o(ctx, *opts, m.child_path("options"));
      for (const auto& opt : kind->options) {
        auto read = [&](const auto& c, const auto& n, const auto& p) -> double {
          switch (opt.unit) {
            case rucio::OptionUnit::Seconds:
              return read_duration_s(c, n, p);
            case rucio::OptionUnit::Flag:
              return read_bool(c, n, p) ? 1.0 : 0.0;
            case rucio::OptionUnit::Count:
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

void parse_cluster(const InputContext& ctx, const YAML::Node& node, ClusterSpec& cluster) {
  MapReader m(ctx, node, "cluster");
  for_each_named(ctx, m.require("node_pools"), "cluster.node_pools", "node pool",
                 [&](const std::string& name, const YAML::Node& n, const std::string& path,
                     const YAML::Node& /*key*/) {
                   NodePoolSpec pool;
                   pool.name = name;
                   pool.where = ctx.locate(n, path);
                   MapReader p(ctx, n, path);
                   p.field("count", pool.count, [](const auto& c, const auto& v, const auto& q) {
                     return static_cast<int>(read_integer(c, v, q, 0, kMaxNodes));
                   });
                   p.required("cpu", pool.cpu_cores, read_cpu_cores);
                   p.required("memory", pool.mem_bytes, read_bytes);
                   if (auto r = p.get("reserved")) {
                     MapReader rr(ctx, *r, p.child_path("reserved"));
                     rr.field("cpu", pool.reserved_cpu_cores, read_cpu_cores);
                     rr.field("memory", pool.reserved_mem_bytes, read_bytes);
                     rr.finish();
                   }
                   p.field("price_per_node_hour", pool.price_per_node_hour,
                           [](const auto& c, const auto& v, const auto& q) {
                             return read_number(c, v, q, 0, 1e6);
                           });
                   p.field("max_pods", pool.max_pods,
                           [](const auto& c, const auto& v, const auto& q) {
                             return static_cast<int>(read_integer(c, v, q, 1, 10'000));
                           });
                   parse_node_pool_k8s(p, pool);
                   p.finish();
                   cluster.node_pools[name] = pool;
                 });
  if (auto s = m.get("scheduler")) {
    MapReader sm(ctx, *s, "cluster.scheduler");
    std::string strategy = "LeastAllocated";
    sm.field("strategy", strategy, [](const auto& c, const auto& n, const auto& p) {
      return read_enum(c, n, p, {"LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"});
    });
    cluster.scheduler_strategy = *models::k8s::parse_scoring_strategy(strategy);
    sm.finish();
  }
  if (auto a = m.get("autoscaler")) parse_cluster_autoscaler(ctx, *a, cluster.autoscaler);
  m.finish();
}

void parse_database(const InputContext& ctx, const YAML::Node& node, DatabaseSpec& db) {
  MapReader m(ctx, node, "database");
  std::string engine = "postgresql";
  m.field("engine", engine, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, {"postgresql", "oracle", "mysql"});
  });
  db.engine = engine == "oracle"  ? DatabaseEngine::Oracle
              : engine == "mysql" ? DatabaseEngine::MySQL
                                  : DatabaseEngine::PostgreSQL;
  m.field("cpu", db.cpu_cores, [](const auto& c, const auto& n, const auto& p) {
    return static_cast<int>(read_integer(c, n, p, 1, 1024));
  });
  m.field("rtt", db.rtt_s, read_duration_s);
  m.finish();
}

void parse_rucio(const InputContext& ctx, const YAML::Node& node, RucioSpec& rucio_spec) {
  MapReader m(ctx, node, "rucio");
  m.field("version", rucio_spec.version, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, rucio::rucio_versions());
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
    c.field("cpu_per_dedup_pair", k.cpu_per_dedup_pair_s,
            [](const auto& x, const auto& n, const auto& p) {
              return read_number(x, n, p, 0,
                                 1);  // seconds, as a plain number (nanoseconds are small)
            });
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

void parse_network(const InputContext& ctx, const YAML::Node& node, NetworkSpec& net) {
  MapReader m(ctx, node, "network");
  m.field("default_uplink", net.default_uplink_Bps, read_bandwidth_Bps);
  m.field("latency_min", net.latency_min_s, read_duration_s);
  m.field("latency_max", net.latency_max_s, read_duration_s);
  if (auto sites = m.get("sites"))
    for_each_named(ctx, *sites, "network.sites", "site",
                   [&](const std::string& name, const YAML::Node& n, const std::string& path,
                       const YAML::Node& /*key*/) {
                     SiteSpec site{name, 0, 0};
                     MapReader s(ctx, n, path);
                     s.field("uplink", site.uplink_Bps, read_bandwidth_Bps);
                     s.field("latency", site.latency_s, read_duration_s);
                     s.finish();
                     net.sites[name] = site;
                   });
  m.finish();
}

void parse_failure_episodes(const InputContext& ctx, MapReader& rse, RseSpec& r) {
  auto list = rse.get("failure_episodes");
  if (!list) return;
  const auto list_path = rse.child_path("failure_episodes");
  if (!list->IsSequence())
    ctx.fail(*list, list_path, "expected a list of {start, duration, kind, rate}");
  for (std::size_t i = 0; i < list->size(); ++i) {
    FailureEpisode e;
    MapReader m(ctx, (*list)[i], fmt::format("{}[{}]", list_path, i));
    m.field("start", e.start_s, read_duration_s);
    m.required("duration", e.duration_s, read_duration_s);
    m.field("kind", e.kind, [](const auto& c, const auto& n, const auto& p) {
      return read_enum(c, n, p,
                       {"recoverable", "no_space", "missing_file", "checksum", "permission"});
    });
    m.field("rate", e.rate,
            [](const auto& c, const auto& n, const auto& p) { return read_number(c, n, p, 0, 1); });
    m.finish();
    r.failure_episodes.push_back(e);
  }
}

void parse_initial_catalog(const InputContext& ctx, MapReader& rse, RseSpec& r) {
  auto node = rse.get("catalog");
  if (!node) return;
  InitialCatalogSpec c;
  MapReader m(ctx, *node, rse.child_path("catalog"));
  m.required("files", c.files, [](const auto& x, const auto& v, const auto& p) {
    return read_integer(x, v, p, 0, kMaxFiles);
  });
  m.required("bytes", c.bytes, read_bytes);
  m.field("datasets", c.datasets, [](const auto& x, const auto& v, const auto& p) {
    return static_cast<int>(read_integer(x, v, p, 1, 1'000'000));
  });
  m.finish();
  r.catalog = c;
}

void parse_rses(const InputContext& ctx, const YAML::Node& node,
                std::map<std::string, RseSpec>& rses) {
  for_each_named(ctx, node, "rses", "RSE",
                 [&](const std::string& name, const YAML::Node& n, const std::string& path,
                     const YAML::Node& /*key*/) {
                   RseSpec r;
                   r.name = name;
                   r.where = ctx.locate(n, path);
                   MapReader m(ctx, n, path);
                   m.required("site", r.site, read_string);
                   m.field("storage", r.storage, read_string);
                   m.required("quota", r.quota_bytes, read_bytes);
                   m.field("min_free", r.min_free_bytes, read_bytes);
                   m.field("failure_rate", r.failure_rate,
                           [](const auto& c, const auto& n, const auto& p) {
                             return read_number(c, n, p, 0, 1);
                           });
                   m.field("multihop", r.multihop, read_bool);
                   if (auto attrs = m.get("attributes")) {
                     const auto attrs_path = m.child_path("attributes");
                     if (!attrs->IsMap())
                       ctx.fail(*attrs, attrs_path, "expected a mapping of attribute: value");
                     for (const auto& kv : *attrs) {
                       const auto key = kv.first.as<std::string>();
                       r.attributes[key] = read_string(ctx, kv.second, attrs_path + "." + key);
                     }
                   }
                   if (auto list = m.get("no_link_to")) {
                     const auto list_path = m.child_path("no_link_to");
                     if (!list->IsSequence()) ctx.fail(*list, list_path, "expected a list of RSEs");
                     for (std::size_t i = 0; i < list->size(); ++i)
                       r.no_link_to.push_back(
                           read_string(ctx, (*list)[i], fmt::format("{}[{}]", list_path, i)));
                   }
                   parse_failure_episodes(ctx, m, r);
                   parse_initial_catalog(ctx, m, r);
                   m.finish();
                   rses[name] = r;
                 });
}

void parse_transfers(const InputContext& ctx, const YAML::Node& node, TransferSpec& t) {
  MapReader m(ctx, node, "transfers");
  std::string model = "per_link";
  m.field("model", model, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, {"per_file", "per_link"});
  });
  t.model = model == "per_file" ? TransferModel::PerFile : TransferModel::PerLink;
  m.field("optimizer", t.optimizer, read_bool);
  m.field("max_active_per_link", t.max_active_per_link,
          [](const auto& c, const auto& n, const auto& p) {
            return static_cast<int>(read_integer(c, n, p, 1, 100'000));
          });
  m.field("setup_time", t.setup_s, read_duration_s);
  m.field("failure_rate", t.failure_rate,
          [](const auto& c, const auto& n, const auto& p) { return read_number(c, n, p, 0, 1); });
  m.field("multihop", t.multihop, read_bool);
  m.field("hop_penalty", t.hop_penalty,
          [](const auto& c, const auto& n, const auto& p) { return read_number(c, n, p, 0, 1e9); });
  m.field("max_url_copy_processes", t.max_url_copy_processes,
          [](const auto& c, const auto& n, const auto& p) {
            return static_cast<int>(read_integer(c, n, p, 1, 1'000'000));
          });
  m.field("scheduling_interval", t.scheduling_interval_s, read_duration_s);
  if (auto fts = m.get("fts")) t.fts = parse_fts_deployment(ctx, *fts, m.child_path("fts"));
  m.finish();
}

RuleSpec parse_rule(const InputContext& ctx, const YAML::Node& node, const std::string& path) {
  RuleSpec r;
  r.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  m.required("rse_expression", r.rse_expression, read_string);
  m.field("copies", r.copies, [](const auto& c, const auto& n, const auto& p) {
    return static_cast<int>(read_integer(c, n, p, 1, 1000));
  });
  m.field("lifetime", r.lifetime_s, read_duration_s);
  std::string level = "dataset";
  m.field("level", level, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, {"dataset", "container"});
  });
  r.on_container = level == "container";
  m.field("asynchronous", r.asynchronous, read_bool);
  m.finish();
  return r;
}

void parse_attach(const InputContext& ctx, const YAML::Node& node, const std::string& path,
                  AttachSpec& a) {
  MapReader m(ctx, node, path);
  std::string mode = "per_dataset";
  m.field("mode", mode, [](const auto& c, const auto& n, const auto& p) {
    return read_enum(c, n, p, {"per_dataset", "per_file"});
  });
  a.mode = mode == "per_file" ? AttachMode::PerFile : AttachMode::PerDataset;
  m.field("files_per_call", a.files_per_call, [](const auto& c, const auto& n, const auto& p) {
    return static_cast<int>(read_integer(c, n, p, 1, 10'000'000));
  });
  m.finish();
}

DeletionSpec parse_deletion(const InputContext& ctx, const YAML::Node& n, const std::string& path,
                            const std::string& name) {
  DeletionSpec d;
  d.name = name;
  d.where = ctx.locate(n, path);
  MapReader m(ctx, n, path);
  m.required("files", d.files, [](const auto& x, const auto& v, const auto& p) {
    return read_integer(x, v, p, 0, kMaxFiles);
  });
  m.field("rse_expression", d.rse_expression, read_string);
  m.field("start", d.start_s, read_duration_s);
  m.field("end", d.end_s, read_duration_s);
  m.field("period", d.period_s, read_duration_s);
  m.finish();
  return d;
}

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
          c.required("files", s.files, [](const auto& x, const auto& v, const auto& p) {
            return read_integer(x, v, p, 0, kMaxFiles);
          });
          c.required("file_size", s.file_size_bytes, read_bytes);
          c.required("rse", s.rse, read_string);
          c.field("start", s.start_s, read_duration_s);
          c.field("end", s.end_s, read_duration_s);
          c.field("files_per_dataset", s.files_per_dataset,
                  [](const auto& x, const auto& v, const auto& p) {
                    return static_cast<int>(read_integer(x, v, p, 1, 10'000'000));
                  });
          c.field("uploaders", s.uploaders, [](const auto& x, const auto& v, const auto& p) {
            return static_cast<int>(read_integer(x, v, p, 1, 10'000));
          });
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
          r.field("clients", c.clients, [](const auto& x, const auto& v, const auto& p) {
            return static_cast<int>(read_integer(x, v, p, 1, 10'000));
          });
          r.required("interval", c.interval_s, read_duration_s);
          std::string op = "list_replicas";
          r.field("operation", op, [](const auto& x, const auto& v, const auto& p) {
            return read_enum(x, v, p, {"list_replicas", "list_dids", "get_did", "download"});
          });
          c.operation = op == "list_dids"  ? ClientOperation::ListDids
                        : op == "get_did"  ? ClientOperation::GetDid
                        : op == "download" ? ClientOperation::Download
                                           : ClientOperation::ListReplicas;
          r.field("file_size", c.file_size_bytes, read_bytes);
          r.field("rows", c.rows, [](const auto& x, const auto& v, const auto& p) {
            return read_integer(x, v, p, 0, 100'000'000);
          });
          r.field("start", c.start_s, read_duration_s);
          r.field("end", c.end_s, read_duration_s);
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

Scenario parse_document(const YAML::Node& root, const InputContext& ctx) {
  Scenario s;
  s.file = ctx.file();
  MapReader m(ctx, root, "");
  m.required("name", s.name, read_string);
  m.field("description", s.description, read_string);
  m.field("seed", s.seed, [](const auto& c, const auto& n, const auto& p) {
    return static_cast<std::uint64_t>(
        read_integer(c, n, p, 0, std::numeric_limits<std::int64_t>::max()));
  });
  m.required("duration", s.duration_s, read_duration_s);
  m.field("sample_interval", s.sample_interval_s, read_duration_s);
  parse_cluster(ctx, m.require("cluster"), s.cluster);
  if (auto n = m.get("database")) parse_database(ctx, *n, s.database);
  if (auto n = m.get("rucio")) parse_rucio(ctx, *n, s.rucio);
  if (auto n = m.get("network")) parse_network(ctx, *n, s.network);
  if (auto n = m.get("rses")) parse_rses(ctx, *n, s.rses);
  if (auto n = m.get("transfers")) parse_transfers(ctx, *n, s.transfers);
  if (auto n = m.get("workload")) parse_workload(ctx, *n, s.workload);
  if (auto n = m.get("batch")) parse_batch(ctx, *n, s.batch);
  if (auto n = m.get("sizing")) parse_sizing(ctx, *n, s.sizing);
  m.finish();
  return s;
}

}  // namespace

LoadedScenario load_scenario_text(const std::string& text, const std::string& file,
                                  const std::vector<std::string>& set_args) {
  InputContext ctx(file);
  YAML::Node root = parse_yaml(text, file);
  if (!root.IsMap())
    throw InputError({file, 1, 1}, "", "expected a mapping at the top of the file");
  std::string source_text = text;  // and each included file's bytes, in reading order
  for (const auto& bytes : apply_includes(root, ctx, parse_yaml)) source_text += bytes;
  apply_helm_values(root, ctx);  // rucio.helm_values, before the --set overrides
  for (std::size_t i = 0; i < set_args.size(); ++i)
    apply_override(root, parse_set_arg(set_args[i], static_cast<int>(i) + 1), ctx);
  LoadedScenario out{parse_document(root, ctx), std::move(source_text)};
  validate_scenario(out.scenario, root, ctx);
  return out;
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& set_args) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "", "cannot open the scenario file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_scenario_text(buffer.str(), path, set_args);
}

}  // namespace dlsim::sim
