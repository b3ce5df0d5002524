// Per node, node pool, queue table, RSE and FTS link: the long-format time series of
// timeseries/{nodes,cluster,tables,rses,links}.csv, one family per column.
// kube_node_status_allocatable is kube-state-metrics' (kubernetes/kube-state-metrics
// docs/node-metrics.md: labels node, resource, unit); the rest is dlsim's own, `dlsim_`.
#include <fmt/core.h>

#include "analysis/openmetrics_sections.hpp"
#include "analysis/report_data.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis::openmetrics {
namespace fs = std::filesystem;

namespace {

// One object's rows of a long CSV: times and the chosen columns' values.
struct ObjectRows {
  std::string object;
  int first_line = 0;
  std::vector<double> t_s;
  std::vector<std::vector<double>> values;  // [row][column]
};

// Objects in order of first appearance.
std::vector<ObjectRows> read_long_csv(const fs::path& path,
                                      const std::vector<std::string>& columns) {
  CsvReader csv(path);
  const auto c_t = csv.column("time_s"), c_object = csv.column("object");
  std::vector<std::size_t> cols;
  for (const auto& c : columns) cols.push_back(csv.column(c));
  std::vector<ObjectRows> objects;
  std::map<std::string, std::size_t> index;
  while (csv.next()) {
    const auto [it, added] = index.emplace(csv.text(c_object), objects.size());
    if (added) objects.push_back({csv.text(c_object), csv.line(), {}, {}});
    ObjectRows& o = objects[it->second];
    o.t_s.push_back(csv.number(c_t));
    auto& row = o.values.emplace_back();
    for (auto c : cols) row.push_back(csv.number(c));
  }
  return objects;
}

// A family fed by one column; `labels` gives an object's own labels, or nullopt to skip it.
struct ColumnFamily {
  std::size_t column;
  Family family;
};

template <typename LabelsOf>
void column_families(Writer& w, const RunContext& run, const std::vector<ObjectRows>& objects,
                     const std::vector<ColumnFamily>& families, LabelsOf labels_of) {
  for (const auto& f : families) {
    w.family(f.family);
    for (const auto& o : objects) {
      const std::optional<Labels> own = labels_of(o);
      if (!own) continue;
      const std::string labels = run.labels(*own);
      for (std::size_t k = 0; k < o.t_s.size(); ++k)
        w.sample(labels, o.t_s[k], o.values[k][f.column]);
    }
  }
}

// kube_node_status_allocatable from summary.json nodes[] at every sample of the node.
void allocatable_family(Writer& w, const RunContext& run, const std::vector<ObjectRows>& nodes) {
  std::map<std::string, std::pair<double, double>> allocatable;  // cores, bytes
  try {
    for (const auto& n : run.summary.at("nodes"))
      allocatable[n.at("name").get<std::string>()] = {n.at("cpu_allocatable_cores").get<double>(),
                                                      n.at("mem_allocatable_bytes").get<double>()};
  } catch (const nlohmann::json::exception& e) {
    throw scenario::InputError({(run.dir / "summary.json").string(), 1, 1}, "",
                               fmt::format("not a dlsim summary: {}", e.what()));
  }
  w.family({"kube_node_status_allocatable", Type::gauge, "",
            "Allocatable resources of the node (summary.json nodes[]): cpu in cores, memory in "
            "bytes; a sample while the node is in the cluster."});
  for (const auto& [resource, unit, cpu] :
       {std::tuple{"cpu", "core", true}, std::tuple{"memory", "byte", false}})
    for (const auto& o : nodes) {
      const auto it = allocatable.find(o.object);
      if (it == allocatable.end())
        throw scenario::InputError(
            {(run.dir / "timeseries" / "nodes.csv").string(), o.first_line, 1}, "",
            fmt::format("node '{}' is not in summary.json nodes[]", o.object));
      const std::string labels =
          run.labels({{"node", o.object}, {"resource", resource}, {"unit", unit}});
      for (double t : o.t_s) w.sample(labels, t, cpu ? it->second.first : it->second.second);
    }
}

}  // namespace

void write_node_families(Writer& w, const RunContext& run) {
  const auto nodes = read_long_csv(
      run.dir / "timeseries" / "nodes.csv",
      {"cpu_used_cores", "mem_ws_bytes", "cpu_requested_cores", "mem_requested_bytes"});
  allocatable_family(w, run, nodes);
  column_families(
      w, run, nodes,
      {{0, {"dlsim_node_cpu_used_cores", Type::gauge, "cores", "CPU used by the node's pods."}},
       {1,
        {"dlsim_node_memory_working_set_bytes", Type::gauge, "bytes",
         "Working set of the node's pods."}},
       {2,
        {"dlsim_node_cpu_requested_cores", Type::gauge, "cores",
         "CPU requests of the pods bound to the node."}},
       {3,
        {"dlsim_node_memory_requested_bytes", Type::gauge, "bytes",
         "Memory requests of the pods bound to the node."}}},
      [](const ObjectRows& o) -> std::optional<Labels> {
        return Labels{{"node", o.object}};
      });
  const auto pools =
      read_long_csv(run.dir / "timeseries" / "cluster.csv",
                    {"nodes_ready", "nodes_not_ready", "nodes_provisioning", "pods_pending"});
  w.family({"dlsim_pool_nodes", Type::gauge, "",
            "Nodes of the pool by state: ready, not_ready (in the cluster), provisioning "
            "(asked for by the autoscaler)."});
  for (std::size_t c = 0; c < 3; ++c) {
    const char* state = c == 0 ? "ready" : c == 1 ? "not_ready" : "provisioning";
    for (const auto& o : pools) {
      if (o.object == "*") continue;
      const std::string labels = run.labels({{"pool", o.object}, {"state", state}});
      for (std::size_t k = 0; k < o.t_s.size(); ++k) w.sample(labels, o.t_s[k], o.values[k][c]);
    }
  }
  column_families(
      w, run, pools,
      {{3, {"dlsim_cluster_pending_pods", Type::gauge, "", "Pods Pending in the whole cluster."}}},
      [](const ObjectRows& o) -> std::optional<Labels> {
        if (o.object != "*") return std::nullopt;
        return Labels{};
      });
}

void write_dlsim_families(Writer& w, const RunContext& run) {
  const auto tables =
      read_long_csv(run.dir / "timeseries" / "tables.csv", {"rows", "inserted", "drained"});
  column_families(
      w, run, tables,
      {{0, {"dlsim_queue_table_rows", Type::gauge, "rows", "Rows in the queue table."}},
       {1, {"dlsim_queue_table_inserted_rows", Type::counter, "rows", "Rows inserted."}},
       {2,
        {"dlsim_queue_table_drained_rows", Type::counter, "rows",
         "Rows committed by the draining daemon."}}},
      [](const ObjectRows& o) -> std::optional<Labels> {
        return Labels{{"table", o.object}};
      });
  const auto rses =
      read_long_csv(run.dir / "timeseries" / "rses.csv", {"files", "bytes", "free_bytes"});
  column_families(w, run, rses,
                  {{0, {"dlsim_rse_files", Type::gauge, "files", "File replicas held by the RSE."}},
                   {1, {"dlsim_rse_used_bytes", Type::gauge, "bytes", "Bytes of those replicas."}},
                   {2, {"dlsim_rse_free_bytes", Type::gauge, "bytes", "Quota minus used bytes."}}},
                  [](const ObjectRows& o) -> std::optional<Labels> {
                    return Labels{{"rse", o.object}};
                  });
  const fs::path links_path = run.dir / "timeseries" / "links.csv";
  const auto links = read_long_csv(
      links_path, {"active_limit", "queued", "in_flight", "done", "failed", "bytes_done"});
  const auto link_labels = [&](const ObjectRows& o) -> std::optional<Labels> {
    const auto arrow = o.object.find("->");
    if (arrow == std::string::npos)
      throw scenario::InputError({links_path.string(), o.first_line, 1}, "",
                                 fmt::format("link '{}' is not SOURCE->DESTINATION", o.object));
    return Labels{{"src_rse", o.object.substr(0, arrow)}, {"dst_rse", o.object.substr(arrow + 2)}};
  };
  column_families(
      w, run, links,
      {{0,
        {"dlsim_fts_link_active_limit", Type::gauge, "",
         "Active transfers the FTS optimizer allows on the link."}},
       {1,
        {"dlsim_fts_link_queued_transfers", Type::gauge, "transfers",
         "Transfers submitted and waiting for a slot."}},
       {2, {"dlsim_fts_link_in_flight_transfers", Type::gauge, "transfers", "Transfers running."}},
       {3, {"dlsim_fts_link_done_transfers", Type::counter, "transfers", "Successful attempts."}},
       {4, {"dlsim_fts_link_failed_transfers", Type::counter, "transfers", "Failed attempts."}},
       {5,
        {"dlsim_fts_link_done_bytes", Type::counter, "bytes",
         "Bytes of the successful attempts."}}},
      link_labels);
}

}  // namespace dlsim::analysis::openmetrics
