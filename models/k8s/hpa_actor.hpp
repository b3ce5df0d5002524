// The HorizontalPodAutoscaler and KEDA controllers as actors: every sync period they read the
// metric, ask hpa.hpp's decision logic for a replica count and scale their Deployment
// (k/k pkg/controller/podautoscaler/horizontal.go, replica_calculator.go).
//
// Metrics (kubernetes.io horizontal-pod-autoscale): CPU utilisation = Σ CPU of the running pods in
// the last monitoring sample (cluster.sample(), 15 s like metrics-server) / Σ their CPU requests,
// pods without a sample yet left out (the missing-metric corrections of kubernetes.io
// horizontal-pod-autoscale are not modelled); an external metric (a queue table's rows) with an
// AverageValue target (value per replica), as the HPA page's queue example and KEDA's Prometheus
// scaler use; a server's API latency percentile with a Value target (an External metric through an
// adapter, e.g. prometheus-adapter over a histogram_quantile: desired = ceil(latency / target ×
// ready pods)), optionally beside CPU utilisation (the HPA takes the larger recommendation).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "models/k8s/deployment.hpp"
#include "models/k8s/hpa.hpp"

namespace dlsim::models::k8s {

struct PodAutoscalerConfig {
  enum class Scaler { Hpa, Keda };
  Scaler scaler = Scaler::Hpa;
  // The metrics: CPU utilisation target in percent of the request; or an external metric with
  // a target value per replica; or a latency Value target in seconds, alone or with CPU.
  std::optional<double> target_cpu_utilization_percent;
  std::optional<double> target_per_replica;
  std::optional<double> target_latency_s;
  std::string metric_name;  // for events: "cpu", the table's name, or "latency p99"
  HpaConfig hpa;            // Scaler::Hpa
  KedaConfig keda;          // Scaler::Keda (its own polling interval and thresholds)
  // HPA sync period. Default 15 s, --horizontal-pod-autoscaler-sync-period (HPA docs).
  double sync_period_s = kHpaSyncPeriodS;
};

class PodAutoscaler {
 public:
  // `external` reads the external metric (required iff target_per_replica or target_latency_s
  // is set); no value (no call completed in the period) leaves that metric out of the sync.
  PodAutoscaler(Cluster& cluster, Deployment& target, PodAutoscalerConfig config,
                std::function<std::optional<double>()> external = {});

  // Starts the loop on the control plane; the first sync is one period after t = 0.
  void start();

 private:
  void sync();
  std::optional<MetricSample> cpu_metric(std::string& described) const;
  std::optional<MetricSample> latency_metric(std::string& described) const;

  Cluster& cluster_;
  Deployment& target_;
  PodAutoscalerConfig config_;
  std::function<std::optional<double>()> external_;
  HpaController hpa_;
  KedaScaler keda_;
};

}  // namespace dlsim::models::k8s
