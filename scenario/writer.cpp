#include "scenario/writer.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include "scenario/daemon_catalog.hpp"

namespace dlsim::sim {
namespace {

// Plain units that load back exactly: bytes as integers, seconds with "s".
std::string bytes(double b) {
  return fmt::format("{}", b);
}
// Plain decimal notation (the duration syntax has no exponent), trailing zeros dropped.
std::string seconds(double s) {
  std::string text = fmt::format("{:.9f}", s);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "s";
}
std::string bandwidth(double Bps) {
  return fmt::format("{}B/s", Bps);
}

void emit_resources(YAML::Emitter& out, const ResourceSpec& r) {
  out << YAML::Key << "resources" << YAML::Value << YAML::BeginMap;
  auto side = [&](const char* name, const std::optional<double>& cpu,
                  const std::optional<double>& mem) {
    if (!cpu && !mem) return;
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    if (cpu) out << YAML::Key << "cpu" << YAML::Value << fmt::format("{}", *cpu);
    if (mem) out << YAML::Key << "memory" << YAML::Value << bytes(*mem);
    out << YAML::EndMap;
  };
  side("requests", r.cpu_request_cores, r.mem_request_bytes);
  side("limits", r.cpu_limit_cores, r.mem_limit_bytes);
  out << YAML::EndMap;
}

void emit_autoscaling(YAML::Emitter& out, const AutoscalingSpec& a) {
  const bool keda = a.scaler == AutoscalingScaler::Keda;
  out << YAML::Key << "autoscaling" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "scaler" << YAML::Value << (keda ? "keda" : "hpa");
  out << YAML::Key << "min" << YAML::Value << a.min_replicas;
  out << YAML::Key << "max" << YAML::Value << a.max_replicas;
  if (a.metric == AutoscalingMetric::Table || a.metric == AutoscalingMetric::FtsQueue ||
      a.metric == AutoscalingMetric::RequestRate) {
    const char* metric = a.metric == AutoscalingMetric::Table      ? "table"
                         : a.metric == AutoscalingMetric::FtsQueue ? "fts_queue"
                                                                   : "request_rate";
    out << YAML::Key << "metric" << YAML::Value << metric;
    if (a.metric == AutoscalingMetric::Table) out << YAML::Key << "table" << YAML::Value << a.table;
    out << YAML::Key << "target" << YAML::Value << fmt::format("{}", a.target_rows_per_replica);
  } else if (a.metric == AutoscalingMetric::Latency) {
    out << YAML::Key << "metric" << YAML::Value << "latency";
    out << YAML::Key << "target" << YAML::Value << seconds(a.target_latency_s);
    out << YAML::Key << "percentile" << YAML::Value << fmt::format("{}", a.latency_percentile);
    if (a.cpu_target_percent)
      out << YAML::Key << "cpu_target" << YAML::Value << fmt::format("{}%", *a.cpu_target_percent);
  } else {
    out << YAML::Key << "metric" << YAML::Value << "cpu";
    out << YAML::Key << "target" << YAML::Value
        << fmt::format("{}%", a.target_cpu_utilization_percent);
  }
  out << YAML::Key << "period" << YAML::Value << seconds(a.period_s);
  out << YAML::Key << "tolerance" << YAML::Value << fmt::format("{}", a.tolerance);
  out << YAML::Key << "scale_down_stabilization" << YAML::Value
      << seconds(a.scale_down_stabilization_s);
  if (keda) {
    out << YAML::Key << "cooldown" << YAML::Value << seconds(a.cooldown_s);
    out << YAML::Key << "activation" << YAML::Value << fmt::format("{}", a.activation_rows);
  }
  out << YAML::EndMap;
}

void emit_fts(YAML::Emitter& out, const FtsDeploymentSpec& f) {
  out << YAML::Key << "fts" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "deployment" << YAML::Value
      << (f.deployment == FtsDeployment::K8s ? "k8s" : "vm");
  out << YAML::Key << "pool" << YAML::Value << f.pool;
  out << YAML::Key << "url_copy_memory" << YAML::Value << bytes(f.url_copy_memory_bytes);
  out << YAML::Key << "min_free_ram" << YAML::Value << bytes(f.min_free_ram_bytes);
  out << YAML::Key << "server_memory" << YAML::Value << bytes(f.server_memory_bytes);
  out << YAML::Key << "rest_processes" << YAML::Value << f.rest_processes;
  out << YAML::Key << "rest_threads" << YAML::Value << f.rest_threads;
  out << YAML::Key << "rest_process_memory" << YAML::Value << bytes(f.rest_process_memory_bytes);
  out << YAML::Key << "rest_cpu_per_call" << YAML::Value << seconds(f.rest_cpu_per_call_s);
  out << YAML::Key << "monitoring_memory" << YAML::Value << bytes(f.monitoring_memory_bytes);
  out << YAML::Key << "monitoring_cpu_per_transfer" << YAML::Value
      << seconds(f.monitoring_cpu_per_transfer_s);
  for (const auto& [key, svc] : {std::pair{"server", &f.server}, std::pair{"rest", &f.rest},
                                 std::pair{"monitoring", &f.monitoring}}) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "replicas" << YAML::Value << svc->replicas;
    if (svc->max_url_copy_processes)
      out << YAML::Key << "max_url_copy_processes" << YAML::Value << *svc->max_url_copy_processes;
    emit_resources(out, svc->resources);
    if (svc->autoscaling) emit_autoscaling(out, *svc->autoscaling);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_service(YAML::Emitter& out, const ServiceSpec& s, bool daemon) {
  out << YAML::Key << s.name << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "kind" << YAML::Value << s.kind;
  out << YAML::Key << "replicas" << YAML::Value << s.replicas;
  out << YAML::Key << "threads" << YAML::Value << s.threads;
  if (!daemon) out << YAML::Key << "processes" << YAML::Value << s.processes;
  if (s.base_memory_bytes)
    out << YAML::Key << "base_memory" << YAML::Value << bytes(*s.base_memory_bytes);
  if (!s.rollout_restarts_s.empty()) {
    out << YAML::Key << "rollout_restarts" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double t : s.rollout_restarts_s) out << seconds(t);
    out << YAML::EndSeq;
  }
  emit_resources(out, s.resources);
  if (s.autoscaling) emit_autoscaling(out, *s.autoscaling);
  if (daemon) {
    out << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
    const auto* kind = find_daemon_kind(s.kind);
    for (const auto& opt : kind->options) {
      double v = s.options.at(opt.name);
      out << YAML::Key << opt.name << YAML::Value;
      switch (opt.unit) {
        case OptionUnit::Seconds:
          out << seconds(v);
          break;
        case OptionUnit::Flag:
          out << (v != 0);
          break;
        case OptionUnit::Count:
          out << fmt::format("{}", v);
          break;
      }
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_payload(YAML::Emitter& out, const PayloadSpec& p) {
  out << YAML::Key << "run_time" << YAML::Value << seconds(p.run_time_s);
  out << YAML::Key << "run_time_spread" << YAML::Value << fmt::format("{}", p.run_time_spread);
  if (p.threads) out << YAML::Key << "threads" << YAML::Value << *p.threads;
  out << YAML::Key << "memory" << YAML::Value << bytes(p.memory_bytes);
}

void emit_batch(YAML::Emitter& out, const BatchSpec& b) {
  out << YAML::Key << "batch" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "jobs" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, j] : b.jobs) {
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "pods" << YAML::Value << j.pods;
    out << YAML::Key << "parallelism" << YAML::Value << j.parallelism.value_or(j.pods);
    out << YAML::Key << "start" << YAML::Value << seconds(j.start_s);
    out << YAML::Key << "priority" << YAML::Value << j.priority;
    emit_resources(out, j.resources);
    out << YAML::Key << "restart_policy" << YAML::Value
        << (j.restart_policy == JobRestartPolicy::OnFailure ? "OnFailure" : "Never");
    out << YAML::Key << "backoff_limit" << YAML::Value << j.backoff_limit;
    emit_payload(out, j.payload);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::Key << "vacuum" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, v] : b.vacuum) {
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "budget" << YAML::Value << YAML::BeginMap << YAML::Key << "cpu"
        << YAML::Value << fmt::format("{}", v.budget_cpu_cores) << YAML::Key << "pods"
        << YAML::Value << v.max_pods << YAML::EndMap;
    out << YAML::Key << "payloads" << YAML::Value << v.payloads;
    out << YAML::Key << "start" << YAML::Value << seconds(v.start_s);
    out << YAML::Key << "interval" << YAML::Value << seconds(v.interval_s);
    out << YAML::Key << "no_work_time" << YAML::Value << seconds(v.no_work_s);
    out << YAML::Key << "backoff" << YAML::Value << seconds(v.backoff_s);
    out << YAML::Key << "backoff_max" << YAML::Value << seconds(v.backoff_max_s);
    out << YAML::Key << "priority" << YAML::Value << v.priority;
    emit_resources(out, v.resources);
    emit_payload(out, v.payload);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::EndMap;
}

void emit_sizing(YAML::Emitter& out, const SizingSpec& z) {
  out << YAML::Key << "sizing" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "method" << YAML::Value << to_string(z.method);
  auto number = [&](const char* key, double v) {
    out << YAML::Key << key << YAML::Value << fmt::format("{}", v);
  };
  number("margin", z.margin);
  number("oom_bump_ratio", z.oom_bump_ratio);
  out << YAML::Key << "oom_min_bump" << YAML::Value << bytes(z.oom_min_bump_bytes);
  number("throttled_fraction", z.throttled_fraction);
  number("cpu_throttle_bump", z.cpu_throttle_bump);
  out << YAML::Key << "peak_window" << YAML::Value << seconds(z.peak_window_s);
  number("growing_fraction", z.growing_fraction);
  out << YAML::Key << "growing_window" << YAML::Value << seconds(z.growing_window_s);
  number("server_utilization", z.server_utilization);
  out << YAML::Key << "targets" << YAML::Value << YAML::BeginMap;
  for (const auto& [op, p99_s] : z.p99_targets_s)
    out << YAML::Key << op << YAML::Value << seconds(p99_s);
  out << YAML::EndMap << YAML::EndMap;
}

std::string engine_name(DatabaseEngine e) {
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

}  // namespace

std::string to_string(ClientOperation op) {
  switch (op) {
    case ClientOperation::ListReplicas:
      return "list_replicas";
    case ClientOperation::ListDids:
      return "list_dids";
    case ClientOperation::GetDid:
      return "get_did";
    case ClientOperation::Download:
      return "download";
  }
  return "list_replicas";
}

std::string resolved_scenario_yaml(const Scenario& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << s.name;
  if (!s.description.empty()) out << YAML::Key << "description" << YAML::Value << s.description;
  out << YAML::Key << "seed" << YAML::Value << s.seed;
  out << YAML::Key << "duration" << YAML::Value << seconds(s.duration_s);
  out << YAML::Key << "sample_interval" << YAML::Value << seconds(s.sample_interval_s);

  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "node_pools" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, p] : s.cluster.node_pools) {
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "count" << YAML::Value << p.count;
    out << YAML::Key << "cpu" << YAML::Value << fmt::format("{}", p.cpu_cores);
    out << YAML::Key << "memory" << YAML::Value << bytes(p.mem_bytes);
    out << YAML::Key << "reserved" << YAML::Value << YAML::BeginMap << YAML::Key << "cpu"
        << YAML::Value << fmt::format("{}", p.reserved_cpu_cores) << YAML::Key << "memory"
        << YAML::Value << bytes(p.reserved_mem_bytes) << YAML::EndMap;
    out << YAML::Key << "price_per_node_hour" << YAML::Value
        << fmt::format("{}", p.price_per_node_hour);
    out << YAML::Key << "capacity_type" << YAML::Value << std::string(to_string(p.capacity_type));
    out << YAML::Key << "max_pods" << YAML::Value << p.max_pods;
    out << YAML::Key << "eviction_hard" << YAML::Value << bytes(p.eviction_hard_bytes);
    if (p.max_nodes) {
      out << YAML::Key << "min" << YAML::Value << p.min_nodes.value_or(p.count);
      out << YAML::Key << "max" << YAML::Value << *p.max_nodes;
    }
    if (p.max_nodes || p.interruptions_per_node_hour > 0)
      out << YAML::Key << "provisioning_delay" << YAML::Value << seconds(p.provisioning_delay_s);
    if (p.interruptions_per_node_hour > 0)
      out << YAML::Key << "interruptions_per_node_hour" << YAML::Value
          << fmt::format("{}", p.interruptions_per_node_hour);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::Key << "scheduler" << YAML::Value << YAML::BeginMap << YAML::Key << "strategy"
      << YAML::Value << std::string(models::k8s::to_string(s.cluster.scheduler_strategy))
      << YAML::EndMap;
  const auto& ca = s.cluster.autoscaler;
  out << YAML::Key << "autoscaler" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "scan_interval" << YAML::Value << seconds(ca.scan_interval_s);
  out << YAML::Key << "utilization_threshold" << YAML::Value
      << fmt::format("{}", ca.utilization_threshold);
  out << YAML::Key << "unneeded_time" << YAML::Value << seconds(ca.unneeded_time_s);
  out << YAML::Key << "delay_after_add" << YAML::Value << seconds(ca.delay_after_add_s);
  out << YAML::Key << "max_empty_bulk_delete" << YAML::Value << ca.max_empty_bulk_delete;
  out << YAML::Key << "max_node_provision_time" << YAML::Value
      << seconds(ca.max_node_provision_time_s);
  out << YAML::Key << "max_graceful_termination" << YAML::Value
      << seconds(ca.max_graceful_termination_s);
  out << YAML::EndMap;
  out << YAML::EndMap;

  out << YAML::Key << "database" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "engine" << YAML::Value << engine_name(s.database.engine);
  out << YAML::Key << "cpu" << YAML::Value << s.database.cpu_cores;
  out << YAML::Key << "rtt" << YAML::Value << seconds(s.database.rtt_s);
  out << YAML::EndMap;

  out << YAML::Key << "rucio" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << s.rucio.version;
  out << YAML::Key << "servers" << YAML::Value << YAML::BeginMap;
  for (const auto& [_, svc] : s.rucio.servers) emit_service(out, svc, false);
  out << YAML::EndMap;
  out << YAML::Key << "daemons" << YAML::Value << YAML::BeginMap;
  for (const auto& [_, svc] : s.rucio.daemons) emit_service(out, svc, true);
  out << YAML::EndMap;
  const auto& k = s.rucio.model;
  out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "base_memory" << YAML::Value << bytes(k.base_memory_bytes);
  out << YAML::Key << "row_bytes" << YAML::Value << bytes(k.row_bytes);
  out << YAML::Key << "rule_file_bytes" << YAML::Value << bytes(k.rule_file_bytes);
  out << YAML::Key << "cpu_per_statement" << YAML::Value << seconds(k.cpu_per_statement_s);
  out << YAML::Key << "cpu_per_row" << YAML::Value << seconds(k.cpu_per_row_s);
  out << YAML::Key << "cpu_per_dedup_pair" << YAML::Value
      << fmt::format("{}", k.cpu_per_dedup_pair_s);
  out << YAML::Key << "db_cpu_per_statement" << YAML::Value << seconds(k.db_cpu_per_statement_s);
  out << YAML::Key << "cpu_per_message" << YAML::Value << seconds(k.cpu_per_message_s);
  out << YAML::Key << "cpu_per_request" << YAML::Value << seconds(k.cpu_per_request_s);
  out << YAML::Key << "cpu_per_fts_call" << YAML::Value << seconds(k.cpu_per_fts_call_s);
  out << YAML::Key << "cpu_idle" << YAML::Value << fmt::format("{}", k.cpu_idle_cores);
  out << YAML::Key << "cpu_idle_server" << YAML::Value
      << fmt::format("{}", k.cpu_idle_server_cores);
  out << YAML::Key << "fts_call" << YAML::Value << seconds(k.fts_call_s);
  out << YAML::Key << "storage_delete" << YAML::Value << seconds(k.storage_delete_s);
  out << YAML::EndMap;
  out << YAML::EndMap;

  out << YAML::Key << "network" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "default_uplink" << YAML::Value << bandwidth(s.network.default_uplink_Bps);
  out << YAML::Key << "latency_min" << YAML::Value << seconds(s.network.latency_min_s);
  out << YAML::Key << "latency_max" << YAML::Value << seconds(s.network.latency_max_s);
  out << YAML::Key << "tcp_window" << YAML::Value << bytes(s.network.tcp_window_bytes);
  if (!s.network.sites.empty()) {
    out << YAML::Key << "sites" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, site] : s.network.sites) {
      out << YAML::Key << name << YAML::Value << YAML::BeginMap;
      if (site.uplink_Bps > 0)
        out << YAML::Key << "uplink" << YAML::Value << bandwidth(site.uplink_Bps);
      if (site.latency_s > 0)
        out << YAML::Key << "latency" << YAML::Value << seconds(site.latency_s);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;

  if (!s.rses.empty()) out << YAML::Key << "rses" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, r] : s.rses) {
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "site" << YAML::Value << r.site;
    if (!r.storage.empty()) out << YAML::Key << "storage" << YAML::Value << r.storage;
    out << YAML::Key << "quota" << YAML::Value << bytes(r.quota_bytes);
    out << YAML::Key << "min_free" << YAML::Value << bytes(r.min_free_bytes);
    if (r.failure_rate)
      out << YAML::Key << "failure_rate" << YAML::Value << fmt::format("{}", *r.failure_rate);
    if (r.multihop) out << YAML::Key << "multihop" << YAML::Value << true;
    if (!r.attributes.empty()) {
      out << YAML::Key << "attributes" << YAML::Value << YAML::Flow << YAML::BeginMap;
      for (const auto& [key, value] : r.attributes) out << YAML::Key << key << YAML::Value << value;
      out << YAML::EndMap;
    }
    if (!r.no_link_to.empty()) {
      out << YAML::Key << "no_link_to" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto& to : r.no_link_to) out << to;
      out << YAML::EndSeq;
    }
    if (!r.failure_episodes.empty()) {
      out << YAML::Key << "failure_episodes" << YAML::Value << YAML::BeginSeq;
      for (const auto& e : r.failure_episodes) {
        out << YAML::Flow << YAML::BeginMap;
        if (e.start_s > 0) out << YAML::Key << "start" << YAML::Value << seconds(e.start_s);
        out << YAML::Key << "duration" << YAML::Value << seconds(e.duration_s);
        out << YAML::Key << "kind" << YAML::Value << e.kind;
        out << YAML::Key << "rate" << YAML::Value << fmt::format("{}", e.rate);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (r.catalog)
      out << YAML::Key << "catalog" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
          << "files" << YAML::Value << r.catalog->files << YAML::Key << "bytes" << YAML::Value
          << bytes(r.catalog->bytes) << YAML::Key << "datasets" << YAML::Value
          << r.catalog->datasets << YAML::EndMap;
    out << YAML::EndMap;
  }
  if (!s.rses.empty()) out << YAML::EndMap;

  out << YAML::Key << "transfers" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "model" << YAML::Value
      << (s.transfers.model == TransferModel::PerFile ? "per_file" : "per_link");
  out << YAML::Key << "optimizer" << YAML::Value << s.transfers.optimizer;
  out << YAML::Key << "max_active_per_link" << YAML::Value << s.transfers.max_active_per_link;
  out << YAML::Key << "setup_time" << YAML::Value << seconds(s.transfers.setup_s);
  out << YAML::Key << "failure_rate" << YAML::Value << fmt::format("{}", s.transfers.failure_rate);
  out << YAML::Key << "multihop" << YAML::Value << s.transfers.multihop;
  out << YAML::Key << "hop_penalty" << YAML::Value << fmt::format("{}", s.transfers.hop_penalty);
  out << YAML::Key << "max_url_copy_processes" << YAML::Value << s.transfers.max_url_copy_processes;
  out << YAML::Key << "scheduling_interval" << YAML::Value
      << seconds(s.transfers.scheduling_interval_s);
  if (s.transfers.fts) emit_fts(out, *s.transfers.fts);
  out << YAML::EndMap;

  out << YAML::Key << "workload" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "injections" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, inj] : s.workload.injections) {
    out << YAML::Key << name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "files" << YAML::Value << inj.files;
    out << YAML::Key << "file_size" << YAML::Value << bytes(inj.file_size_bytes);
    out << YAML::Key << "rse" << YAML::Value << inj.rse;
    out << YAML::Key << "start" << YAML::Value << seconds(inj.start_s);
    out << YAML::Key << "end" << YAML::Value << seconds(inj.end_s.value_or(s.duration_s));
    out << YAML::Key << "files_per_dataset" << YAML::Value << inj.files_per_dataset;
    out << YAML::Key << "uploaders" << YAML::Value << inj.uploaders;
    if (inj.lifetime_s) out << YAML::Key << "lifetime" << YAML::Value << seconds(*inj.lifetime_s);
    if (inj.container) out << YAML::Key << "container" << YAML::Value << *inj.container;
    if (inj.every_s) out << YAML::Key << "every" << YAML::Value << seconds(*inj.every_s);
    out << YAML::Key << "attach" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "mode" << YAML::Value
        << (inj.attach.mode == AttachMode::PerFile ? "per_file" : "per_dataset") << YAML::Key
        << "files_per_call" << YAML::Value << inj.attach.files_per_call << YAML::EndMap;
    out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const auto& r : inj.rules) {
      out << YAML::BeginMap << YAML::Key << "rse_expression" << YAML::Value << r.rse_expression
          << YAML::Key << "copies" << YAML::Value << r.copies;
      if (r.lifetime_s) out << YAML::Key << "lifetime" << YAML::Value << seconds(*r.lifetime_s);
      out << YAML::Key << "level" << YAML::Value << (r.on_container ? "container" : "dataset");
      out << YAML::Key << "asynchronous" << YAML::Value << r.asynchronous;
      if (r.after_s) out << YAML::Key << "after" << YAML::Value << seconds(*r.after_s);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndMap;
  if (!s.workload.clients.empty()) {
    out << YAML::Key << "clients" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, c] : s.workload.clients) {
      out << YAML::Key << name << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "clients" << YAML::Value << c.clients;
      out << YAML::Key << "interval" << YAML::Value << seconds(c.interval_s);
      out << YAML::Key << "operation" << YAML::Value << to_string(c.operation);
      out << YAML::Key << "rows" << YAML::Value << c.rows;
      if (c.file_size_bytes > 0)
        out << YAML::Key << "file_size" << YAML::Value << bytes(c.file_size_bytes);
      out << YAML::Key << "start" << YAML::Value << seconds(c.start_s);
      out << YAML::Key << "end" << YAML::Value << seconds(c.end_s.value_or(s.duration_s));
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  if (!s.workload.deletions.empty()) {
    out << YAML::Key << "deletions" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, d] : s.workload.deletions)
      out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
          << "files" << YAML::Value << d.files << YAML::Key << "rse_expression" << YAML::Value
          << d.rse_expression << YAML::Key << "start" << YAML::Value << seconds(d.start_s)
          << YAML::Key << "end" << YAML::Value << seconds(d.end_s.value_or(s.duration_s))
          << YAML::Key << "period" << YAML::Value << seconds(d.period_s) << YAML::EndMap;
    out << YAML::EndMap;
  }
  if (s.workload.noise) {
    const auto& n = *s.workload.noise;
    out << YAML::Key << "noise" << YAML::Value << YAML::BeginMap << YAML::Key << "file_size"
        << YAML::Value << bytes(n.file_size_bytes) << YAML::Key << "lifetime" << YAML::Value
        << seconds(n.lifetime_s) << YAML::Key << "period" << YAML::Value << seconds(n.period_s)
        << YAML::Key << "start" << YAML::Value << seconds(n.start_s) << YAML::EndMap;
  }
  out << YAML::EndMap;
  if (!s.batch.jobs.empty() || !s.batch.vacuum.empty()) emit_batch(out, s.batch);
  emit_sizing(out, s.sizing);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace dlsim::sim
