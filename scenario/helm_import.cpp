#include "scenario/helm_import.hpp"

#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "scenario/helm_charts.hpp"
#include "scenario/helm_import_detail.hpp"

namespace dlsim::scenario {
namespace helm_detail {

void add_entry(Deployment& d, const HelmValues& values, const HelmValue& from,
               const std::string& helm_path, std::string path, std::string value) {
  d.entries.push_back({std::move(path), std::move(value), values.locate(from, helm_path)});
}

std::int64_t read_whole(const HelmValues& values, const HelmValue& v, const std::string& path,
                        std::int64_t min, std::int64_t max) {
  return read_integer(values.context(v), v.node, path, min, max);
}

void add_resources(Deployment& d, const HelmValues& values, const HelmValue& resources,
                   const std::string& helm_path, const std::string& service_path,
                   std::vector<std::string>& warnings) {
  if (!resources.node.IsMap())
    values.context(resources).fail(resources.node, helm_path, "expected a mapping");
  HelmMap r(values, resources, helm_path, warnings);
  for (const std::string kind : {"requests", "limits"}) {
    const HelmValue* part = r.get(kind);
    if (part == nullptr) continue;
    const std::string part_path = r.child_path(kind);
    if (!part->node.IsMap())
      values.context(*part).fail(part->node, part_path, "expected a mapping");
    HelmMap p(values, *part, part_path, warnings);
    if (const HelmValue* cpu = p.get("cpu")) {
      read_cpu_cores(values.context(*cpu), cpu->node, p.child_path("cpu"));
      add_entry(d, values, *cpu, p.child_path("cpu"), service_path + ".resources." + kind + ".cpu",
                cpu->node.Scalar());
    }
    if (const HelmValue* mem = p.get("memory")) {
      read_bytes(values.context(*mem), mem->node, p.child_path("memory"));
      add_entry(d, values, *mem, p.child_path("memory"),
                service_path + ".resources." + kind + ".memory", mem->node.Scalar());
    }
    // ephemeral-storage, hugepages-*, extended resources: the pod model has CPU and memory.
    p.finish("a container's resources (dlsim models cpu and memory)");
  }
  r.finish("resources");
}

namespace {

// One option flag of a daemon's template: passed only when the value is truthy.
void add_option(Deployment& d, const HelmValues& values, const HelmValue& v,
                const std::string& path, const std::string& service_path, const HelmOption& o) {
  std::string text;
  switch (o.unit) {
    case HelmOptionUnit::Flag:
      text = "true";  // `{{ if .greedy }}--greedy{{ end }}`
      break;
    case HelmOptionUnit::Seconds:  // the daemons' --sleep-time etc. take whole seconds
      text = fmt::format("{}s", read_whole(values, v, path, 1, 366 * 86400));
      break;
    case HelmOptionUnit::Count:
      text = fmt::format("{}", read_whole(values, v, path, 1, 1'000'000'000'000));
      break;
  }
  add_entry(d, values, v, path, service_path + ".options." + o.option, text);
}

// 0fee800's `reaper` section is the old rucio-reaper (--total-workers, --threads-per-worker,
// helm@0fee800:rucio-daemons/templates/reaper.yaml#L88), which dlsim does not model.
bool is_old_reaper(const HelmValue& root, const HelmDaemonSection& s) {
  if (s.section != "reaper") return false;
  if (root.children.count("reaper2Count") || root.children.count("reaper2")) return true;
  auto it = root.children.find("reaper");
  return it != root.children.end() &&
         (it->second.children.count("workers") || it->second.children.count("threadsPerWorker"));
}

void import_section(Deployment& d, const HelmValues& values, const HelmDaemonSection& s,
                    const HelmValue& count, const HelmValue* section,
                    std::vector<std::string>& warnings) {
  const std::string service_path = "daemons." + s.service;
  const std::string count_path = s.section + "Count";
  add_entry(d, values, count, count_path, service_path + ".replicas", count.node.Scalar());
  if (!s.kind.empty()) add_entry(d, values, count, count_path, service_path + ".kind", s.kind);
  if (section == nullptr) {
    if (s.threads_always)
      values.context(count).fail(
          count.node, s.section + ".threads",
          "must be set (the chart passes --threads {{ .threads }}; its values.yaml "
          "says 1: list it first)");
    return;
  }
  HelmMap m(values, *section, s.section, warnings);
  m.ignore(helm_daemon_common_ignored());
  m.ignore(s.ignored);
  const HelmValue* threads = m.get("threads");
  if (s.threads_always && threads == nullptr)
    values.context(count).fail(
        count.node, m.child_path("threads"),
        "must be set (the chart passes --threads {{ .threads }}; its values.yaml "
        "says 1: list it first)");
  if (s.threads_always && !helm_truthy(threads))
    values.context(*threads).fail(threads->node, m.child_path("threads"),
                                  fmt::format("'{}' starts no worker (expected 1 to 1000; the "
                                              "chart passes --threads {{{{ .threads }}}})",
                                              threads->node.Scalar()));
  if (helm_truthy(threads))
    add_entry(d, values, *threads, m.child_path("threads"), service_path + ".threads",
              fmt::format("{}", read_whole(values, *threads, m.child_path("threads"), 1, 1000)));
  if (const HelmValue* r = m.get("resources"); helm_truthy(r))
    add_resources(d, values, *r, m.child_path("resources"), service_path, warnings);
  for (const auto& o : s.options)
    if (const HelmValue* v = m.get(o.key); helm_truthy(v))
      add_option(d, values, *v, m.child_path(o.key), service_path, o);
  m.finish(fmt::format("the rucio-daemons chart's '{}'", s.section));
}

}  // namespace

void import_daemons(Deployment& d, const HelmValues& values, std::vector<std::string>& warnings) {
  HelmMap top(values, values.root(), "", warnings);
  top.ignore(helm_daemons_global_ignored());
  for (const auto& s : helm_daemon_sections()) {
    const HelmValue* count = top.get(s.section + "Count");
    const HelmValue* section = top.get(s.section);
    if (count == nullptr) continue;  // the template compares it with 0.0: absent, no Deployment
    if (count->node.Tag() == "!" || !count->node.IsScalar())
      values.context(*count).fail(count->node, s.section + "Count",
                                  "expected a number (the chart compares it with 0.0)");
    if (read_whole(values, *count, s.section + "Count", 0, 10'000) == 0) continue;
    if (s.service.empty() || is_old_reaper(values.root(), s)) {
      warnings.push_back(format_warning(
          values.locate(*count, s.section + "Count"), s.section + "Count",
          fmt::format("dlsim does not model the {} daemon; its {} pod(s) are left out",
                      s.section == "reaper" ? "old reaper (rucio-reaper)" : s.section,
                      count->node.Scalar())));
      continue;
    }
    import_section(d, values, s, *count, section, warnings);
  }
  top.finish("the rucio-daemons chart");
}

}  // namespace helm_detail

Deployment import_helm(const HelmReleases& releases, std::vector<std::string>& warnings) {
  Deployment d;
  auto run = [&](const std::vector<std::string>& files, const std::string& chart, auto import) {
    if (files.empty()) return;
    HelmValues values(files, warnings);
    std::string list;
    for (const auto& f : files) list += (list.empty() ? "" : ", ") + f;
    d.sources.push_back(chart + ": " + list);
    import(values);
  };
  run(releases.daemons, "rucio-daemons",
      [&](const HelmValues& v) { helm_detail::import_daemons(d, v, warnings); });
  run(releases.server, "rucio-server",
      [&](const HelmValues& v) { helm_detail::import_server(d, v, false, warnings); });
  run(releases.server_auth, "rucio-server (server-auth)",
      [&](const HelmValues& v) { helm_detail::import_server(d, v, true, warnings); });
  run(releases.ui, "rucio-ui",
      [&](const HelmValues& v) { helm_detail::import_ui(d, v, warnings); });
  // Servers before daemons, services in name order, each service's keys as written.
  auto service_of = [](const DeploymentEntry& e) {
    auto second = e.path.find('.', e.path.find('.') + 1);
    std::string group_and_name = e.path.substr(0, second);
    return std::make_pair(group_and_name.rfind("servers", 0) == 0 ? 0 : 1, group_and_name);
  };
  std::stable_sort(d.entries.begin(), d.entries.end(),
                   [&](const auto& a, const auto& b) { return service_of(a) < service_of(b); });
  std::map<std::string, SourceLocation> services;  // e.g. 0fee800's authReplicaCount twice
  for (const auto& e : d.entries) {
    if (e.path.size() < 9 || e.path.compare(e.path.size() - 9, 9, ".replicas") != 0) continue;
    const std::string service = e.path.substr(0, e.path.size() - 9);
    if (auto [it, fresh] = services.emplace(service, e.where); !fresh)
      throw InputError(e.where, "rucio." + service,
                       fmt::format("this release also deploys '{}', already deployed by {}:{}:{}",
                                   service.substr(service.find('.') + 1), it->second.file,
                                   it->second.line, it->second.column));
  }
  return d;
}

}  // namespace dlsim::scenario
