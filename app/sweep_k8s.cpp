// `dlsim sweep PLAN --emit k8s-job`: a Kubernetes Indexed Job (batch/v1, completionMode
// Indexed) whose completion index is the shard, so that any cluster fans a plan out without
// a tool of ours. Each pod runs `dlsim sweep PLAN --shard $(JOB_COMPLETION_INDEX)/N` and
// writes its shard directory onto the output volume; `dlsim sweep merge` joins them.
#include <cctype>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include "app/cli_sweep.hpp"

namespace dlsim::sim {
namespace {

// A DNS-1123 label (the Job name): lowercase letters, digits and '-', at most 63 characters;
// the Job controller appends "-<index>-<suffix>" to pod names, so keep it short.
std::string job_name(const std::string& plan_name) {
  std::string out = "dlsim-sweep-";
  for (char c : plan_name) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
  }
  if (out.size() > 50) out.resize(50);
  while (out.back() == '-') out.pop_back();
  return out;
}

void emit_container(YAML::Emitter& y, const SweepPlan& plan, const std::string& plan_arg) {
  const auto& k = plan.kubernetes;
  const std::string out_dir = fmt::format("/out/{}/shard-$(JOB_COMPLETION_INDEX)", plan.name);
  y << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "dlsim";
  y << YAML::Key << "image" << YAML::Value << k.image;
  if (!k.working_dir.empty()) y << YAML::Key << "workingDir" << YAML::Value << k.working_dir;
  y << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq << "dlsim"
    << YAML::EndSeq;
  // args are strings in the API (a bare 2 would be an integer): quote them all.
  const std::vector<std::string> args = {
      "sweep",   k.plan_path.empty() ? plan_arg : k.plan_path,
      "--shard", fmt::format("$(JOB_COMPLETION_INDEX)/{}", k.shards),
      "--jobs",  std::to_string(k.jobs),
      "-o",      out_dir};
  y << YAML::Key << "args" << YAML::Value << YAML::BeginSeq;
  for (const auto& a : args) y << YAML::DoubleQuoted << a;
  y << YAML::EndSeq;
  // The Job controller sets JOB_COMPLETION_INDEX itself; declaring it from the pod's
  // completion-index annotation makes the $(…) expansion in args independent of that.
  y << YAML::Key << "env" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "JOB_COMPLETION_INDEX";
  y << YAML::Key << "valueFrom" << YAML::Value << YAML::BeginMap << YAML::Key << "fieldRef"
    << YAML::Value << YAML::BeginMap << YAML::Key << "fieldPath" << YAML::Value
    << "metadata.annotations['batch.kubernetes.io/job-completion-index']" << YAML::EndMap
    << YAML::EndMap;
  y << YAML::EndMap << YAML::EndSeq;
  y << YAML::Key << "resources" << YAML::Value << YAML::BeginMap << YAML::Key << "requests"
    << YAML::Value << YAML::BeginMap << YAML::Key << "cpu" << YAML::Value << YAML::DoubleQuoted
    << k.cpu_request << YAML::Key << "memory" << YAML::Value << YAML::DoubleQuoted
    << k.memory_request << YAML::EndMap << YAML::EndMap;
  y << YAML::Key << "volumeMounts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key
    << "name" << YAML::Value << "output" << YAML::Key << "mountPath" << YAML::Value << "/out"
    << YAML::EndMap << YAML::EndSeq;
  y << YAML::EndMap << YAML::EndSeq;
}

void emit_volumes(YAML::Emitter& y, const SweepKubernetes& k) {
  y << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "output";
  if (k.output_claim.empty())
    y << YAML::Key << "emptyDir" << YAML::Value << YAML::BeginMap << YAML::EndMap;
  else
    y << YAML::Key << "persistentVolumeClaim" << YAML::Value << YAML::BeginMap << YAML::Key
      << "claimName" << YAML::Value << k.output_claim << YAML::EndMap;
  y << YAML::EndMap << YAML::EndSeq;
}

}  // namespace

std::string k8s_job_manifest(const SweepPlan& plan, const std::string& plan_arg) {
  const auto& k = plan.kubernetes;
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "apiVersion" << YAML::Value << "batch/v1";
  y << YAML::Key << "kind" << YAML::Value << "Job";
  y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name"
    << YAML::Value << job_name(plan.name) << YAML::Key << "labels" << YAML::Value << YAML::BeginMap
    << YAML::Key << "app.kubernetes.io/name" << YAML::Value << "dlsim" << YAML::EndMap
    << YAML::EndMap;
  y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "completionMode" << YAML::Value << "Indexed";
  y << YAML::Key << "completions" << YAML::Value << k.shards;
  y << YAML::Key << "parallelism" << YAML::Value << (k.parallelism > 0 ? k.parallelism : k.shards);
  y << YAML::Key << "backoffLimit" << YAML::Value << k.backoff_limit;
  y << YAML::Key << "template" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "labels"
    << YAML::Value << YAML::BeginMap << YAML::Key << "app.kubernetes.io/name" << YAML::Value
    << "dlsim" << YAML::EndMap << YAML::EndMap;
  y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "restartPolicy" << YAML::Value << "Never";
  y << YAML::Key << "containers" << YAML::Value;
  emit_container(y, plan, plan_arg);
  y << YAML::Key << "volumes" << YAML::Value;
  emit_volumes(y, k);
  y << YAML::EndMap << YAML::EndMap << YAML::EndMap << YAML::EndMap;
  return fmt::format(
      "# dlsim sweep {} --emit k8s-job: {} shard(s) of {} run(s); then\n"
      "# dlsim sweep merge /out/{}/shard-* -o MERGED\n{}\n",
      plan.file, k.shards, plan.points.size() * plan.seeds.size(), plan.name, y.c_str());
}

}  // namespace dlsim::sim
