// transfers.fts; see scenario_loader_fts.hpp.
#include "scenario/loader_fts.hpp"

#include "scenario/loader_fields.hpp"
#include "scenario/loader_k8s.hpp"

namespace dlsim::scenario {
namespace {

double read_cpu_seconds(const InputContext& c, const YAML::Node& n, const std::string& p) {
  return read_duration_s(c, n, p);
}

FtsServiceSpec parse_fts_service(const InputContext& ctx, const YAML::Node& node,
                                 const std::string& path, bool server) {
  FtsServiceSpec s;
  s.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  m.field("replicas", s.replicas, integer(0, 10'000));
  s.resources = parse_resources(m);
  s.autoscaling = parse_autoscaling(m);
  if (server) m.field("max_url_copy_processes", s.max_url_copy_processes, integer(1, 1'000'000));
  m.finish();
  return s;
}

}  // namespace

FtsDeploymentSpec parse_fts_deployment(const InputContext& ctx, const YAML::Node& node,
                                       const std::string& path) {
  FtsDeploymentSpec f;
  f.where = ctx.locate(node, path);
  MapReader m(ctx, node, path);
  std::string deployment;
  m.required("deployment", deployment, one_of({"vm", "k8s"}));
  f.deployment = deployment == "k8s" ? FtsDeployment::K8s : FtsDeployment::Vm;
  m.required("pool", f.pool, read_string);
  m.field("url_copy_memory", f.url_copy_memory_bytes, read_bytes);
  m.field("min_free_ram", f.min_free_ram_bytes, read_bytes);
  m.field("server_memory", f.server_memory_bytes, read_bytes);
  m.field("rest_processes", f.rest_processes, integer(1, 1000));
  m.field("rest_threads", f.rest_threads, integer(1, 1000));
  m.field("rest_process_memory", f.rest_process_memory_bytes, read_bytes);
  m.field("rest_cpu_per_call", f.rest_cpu_per_call_s, read_cpu_seconds);
  m.field("monitoring_memory", f.monitoring_memory_bytes, read_bytes);
  m.field("monitoring_cpu_per_transfer", f.monitoring_cpu_per_transfer_s, read_cpu_seconds);
  auto service = [&](const char* key, FtsServiceSpec& out) {
    if (auto n = m.get(key))
      out = parse_fts_service(ctx, *n, m.child_path(key), std::string(key) == "server");
  };
  service("server", f.server);
  service("rest", f.rest);
  service("monitoring", f.monitoring);
  m.finish();
  return f;
}

}  // namespace dlsim::scenario
