// Loading a run directory for the report: the files of docs/outputs.md, read once.
#include <algorithm>

#include <fmt/core.h>

#include "analysis/report_sections.hpp"
#include "scenario/diagnostics.hpp"

namespace dlsim::analysis::report {
namespace fs = std::filesystem;

namespace {

nlohmann::json required_json(const fs::path& path) {
  auto j = read_json_if_exists(path);
  if (!j)
    throw scenario::InputError({path.string(), 1, 1}, "",
                               "cannot read the file (is this a dlsim run directory?)");
  return *j;
}

void load_pods(RunData& run) {
  CsvReader csv(run.dir / "pods.csv");
  const auto c_pod = csv.column("pod"), c_service = csv.column("service"),
             c_node = csv.column("node"), c_phase = csv.column("phase"),
             c_cpu_req = csv.column("cpu_request_cores"), c_cpu_lim = csv.column("cpu_limit_cores"),
             c_mem_req = csv.column("mem_request_bytes"), c_mem_lim = csv.column("mem_limit_bytes");
  while (csv.next()) {
    PodRow p{csv.text(c_pod),
             csv.text(c_service),
             csv.text(c_node),
             csv.text(c_phase),
             csv.optional_number(c_cpu_req),
             csv.optional_number(c_cpu_lim),
             csv.optional_number(c_mem_req),
             csv.optional_number(c_mem_lim)};
    run.pod_index[p.name] = run.pods.size();
    run.pods.push_back(std::move(p));
  }
}

void load_events(RunData& run) {
  CsvReader csv(run.dir / "events.csv");
  const auto c_t = csv.column("time_s"), c_kind = csv.column("kind"),
             c_object = csv.column("object"), c_node = csv.column("node"),
             c_detail = csv.column("detail");
  while (csv.next())
    run.events.push_back({csv.number(c_t), csv.text(c_kind), csv.text(c_object), csv.text(c_node),
                          csv.text(c_detail)});
}

// Adds one pod's sample to its service's aggregates at time t (rows come grouped by time).
void add_sample(ServiceUsage& u, double t, double mem, double cpu, double throttled) {
  if (u.mem_ws_max_bytes.t_s.empty() || u.mem_ws_max_bytes.t_s.back() != t) {
    u.mem_ws_max_bytes.add(t, mem);
    u.mem_ws_mean_bytes.add(t, mem);
    u.cpu_max_cores.add(t, cpu);
    u.cpu_mean_cores.add(t, cpu);
    u.throttled_mean_fraction.add(t, throttled);
    u.pods_in_sample = 1;
    return;
  }
  const double n = ++u.pods_in_sample;
  u.mem_ws_max_bytes.values.back() = std::max(u.mem_ws_max_bytes.values.back(), mem);
  u.cpu_max_cores.values.back() = std::max(u.cpu_max_cores.values.back(), cpu);
  auto running_mean = [n](double& mean, double v) { mean += (v - mean) / n; };
  running_mean(u.mem_ws_mean_bytes.values.back(), mem);
  running_mean(u.cpu_mean_cores.values.back(), cpu);
  running_mean(u.throttled_mean_fraction.values.back(), throttled);
}

void load_pod_samples(RunData& run) {
  CsvReader csv(run.dir / "timeseries" / "pods.csv");
  const auto c_t = csv.column("time_s"), c_object = csv.column("object"),
             c_cpu = csv.column("cpu_cores"), c_thr = csv.column("throttled_fraction"),
             c_mem = csv.column("mem_ws_bytes");
  while (csv.next()) {
    auto it = run.pod_index.find(csv.text(c_object));
    if (it == run.pod_index.end())
      throw scenario::InputError({(run.dir / "timeseries" / "pods.csv").string(), csv.line(), 1},
                                 "",
                                 fmt::format("pod '{}' is not in pods.csv", csv.text(c_object)));
    const double t = csv.number(c_t);
    add_sample(run.usage[run.pods[it->second].service], t, csv.number(c_mem), csv.number(c_cpu),
               csv.number(c_thr));
    run.pod_last_sample_s[it->first] = t;
  }
}

}  // namespace

RunData load_run(const fs::path& dir) {
  RunData run;
  run.dir = dir;
  run.summary = required_json(dir / "summary.json");
  run.run = required_json(dir / "run.json");
  try {
    run.end_s = run.summary.at("simulated_s").get<double>();
    for (const auto& s : run.summary.at("services")) run.services.push_back(s.at("name"));
  } catch (const nlohmann::json::exception& e) {
    throw scenario::InputError({(dir / "summary.json").string(), 1, 1}, "",
                               fmt::format("not a dlsim.summary/1 file: {}", e.what()));
  }
  load_pods(run);
  for (const auto& p : run.pods)
    if (std::find(run.services.begin(), run.services.end(), p.service) == run.services.end())
      run.services.push_back(p.service);
  load_events(run);
  load_pod_samples(run);
  return run;
}

}  // namespace dlsim::analysis::report
