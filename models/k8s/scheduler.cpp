// kube-scheduler filter, scores, tie-break and preemption; see scheduler.hpp for the sources.
#include "models/k8s/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "sim/rng.hpp"

namespace dlsim::models::k8s {

namespace {

// Requests in the scheduler's integer units: millicores and bytes.
struct IntRes {
  std::int64_t cpu_m = 0;
  std::int64_t mem_b = 0;
};

IntRes to_int(const CpuMem& r) {
  return {to_millicores(r.cpu_cores), std::llround(r.mem_bytes)};
}

IntRes pod_real_request(const PodView& pod) {
  return to_int({pod.cpu_request_cores.value_or(0.0), pod.mem_request_bytes.value_or(0.0)});
}

IntRes pod_non_zero_request(const PodView& pod) {
  return to_int(non_zero_request(pod));
}

// fitsRequest (fit.go): pod count, then each positive request against free allocatable.
bool fits(const IntRes& alloc, const IntRes& used, int pod_count, int max_pods, const IntRes& req) {
  if (pod_count + 1 > max_pods) return false;
  if (req.cpu_m > 0 && req.cpu_m > alloc.cpu_m - used.cpu_m) return false;
  if (req.mem_b > 0 && req.mem_b > alloc.mem_b - used.mem_b) return false;
  return true;
}

std::int64_t least_allocated(std::int64_t requested, std::int64_t capacity) {
  if (requested > capacity) return 0;
  return (capacity - requested) * kMaxNodeScore / capacity;
}

std::int64_t most_allocated(std::int64_t requested, std::int64_t capacity) {
  return std::min(requested, capacity) * kMaxNodeScore / capacity;
}

}  // namespace

CpuMem non_zero_request(const PodView& pod) {
  if (pod.non_zero_request) return *pod.non_zero_request;
  return {non_zero_cpu_request_cores(pod.cpu_request_cores),
          non_zero_mem_request_bytes(pod.mem_request_bytes)};
}

std::vector<ShapePoint> default_rtcr_shape() {
  return {{0, 0}, {100, 10}};
}

bool feasible(const NodeView& node, const PodView& pod) {
  // NodeAffinity (nodeSelector) and TaintToleration filters for a dedicated pool.
  const bool selected = pod.node_pool ? *pod.node_pool == node.pool : !node.dedicated;
  const bool admitted = !(node.memory_pressure && pod.qos == QosClass::BestEffort);
  return selected && node.ready && admitted &&
         fits(to_int(node.allocatable), to_int(node.requested), node.pod_count, node.max_pods,
              pod_real_request(pod));
}

std::int64_t broken_linear(std::span<const ShapePoint> shape, std::int64_t utilization_percent) {
  assert(!shape.empty());
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (utilization_percent > shape[i].utilization_percent) continue;
    if (i == 0) return shape[0].score;
    const ShapePoint& lo = shape[i - 1];
    const ShapePoint& hi = shape[i];
    return lo.score + (hi.score - lo.score) * (utilization_percent - lo.utilization_percent) /
                          (hi.utilization_percent - lo.utilization_percent);
  }
  return shape.back().score;
}

std::int64_t score_fit(const NodeView& node, const PodView& pod, const SchedulerConfig& config) {
  const IntRes alloc = to_int(node.allocatable);
  const IntRes node_nz = to_int(node.non_zero_requested);
  const IntRes pod_nz = pod_non_zero_request(pod);
  const std::int64_t allocs[2] = {alloc.cpu_m, alloc.mem_b};
  const std::int64_t used[2] = {node_nz.cpu_m + pod_nz.cpu_m, node_nz.mem_b + pod_nz.mem_b};
  const std::int64_t weights[2] = {config.cpu_weight, config.mem_weight};

  std::vector<ShapePoint> scaled_shape;
  if (config.strategy == ScoringStrategy::RequestedToCapacityRatio) {
    scaled_shape = config.rtcr_shape;
    for (ShapePoint& p : scaled_shape) p.score *= kMaxNodeScore / kMaxCustomPriorityScore;
  }
  std::int64_t weighted = 0;
  std::int64_t weight_sum = 0;
  for (int r = 0; r < 2; ++r) {
    if (allocs[r] == 0) continue;  // resource absent on the node: skipped, as upstream
    std::int64_t s = 0;
    switch (config.strategy) {
      case ScoringStrategy::LeastAllocated:
        s = least_allocated(used[r], allocs[r]);
        break;
      case ScoringStrategy::MostAllocated:
        s = most_allocated(used[r], allocs[r]);
        break;
      case ScoringStrategy::RequestedToCapacityRatio:
        // The shape's scores 0..10 are scaled to 0..100 (× MaxNodeScore / MaxCustomPriorityScore)
        // before interpolation (requested_to_capacity_ratio.go#L87 at 0a295a8d), so the
        // integer division happens on the 0..100 scale: 75 % on {0→10, 100→0} scores 25.
        s = broken_linear(scaled_shape, most_allocated(used[r], allocs[r]));
        if (s <= 0) continue;  // RTCR averages over resources with a positive score only
        break;
    }
    weighted += weights[r] * s;
    weight_sum += weights[r];
  }
  if (weight_sum == 0) return 0;
  if (config.strategy == ScoringStrategy::RequestedToCapacityRatio) {
    return std::llround(static_cast<double>(weighted) / static_cast<double>(weight_sum));
  }
  return weighted / weight_sum;
}

std::int64_t score_balanced(const NodeView& node, const PodView& pod) {
  if (pod.qos == QosClass::BestEffort) return 0;
  const IntRes alloc = to_int(node.allocatable);
  const IntRes node_req = to_int(node.requested);
  const IntRes pod_req = pod_real_request(pod);
  const std::int64_t allocs[2] = {alloc.cpu_m, alloc.mem_b};
  const std::int64_t used[2] = {node_req.cpu_m + pod_req.cpu_m, node_req.mem_b + pod_req.mem_b};

  std::vector<double> fractions;
  for (int r = 0; r < 2; ++r) {
    if (allocs[r] == 0) continue;
    fractions.push_back(
        std::min(1.0, static_cast<double>(used[r]) / static_cast<double>(allocs[r])));
  }
  const double std_dev = fractions.size() == 2 ? std::abs(fractions[0] - fractions[1]) / 2 : 0.0;
  return static_cast<std::int64_t>((1.0 - std_dev) * static_cast<double>(kMaxNodeScore));
}

std::int64_t score_total(const NodeView& node, const PodView& pod, const SchedulerConfig& config) {
  return config.fit_plugin_weight * score_fit(node, pod, config) +
         config.balanced_plugin_weight * score_balanced(node, pod);
}

std::optional<std::size_t> select_node(std::span<const NodeView> nodes, const PodView& pod,
                                       const SchedulerConfig& config, std::mt19937_64& rng) {
  std::vector<std::size_t> best;
  std::int64_t best_score = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!feasible(nodes[i], pod)) continue;
    const std::int64_t s = score_total(nodes[i], pod, config);
    if (s > best_score) {
      best_score = s;
      best.clear();
    }
    if (s == best_score) best.push_back(i);
  }
  if (best.empty()) return std::nullopt;
  if (best.size() == 1) return best.front();
  return best[sim::uniform_index(rng, best.size())];
}

namespace {

struct Candidate {
  std::vector<std::string> victims;
  int max_victim_priority = 0;
};

// selectVictimsOnNode: remove all lower-priority pods; if the pod then fits, re-add them,
// highest priority first, keeping each one that still leaves room (a "reprieve").
std::optional<Candidate> victims_on_node(const NodeView& node, const PodView& pod) {
  std::vector<const PodOnNode*> lower;
  for (const PodOnNode& p : node.pods) {
    if (p.priority < pod.priority) lower.push_back(&p);
  }
  const IntRes alloc = to_int(node.allocatable);
  const IntRes req = pod_real_request(pod);
  IntRes used = to_int(node.requested);
  int count = node.pod_count;
  for (const PodOnNode* p : lower) {
    const IntRes r = to_int({p->cpu_request_cores, p->mem_request_bytes});
    used = {used.cpu_m - r.cpu_m, used.mem_b - r.mem_b};
    --count;
  }
  if (!fits(alloc, used, count, node.max_pods, req)) return std::nullopt;

  std::stable_sort(lower.begin(), lower.end(), [](const PodOnNode* a, const PodOnNode* b) {
    return a->priority > b->priority;
  });
  Candidate c;
  for (const PodOnNode* p : lower) {
    const IntRes r = to_int({p->cpu_request_cores, p->mem_request_bytes});
    const IntRes with = {used.cpu_m + r.cpu_m, used.mem_b + r.mem_b};
    if (fits(alloc, with, count + 1, node.max_pods, req)) {
      used = with;
      ++count;
    } else {
      if (c.victims.empty()) c.max_victim_priority = p->priority;
      c.victims.push_back(p->id);
    }
  }
  if (c.victims.empty()) return std::nullopt;  // fits without preemption: not a candidate
  return c;
}

}  // namespace

std::optional<PreemptionPlan> plan_preemption(std::span<const NodeView> nodes, const PodView& pod) {
  if (!pod.may_preempt) return std::nullopt;
  std::optional<PreemptionPlan> best;
  int best_priority = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].ready || feasible(nodes[i], pod)) continue;
    std::optional<Candidate> c = victims_on_node(nodes[i], pod);
    if (!c) continue;
    const bool better =
        !best || c->max_victim_priority < best_priority ||
        (c->max_victim_priority == best_priority && c->victims.size() < best->victim_ids.size());
    if (better) {
      best_priority = c->max_victim_priority;
      best = PreemptionPlan{i, std::move(c->victims)};
    }
  }
  return best;
}

}  // namespace dlsim::models::k8s
