// Job controller, payloads and batch statistics; see job.hpp.
#include "models/k8s/job.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace dlsim::models::k8s {

bool run_payload(Pod& pod, const PayloadConfig& payload, double run_time_s) {
  const std::uint64_t generation = pod.generation();
  if (payload.memory_bytes > 0 && !pod.hold_heap(0, payload.memory_bytes)) return false;
  return pod.compute_parallel(run_time_s, payload.threads) && pod.generation() == generation;
}

double draw_run_time(const PayloadConfig& payload, std::mt19937_64& rng) {
  if (payload.run_time_spread <= 0) return payload.run_time_s;
  const double u = sim::uniform01(rng);
  return payload.run_time_s * (1.0 - payload.run_time_spread + 2.0 * payload.run_time_spread * u);
}

double job_failure_backoff_s(int failures) {
  if (failures <= 0) return 0.0;
  // 10 s · 2^(failures − 1), capped at 6 min; the exponent is bounded before the shift.
  return std::min(360.0, 10.0 * std::ldexp(1.0, std::min(failures - 1, 16)));
}

void BatchStats::pod_ended(const Pod& pod, bool succeeded) {
  if (succeeded) {
    ++succeeded_;
    if (pod.scheduled_s() >= 0) run_s_.push_back(sim::now() - pod.scheduled_s());
  } else {
    ++failed_;
  }
}

void BatchStats::fill(sim::JobSummary& out, const Cluster& cluster,
                      const std::vector<std::size_t>& pods) const {
  out.pods_created = created_;
  out.succeeded = succeeded_;
  out.failed = failed_;
  std::vector<double> waits;
  for (std::size_t i : pods) {
    const Pod& p = *cluster.pods()[i];
    if (p.bound()) ++out.running_final;
    if (p.phase() == PodPhase::Pending) {
      ++out.pending_final;
      waits.push_back(sim::now() - p.created_s());
    } else if (p.scheduled_s() >= 0) {
      waits.push_back(p.scheduled_s() - p.created_s());
    }
  }
  if (!waits.empty()) {
    double sum = 0;
    for (double w : waits) sum += w;
    out.wait_mean_s = sum / static_cast<double>(waits.size());
    std::sort(waits.begin(), waits.end());
    // Nearest-rank percentiles.
    auto nearest_rank = [&](double p) {
      const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(waits.size())));
      return waits[std::clamp<std::size_t>(rank, 1, waits.size()) - 1];
    };
    out.wait_p50_s = nearest_rank(0.5);
    out.wait_p95_s = nearest_rank(0.95);
    out.wait_max_s = waits.back();
  }
  if (!run_s_.empty()) {
    double sum = 0;
    for (double r : run_s_) sum += r;
    out.run_mean_s = sum / static_cast<double>(run_s_.size());
  }
}

Job::Job(Cluster& cluster, JobConfig config)
    : cluster_(cluster),
      config_(std::move(config)),
      rng_(cluster.context().rng.stream("job/" + config_.name)) {}

void Job::start() {
  sim::spawn("job/" + config_.name, cluster_.control_plane(), [this] {
    sim::sleep_until(config_.start_s);
    create_pods();
  });
}

std::size_t create_batch_pod(Cluster& cluster, const PodSpec& pod_template,
                             const std::string& owner, std::vector<std::size_t>& pods,
                             Cluster::EndHook on_end) {
  PodSpec spec = pod_template;
  spec.name = fmt::format("{}-{}", owner, pods.size());
  spec.owner = owner;
  const std::size_t index = cluster.create_pod(spec, false);
  cluster.set_end_hook(index, std::move(on_end));
  pods.push_back(index);
  return index;
}

void Job::create_pods() {
  while (!failed_ && active_ < config_.parallelism && succeeded_ + active_ < config_.completions) {
    const std::size_t index =
        create_batch_pod(cluster_, config_.pod, config_.name, pods_,
                         [this](Pod& pod, PodEndReason reason) { on_end(pod, reason); });
    ++active_;
    stats_.pod_created();
    const double run_time = draw_run_time(config_.payload, rng_);
    sim::spawn(cluster_.pod(index).name() + "/payload", cluster_.control_plane(),
               [this, index, run_time] {
                 Pod& pod = cluster_.pod(index);
                 while (pod.wait_until_running_or_gone()) {
                   if (run_payload(pod, config_.payload, run_time)) {
                     cluster_.complete_pod(index);
                     return;
                   }
                 }
               });
    cluster_.start_pod(index);
  }
}

void Job::on_end(Pod& pod, PodEndReason reason) {
  --active_;
  const bool succeeded = reason == PodEndReason::Succeeded;
  stats_.pod_ended(pod, succeeded);
  if (succeeded) {
    ++succeeded_;
    create_pods();
    return;
  }
  if (reason == PodEndReason::Deleted) return;
  ++failures_;
  if (failures_ > config_.backoff_limit) {
    if (!failed_) {
      failed_ = true;
      cluster_.context().recorder.event(
          sim::now(), "JobFailed", config_.name, "",
          fmt::format("{} failed pods > backoffLimit {}", failures_, config_.backoff_limit));
      for (std::size_t p : pods_)
        cluster_.delete_pod(p, PodEndReason::Deleted,
                            cluster_.pods()[p]->spec().termination_grace_s);
    }
    return;
  }
  if (creation_delayed_) return;
  creation_delayed_ = true;
  sim::spawn("job/" + config_.name + "/backoff", cluster_.control_plane(), [this] {
    sim::sleep_for(job_failure_backoff_s(failures_));
    creation_delayed_ = false;
    create_pods();
  });
}

sim::JobSummary Job::summary() const {
  sim::JobSummary s;
  s.name = config_.name;
  s.kind = "job";
  stats_.fill(s, cluster_, pods_);
  s.payloads_done = s.succeeded;
  return s;
}

}  // namespace dlsim::models::k8s
