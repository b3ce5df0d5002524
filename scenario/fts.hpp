// transfers.fts: how the FTS instance is deployed (docs/scenario.md, "transfers.fts"). Without
// it FTS is one host whose only limit is transfers.max_url_copy_processes. With it FTS runs on
// the nodes of one node pool, either as VMs that each run every FTS service (fts_server with
// its url-copy processes, fts_bringonline, the REST API and the monitoring) or as Kubernetes
// Deployments of its services, each scaled on its own need. Sources of the FTS facts are
// cern-fts/fts3 tag v3.9.5 and cern-fts/fts-rest; every other figure is an assumption and
// says so. Included by scenario/scenario.hpp.
#pragma once

#include <optional>
#include <string>

#include "scenario/diagnostics.hpp"
#include "scenario/k8s.hpp"
#include "scenario/resources.hpp"

namespace dlsim::scenario {

enum class FtsDeployment { Vm, K8s };

// One FTS service as a Kubernetes Deployment (k8s only).
struct FtsServiceSpec {
  int replicas = 1;
  ContainerResources resources;
  std::optional<AutoscalingSpec> autoscaling;  // absent: `replicas` pods throughout
  // server only: MaxUrlCopyProcesses of each pod's fts3config, sized to the pod. Default:
  // transfers.max_url_copy_processes.
  std::optional<int> max_url_copy_processes;
  SourceLocation where;
};

struct FtsDeploymentSpec {
  FtsDeployment deployment = FtsDeployment::Vm;
  // The node pool FTS runs on: its nodes are the FTS VMs (vm: left out of the Kubernetes
  // cluster) or part of the cluster the FTS pods are scheduled on (k8s). Required.
  std::string pool;
  // Resident memory of one fts_url_copy process (gfal2 and its plugins, one transfer).
  // Default 25 MiB: assumption (FTS publishes no figure; a Kubernetes deployment of FTS 3.14
  // gives its server container 12 Gi for the default 400 processes, about 30 MiB each:
  // slaclab/rubin-fts3-deploy overlays/prod/fts3/deployment.yaml#L60-L63).
  double url_copy_memory_bytes = 25.0 * 1024 * 1024;
  // MinRequiredFreeRAM: below this much free RAM the server enters auto-drain and starts no
  // transfer (DrainMode.h#L79-L91, serverconfigreader.cpp#L242-L243, v3.9.5). Default 50 MB.
  double min_free_ram_bytes = 50.0 * 1024 * 1024;
  // Resident memory of fts_server and fts_bringonline without transfers. Default 300 MiB:
  // assumption.
  double server_memory_bytes = 300.0 * 1024 * 1024;
  // The REST API runs as mod_wsgi daemon processes: processes=2 threads=15 per host
  // (cern-fts/fts-rest src/fts3rest/fts3rest.conf#L67). Defaults 2 and 15, FTS's.
  int rest_processes = 2;
  int rest_threads = 15;
  // Resident memory of one REST WSGI process (Python, the REST app, SQLAlchemy). Default 250
  // MiB: assumption.
  double rest_process_memory_bytes = 250.0 * 1024 * 1024;
  // CPU of one REST call (a job submission or a status query: TLS with an X.509 client
  // certificate, JSON, the job's rows). Default 20 ms: assumption.
  double rest_cpu_per_call_s = 0.02;
  // Resident memory of the monitoring services (fts-msg-bulk and the web monitoring).
  // Default 1 GiB: assumption.
  double monitoring_memory_bytes = 1024.0 * 1024 * 1024;
  // Monitoring CPU per transfer (its start and end messages, the dashboards' rows). Default
  // 5 ms: assumption.
  double monitoring_cpu_per_transfer_s = 0.005;
  // k8s: the Deployments. The server's url-copy processes are capped per pod by
  // transfers.max_url_copy_processes (each pod is an FTS host).
  FtsServiceSpec server;
  FtsServiceSpec rest;
  FtsServiceSpec monitoring;
  SourceLocation where;

  double rest_memory_bytes() const { return rest_processes * rest_process_memory_bytes; }
  int server_url_copy_processes(int host_default) const {
    return server.max_url_copy_processes.value_or(host_default);
  }
};

}  // namespace dlsim::scenario
