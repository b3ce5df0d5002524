// Reading the Kubernetes parts of a scenario (docs/scenario.md: resources, node pool
// autoscaling, cluster.autoscaler, <service>.autoscaling, batch): used by scenario_loader.
#pragma once

#include <optional>

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace dlsim::scenario {

// `resources: {requests: {cpu, memory}, limits: {cpu, memory}}` of a container.
ResourceSpec parse_resources(MapReader& parent);
// Node pool keys of the autoscaler and the kubelet: min, max, provisioning_delay, eviction_hard.
void parse_node_pool_k8s(MapReader& pool_reader, NodePoolSpec& pool);
void parse_cluster_autoscaler(const InputContext& ctx, const YAML::Node& node,
                              ClusterAutoscalerSpec& out);
// `autoscaling:` of a service, if present.
std::optional<AutoscalingSpec> parse_autoscaling(MapReader& service);
// `cluster:`: node pools, scheduler, cluster autoscaler.
void parse_cluster(const InputContext& ctx, const YAML::Node& node, ClusterSpec& cluster);
void parse_batch(const InputContext& ctx, const YAML::Node& node, BatchSpec& out);

}  // namespace dlsim::scenario
