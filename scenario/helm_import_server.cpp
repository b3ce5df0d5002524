// The rucio-server and rucio-ui halves of the Helm import. rucio-server at helm@0fee800 runs
// three Deployments from one release (replicaCount, authReplicaCount, traceReplicaCount,
// sharing `resources`; helm@0fee800:rucio-server/templates/deployment.yaml#L12,#L165,
// auth_deployment.yaml#L12,#L158); at 40.0.0 one release is one server of `serverType`
// api, auth, trace or all, with `serverResources` and `wsgi.daemonProcesses/daemonThreads`
// (charts/rucio-server/templates/deployment.yaml#L18,#L171,#L314-323). The WSGI settings
// reach `WSGIDaemonProcess rucio processes=… threads=…` of the image
// (containers@1.23.10:server/rucio.conf.j2#L24); at 0fee800 only through `optional_config`,
// whose keys become environment variables (rucio-server/templates/deployment.yaml#L147-150).
#include <algorithm>
#include <cctype>

#include <fmt/core.h>

#include "scenario/helm_charts.hpp"
#include "scenario/helm_import_detail.hpp"

namespace dlsim::scenario::helm_detail {
namespace {

struct ServerShape {
  const HelmValue* resources = nullptr;
  const HelmValue* processes = nullptr;
  std::string processes_path;
  const HelmValue* threads = nullptr;
  std::string threads_path;
};

// Replicas > 0 of one server Deployment: the service with its shape; false when 0.
void add_server(Deployment& d, const HelmValues& values, const std::string& service,
                const HelmValue& count, const std::string& count_path, const ServerShape& shape,
                std::vector<std::string>& warnings) {
  if (count.node.Tag() == "!" || !count.node.IsScalar())
    values.context(count).fail(count.node, count_path,
                               "expected a number (the chart compares it with 0.0)");
  if (read_whole(values, count, count_path, 0, 10'000) == 0) return;
  const std::string path = "servers." + service;
  add_entry(d, values, count, count_path, path + ".replicas", count.node.Scalar());
  if (helm_truthy(shape.threads))
    add_entry(d, values, *shape.threads, shape.threads_path, path + ".threads",
              fmt::format("{}", read_whole(values, *shape.threads, shape.threads_path, 1, 1000)));
  if (helm_truthy(shape.processes))
    add_entry(
        d, values, *shape.processes, shape.processes_path, path + ".processes",
        fmt::format("{}", read_whole(values, *shape.processes, shape.processes_path, 1, 1000)));
  if (helm_truthy(shape.resources))
    add_resources(d, values, *shape.resources,
                  shape.resources->key.IsDefined() ? shape.resources->key.Scalar() : "resources",
                  path, warnings);
}

// WSGI processes and threads: `wsgi:` (40.0.0), else `optional_config:` (0fee800).
void read_wsgi(HelmMap& top, const HelmValues& values, ServerShape& shape,
               std::vector<std::string>& warnings) {
  if (const HelmValue* optional = top.get("optional_config"); optional && optional->node.IsMap())
    for (const auto& [key, v] : optional->children) {
      std::string upper = key;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      const std::string path = "optional_config." + key;
      if (upper == "RUCIO_WSGI_DAEMON_PROCESSES") shape.processes = &v, shape.processes_path = path;
      if (upper == "RUCIO_WSGI_DAEMON_THREADS") shape.threads = &v, shape.threads_path = path;
    }
  if (const HelmValue* wsgi = top.get("wsgi"); helm_truthy(wsgi) && wsgi->node.IsMap()) {
    HelmMap w(values, *wsgi, "wsgi", warnings);
    if (const HelmValue* p = w.get("daemonProcesses"); helm_truthy(p))
      shape.processes = p, shape.processes_path = "wsgi.daemonProcesses";
    if (const HelmValue* t = w.get("daemonThreads"); helm_truthy(t))
      shape.threads = t, shape.threads_path = "wsgi.daemonThreads";
    w.finish("the rucio-server chart's 'wsgi'");
  }
}

void warn_not_modelled(const HelmValues& values, const HelmValue& v, const std::string& path,
                       const std::string& what, std::vector<std::string>& warnings) {
  if (!helm_truthy(&v)) return;
  warnings.push_back(format_warning(values.locate(v, path), path,
                                    fmt::format("dlsim does not model {}; left out", what)));
}

}  // namespace

void import_server(Deployment& d, const HelmValues& values, bool auth_release,
                   std::vector<std::string>& warnings) {
  HelmMap top(values, values.root(), "", warnings);
  top.ignore(helm_server_global_ignored());
  ServerShape shape;
  shape.resources = top.get("serverResources");  // 40.0.0
  if (const HelmValue* old = top.get("resources"); !helm_truthy(shape.resources))
    shape.resources = old;  // 0fee800
  read_wsgi(top, values, shape, warnings);
  std::string type = "api";
  if (const HelmValue* t = top.get("serverType"))
    type = read_enum(values.context(*t), t->node, "serverType", {"api", "auth", "trace", "all"});
  const HelmValue* count = top.get("replicaCount");
  if (count != nullptr) {
    if (type == "trace") {
      warn_not_modelled(values, *count, "replicaCount", "the trace server (serverType trace)",
                        warnings);
    } else {
      if (type == "all" && helm_truthy(count))
        warnings.push_back(format_warning(
            values.locate(*count, "replicaCount"), "replicaCount",
            "serverType 'all' serves the API and auth from the same pods; dlsim models them as "
            "the API server only"));
      const bool auth = auth_release || type == "auth";
      add_server(d, values, auth ? "server-auth" : "server", *count, "replicaCount", shape,
                 warnings);
    }
  }
  if (const HelmValue* a = top.get("authReplicaCount"))  // 0fee800: same release, same shape
    add_server(d, values, "server-auth", *a, "authReplicaCount", shape, warnings);
  if (const HelmValue* t = top.get("traceReplicaCount"))
    warn_not_modelled(values, *t, "traceReplicaCount", "the trace server", warnings);
  top.finish(auth_release ? "the rucio-server chart (server-auth)" : "the rucio-server chart");
}

void import_ui(Deployment& d, const HelmValues& values, std::vector<std::string>& warnings) {
  HelmMap top(values, values.root(), "", warnings);
  top.ignore(helm_ui_global_ignored());
  ServerShape shape;
  shape.resources = top.get("resources");
  if (const HelmValue* count = top.get("replicaCount"))
    add_server(d, values, "ui", *count, "replicaCount", shape, warnings);
  top.finish("the rucio-ui chart");
}

}  // namespace dlsim::scenario::helm_detail
