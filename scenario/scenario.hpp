// The scenario as typed structs (docs/design.md §4). YAML is parsed into these by
// scenario/loader, validated whole, and only then turned into SimGrid objects.
// Every default is written next to its field with its source; every default that is our
// assumption rather than a published fact says so.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/fts.hpp"
#include "scenario/k8s.hpp"
#include "scenario/resources.hpp"
#include "scenario/sizing.hpp"

namespace dlsim::scenario {

// Kubernetes requests and limits of one container; absent means "not set" (the FDR started
// with pods that had none).
using ResourceSpec = ContainerResources;

// How a cloud provider sells a pool's nodes, as node pools label them
// (`karpenter.sh/capacity-type: spot|on-demand`, aws/karpenter-provider-aws
// website/content/en/docs/concepts/nodepools.md "Capacity Type"; EKS managed node groups'
// `capacityType: ON_DEMAND|SPOT`). dlsim prices either the same way (node-hours ×
// price_per_node_hour) and does not model spot interruptions (docs/scenario.md).
enum class CapacityType { OnDemand, Spot };
inline std::string_view to_string(CapacityType t) {
  return t == CapacityType::Spot ? "spot" : "on-demand";
}

struct NodePoolSpec {
  std::string name;
  int count = 1;
  double cpu_cores = 0;
  double mem_bytes = 0;
  // Reserved for the kubelet and the system (kube-reserved + system-reserved). Default 0:
  // assumption; the FDR nodes' reservation is not published.
  double reserved_cpu_cores = 0;
  double reserved_mem_bytes = 0;
  // Cost of one node for one hour at the pool's capacity type; 0 when not given (no cost
  // reported).
  double price_per_node_hour = 0;
  // Default on-demand: the purchase option of a cloud VM unless spot is asked for (EKS
  // managed node groups default to ON_DEMAND; Karpenter's docs recommend requiring
  // on-demand for generic workloads).
  CapacityType capacity_type = CapacityType::OnDemand;
  // Spot only: how often the cloud reclaims a node, per node per hour in the cluster
  // (models/k8s/spot.hpp). Default 0: assumption, no interruption; clouds publish bands,
  // not rates (AWS Spot Instance Advisor: "<5 %" … ">20 %" of instances a month).
  double interruptions_per_node_hour = 0;
  // Default 110: kubelet maxPods default (k/k pkg/kubelet/apis/config/v1beta1/defaults.go).
  int max_pods = 110;
  // Kubelet hard eviction threshold memory.available. Default 100 Mi: evictionHard
  // (k/k pkg/kubelet/apis/config/v1beta1/defaults.go); also subtracted from allocatable.
  double eviction_hard_bytes = 100.0 * 1024 * 1024;
  // Cluster Autoscaler node group bounds; a pool with `max` is autoscaled between `min`
  // (default: count) and `max`, starting at `count`.
  std::optional<int> min_nodes;
  std::optional<int> max_nodes;
  // Time from a scale-up decision to a Ready node. Default 3 min: assumption ("on GCE usually
  // 3 to 4 minutes", CA FAQ; k/autoscaler cluster-autoscaler/FAQ.md).
  double provisioning_delay_s = 180;
  SourceLocation where;

  bool autoscaled() const { return max_nodes.has_value(); }
  // Hosts the platform creates for the pool: the most nodes it can ever have.
  int hosts() const { return std::max(count, max_nodes.value_or(count)); }
};

struct ClusterSpec {
  std::map<std::string, NodePoolSpec> node_pools;
  // Default LeastAllocated: kube-scheduler's default scoring (k/k
  // pkg/scheduler/apis/config/v1/default_plugins.go).
  ScoringStrategy scheduler_strategy = ScoringStrategy::LeastAllocated;
  ClusterAutoscalerSpec autoscaler;
};

enum class DatabaseEngine { PostgreSQL, Oracle, MySQL };

struct DatabaseSpec {
  // Default postgresql: the FDR's engine is not published; assumption (fdr/README.md).
  DatabaseEngine engine = DatabaseEngine::PostgreSQL;
  // Cores of the database server. Default 16: assumption.
  int cpu_cores = 16;
  // Network round trip between a pod and the database. Default 0.5 ms: assumption (same
  // data centre).
  double rtt_s = 0.0005;
};

// A Rucio daemon or server deployment, keyed by its service name (deployment.csv).
struct ServiceSpec {
  std::string name;
  std::string kind;  // daemon or server kind; defaults to the service name
  int replicas = 1;
  int threads = 1;    // daemon threads per replica, or WSGI threads per process for servers
  int processes = 1;  // WSGI processes per server pod (daemons: 1)
  ResourceSpec resources;
  // Rucio options by name, in SI units (seconds, bytes, counts); defaults from the daemon
  // catalogue (models/rucio/daemon_catalog.cpp).
  std::map<std::string, double> options;
  std::optional<AutoscalingSpec> autoscaling;  // absent: `replicas` pods, always
  // Times of `kubectl rollout restart` (e.g. a Helm upgrade); none by default.
  std::vector<double> rollout_restarts_s;
  // Resident memory of one idle process of this service (its image, imports and caches).
  // Absent: rucio.model.base_memory. Set only from a calibration against observed usage of
  // this very service (docs/calibration.md); a service without observations keeps the
  // global value, so that its memory comes from the model.
  std::optional<double> base_memory_bytes;
  SourceLocation where;

  double base_memory_or(double global_bytes) const {
    return base_memory_bytes.value_or(global_bytes);
  }
};

// Cost constants shared by every Rucio service (docs/design.md §3.3): what a fetched row, a
// statement or a message costs. Global on purpose: a service's CPU and memory come from what
// it fetches, holds and computes, times these constants.
struct RucioCostSpec {
  // Resident memory of an idle daemon process (Python + Rucio + SQLAlchemy). Default 80 MiB:
  // calibrated, abacus-account and abacus-rse idle at 80 MiB in fdr/observed.csv.
  double base_memory_bytes = 80.0 * 1024 * 1024;
  // Python heap per ORM row or row dict held. Default 1.5 KB: docs/references.md#measured [M].
  double row_bytes = 1500;
  // Heap per file while a rule is applied (locks, replicas, requests). Default 25 KB:
  // rucio#3571: 20-30 KB per file.
  double rule_file_bytes = 25e3;
  // Daemon CPU per statement issued (client side, SQLAlchemy). Default 0.1 ms:
  // docs/references.md#measured [M].
  double cpu_per_statement_s = 1e-4;
  // Daemon CPU per row loaded as an ORM object. Default 20 µs: docs/references.md#measured [M].
  double cpu_per_row_s = 20e-6;
  // CPU per (row, unique row) pair of PostgreSQL's in-Python de-duplication. Default 17 ns:
  // measured by bench/dedup_pair.py on CPython 3.11 with the key order of Python 3.7+
  // (name first), as images on Python 3 compare; the FDR's Python 2.7 image compares the
  // scope (a Python-level __eq__) first and costs more (scenarios/fdr.yaml).
  double cpu_per_dedup_pair_s = 17e-9;
  // Database CPU per statement. Default 0.1 ms: assumption (indexed single-row statements).
  double db_cpu_per_statement_s = 1e-4;
  // Daemon CPU to serialise and send one message (STOMP) or parse one. Default 0.5 ms:
  // assumption, calibrated on hermes.
  double cpu_per_message_s = 5e-4;
  // Client CPU of one FTS REST call (HTTPS with an X.509 client certificate, JSON of the job
  // or of the status reply). Default 5 ms: assumption, calibrated on the conveyor.
  double cpu_per_fts_call_s = 5e-3;
  // CPU of one idle daemon process, in cores (interpreter housekeeping, logging, threads
  // waking). Default 0.003: calibrated, judge-injector idles at 0.003 (fdr/observed.csv).
  double cpu_idle_cores = 0.003;
  // CPU of one idle WSGI process of a server, in cores: the same plus Apache's workers and
  // the kubelet's probes (servers have them, daemons do not:
  // helm@0fee800 rucio-server/templates/deployment.yaml#L118-129). Default
  // 0.004: calibrated, the web UI idles at 0.004 (fdr/observed.csv).
  double cpu_idle_server_cores = 0.004;
  // CPU of one HTTP request in a server besides its statements and rows (mod_wsgi dispatch,
  // the auth-token hook, JSON encoding). Default 2 ms: assumption, to calibrate.
  double cpu_per_request_s = 2e-3;
  // Latency of one FTS REST call (submit or status query). Default 50 ms: assumption.
  double fts_call_s = 0.05;
  // Latency of one storage delete. Default 50 ms: assumption.
  double storage_delete_s = 0.05;
};

struct RucioSpec {
  // Rucio release whose behaviour is modelled where releases differ. Default "1.23": the
  // FDR ran 1.23.10 (docs/references.md).
  std::string version = "1.23";
  std::map<std::string, ServiceSpec> servers;
  std::map<std::string, ServiceSpec> daemons;
  RucioCostSpec model;
};

struct SiteSpec {
  std::string name;
  double uplink_Bps = 0;
  double latency_s = 0;  // one-way latency from the site to the backbone
};

struct NetworkSpec {
  // Site uplink when a site does not give its own. Default 10 Gb/s: assumption
  // (fdr/README.md: link bandwidths are not published).
  double default_uplink_Bps = 10e9 / 8;
  // One-way site-to-backbone latency range; each site draws one value from it with the
  // "network" RNG stream. Default 5-20 ms (10-40 ms RTT between sites): assumption.
  double latency_min_s = 0.005;
  double latency_max_s = 0.020;
  // Largest TCP window of one connection (SimGrid's network/TCP-gamma): one connection moves
  // at most this much per round trip. Default 4 MiB: assumption, SimGrid's default and the
  // order of Linux's largest autotuned window (net.ipv4.tcp_rmem/tcp_wmem maximum); the sites'
  // TCP settings are not published.
  double tcp_window_bytes = 4.0 * 1024 * 1024;
  std::map<std::string, SiteSpec> sites;
};

// A period in which transfers to an RSE fail more: an RSE down or misconfigured for hours, a
// full disk, an expired certificate. Scenario input, an assumption by construction: the FDR
// did not publish its failures (docs/scenario.md, rses).
struct FailureEpisode {
  double start_s = 0;
  double duration_s = 0;
  // url-copy's error class (heuristics.cpp, FTS v3.9.5): "recoverable" or one of the classes
  // FTS does not count in the optimizer's success rate: no_space, missing_file, checksum,
  // permission.
  std::string kind = "recoverable";
  double rate = 1;  // probability that a transfer to the RSE ending in the episode fails
};

// The replicas an RSE holds before the run starts: a catalog of any size as its aggregates
// (docs/design.md §3.3), never as objects. `files` files of `bytes` in all, split evenly over
// `datasets` dataset groups, each one catalog dataset standing for many real datasets (what
// the reaper and the deletion campaigns need is files and bytes per RSE). Scenario input.
struct InitialCatalogSpec {
  std::int64_t files = 0;
  double bytes = 0;
  int datasets = 1;  // Default 1: one group per RSE
};

struct RseSpec {
  std::string name;
  std::string site;
  std::string storage;  // storage technology (EOS, dCache, ...), informative
  double quota_bytes = 0;
  double min_free_bytes = 0;
  // Failure probability of transfers to this RSE (replaces transfers.failure_rate).
  std::optional<double> failure_rate;
  // RSE attributes (e.g. QOS: FAST), selected in RSE expressions by KEY=VALUE terms.
  std::map<std::string, std::string> attributes;
  // RSE attribute available_for_multihop: transfers may pass through this RSE. Default
  // false (Rucio's).
  bool multihop = false;
  // Destinations this RSE has no usable direct link to (no DISTANCES row, or no protocol in
  // common). Default none: every ordered pair of RSEs is linked, at distance 1.
  std::vector<std::string> no_link_to;
  // Failure episodes of transfers to this RSE. Default none.
  std::vector<FailureEpisode> failure_episodes;
  // Replicas present before the run. Default none: the RSE starts empty.
  std::optional<InitialCatalogSpec> catalog;
  SourceLocation where;
};

// How transfers become engine activities (docs/design.md §3.4: "the benchmark decides").
enum class TransferModel {
  PerFile,  // one worker actor per active slot, one SimGrid comm per file (exact, slow)
  PerLink,  // one actor per link moving its active transfers as one flow per wave (fast)
};

struct TransferSpec {
  // Default per_link: at FDR scale (~850k transfers) one comm per file costs ~30 s of wall
  // time; per link, each wave of up to max_active_per_link files shares one setup and one flow.
  TransferModel model = TransferModel::PerLink;
  // The FTS optimizer sets each link's active transfers every 60 s (fts3 3.14.4
  // OptimizerConnections.cpp). Default true: FTS runs it on every link.
  bool optimizer = true;
  // Concurrent transfers per (source, destination) link when the optimizer is off. Default
  // 50: assumption.
  int max_active_per_link = 50;
  // Probability that one transfer attempt fails at FTS, for every link; an RSE's own
  // `failure_rate` replaces it for transfers to that RSE. Default 0: assumption (the FDR's
  // failure rates are not published).
  double failure_rate = 0;
  // Fixed cost of one transfer besides moving its bytes (FTS scheduling, TPC handshake,
  // checksums). Default 2 s: assumption.
  double setup_s = 2.0;
  // Rucio config transfers.use_multihop: a pair without a usable direct link is served through
  // RSEs with `multihop: true`. Default false (Rucio's).
  bool multihop = false;
  // Rucio config transfers.hop_penalty, added to every hop's distance. Default 10 (Rucio's).
  double hop_penalty = 10;
  // FTS MaxUrlCopyProcesses: at most this many fts_url_copy processes (running transfers) on
  // the FTS host, over all links (serverconfigreader.cpp#L317-L318, TransfersService.cpp
  // #L271-L281, cern-fts/fts3 v3.9.5). Default 400, FTS's; dlsim models the FTS instance as
  // one host (assumption: how many hosts served ESCAPE's FTS in Nov 2020 is not published).
  int max_url_copy_processes = 400;
  // FTS SchedulingInterval: free slots are filled every 2 s (serverconfigreader.cpp
  // #L347-L348, TransfersService.cpp#L76). Default 2 s, FTS's.
  double scheduling_interval_s = 2.0;
  // How the FTS instance is deployed: VMs running every service, or its services as
  // Kubernetes Deployments (scenario/fts.hpp). Default: absent, FTS is one host.
  std::optional<FtsDeploymentSpec> fts;
};

struct RuleSpec {
  // RSE names separated by '|' (a union), or '*' for every RSE.
  std::string rse_expression;
  int copies = 1;
  std::optional<double> lifetime_s;
  // On each dataset (default), or once on the campaign's container (needs `container`).
  bool on_container = false;
  // Asynchronous rules go to judge-injector whatever their size (rucio 1.23.10
  // lib/rucio/daemons/judge/injector.py#L78-154). Default false: Rucio's add_rule default.
  bool asynchronous = false;
  // Container rules only: added this long after the campaign window's start, on the container
  // as it is then, instead of before its first dataset. Default: unset (before).
  std::optional<double> after_s;
  SourceLocation where;
};

// How a campaign's files reach their datasets. PerDataset: each dataset is registered filled,
// once its last file is uploaded (one attach call for all its files). PerFile: each dataset
// is created (and attached to its container) when its upload starts, and its files are
// attached as they are uploaded, `files_per_call` per attach call, as Rucio 1.23's upload
// client does with one call per file (uploadclient.py#L298); every call is one UPDATED_DIDS
// ATTACH row on the dataset (did.py#L502-563).
enum class AttachMode { PerDataset, PerFile };
struct AttachSpec {
  AttachMode mode = AttachMode::PerDataset;  // Default: one registration per dataset
  int files_per_call = 1;                    // Default 1: the upload client's
};

// An injection campaign: files uploaded to one RSE at a constant rate between start and end,
// grouped in datasets, each dataset replicated by the campaign's rules.
struct InjectionSpec {
  std::string name;
  std::int64_t files = 0;
  double file_size_bytes = 0;
  std::string rse;
  double start_s = 0;
  std::optional<double> end_s;  // default: the scenario's duration
  int files_per_dataset = 100;
  // Upload clients working at once; dataset k is uploaded and registered by client
  // k mod uploaders, which falls behind the schedule when the servers are slow.
  int uploaders = 1;
  std::optional<double> lifetime_s;
  // Container the datasets are attached to as they are created (one UPDATED_DIDS row each).
  std::optional<std::string> container;
  std::vector<RuleSpec> rules;
  AttachSpec attach;
  // The campaign runs again every `every` (its window [start, end) shifted by n × every, n =
  // 1, 2, … while it starts before the scenario ends), `files` each time. Default: once.
  std::optional<double> every_s;
  SourceLocation where;
};

// A deletion campaign: `files` replicas of the catalog that existed before the run (the
// RSEs' `catalog`) get a tombstone, at a constant rate between start and end, every
// `period`, spread over the RSEs of `rse_expression` in proportion to their initial files;
// the reaper deletes them (models/workload/deletion.cpp).
struct DeletionSpec {
  std::string name;
  std::int64_t files = 0;
  std::string rse_expression = "*";  // Default: every RSE with a catalog
  double start_s = 0;
  std::optional<double> end_s;  // default: the scenario's duration
  double period_s = 60;         // Default 60 s: assumption (how often tombstones are set)
  SourceLocation where;
};

// The FDR background noise (fdr/README.md): every `period`, for every ordered pair of RSEs
// (i, j), one file uploaded to i and a one-copy rule to j, both with `lifetime`.
struct NoiseSpec {
  double file_size_bytes = 100.0 * 1024 * 1024;  // Default 100 MiB: fdr/README.md
  double lifetime_s = 3600;                      // Default 1 h: fdr/README.md
  double period_s = 600;                         // Default 10 min: fdr/README.md
  double start_s = 0;
};

// A population of API clients (docs/design.md §3.5), each a closed loop: one call, then a think
// time drawn from an exponential distribution of mean `interval`, and so on; every client
// renews its auth token hourly.
enum class ClientOperation { ListReplicas, ListDids, GetDid, Download };

struct ClientPopulationSpec {
  std::string name;
  int clients = 1;
  double interval_s = 60;
  ClientOperation operation = ClientOperation::ListReplicas;
  // Rows each call reads and returns (list calls stream one JSON line per row).
  std::int64_t rows = 100;
  // Bytes one download reads from its RSE (download only; required there).
  double file_size_bytes = 0;
  double start_s = 0;
  std::optional<double> end_s;  // default: the scenario's end
  SourceLocation where;
};

struct WorkloadSpec {
  std::map<std::string, InjectionSpec> injections;
  std::map<std::string, DeletionSpec> deletions;
  std::optional<NoiseSpec> noise;
  std::map<std::string, ClientPopulationSpec> clients;
};

std::string to_string(ClientOperation op);

struct Scenario {
  std::string file;  // path as given
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double duration_s = 0;
  // Default 15 s: Prometheus' usual scrape interval (docs/design.md §5).
  double sample_interval_s = 15;
  ClusterSpec cluster;
  DatabaseSpec database;
  RucioSpec rucio;
  NetworkSpec network;
  std::map<std::string, RseSpec> rses;
  TransferSpec transfers;
  WorkloadSpec workload;
  BatchSpec batch;
  SizingSpec sizing;
};

std::string to_string(DatabaseEngine e);

}  // namespace dlsim::scenario
