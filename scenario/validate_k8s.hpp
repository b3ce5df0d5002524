// Whole-scenario checks of the Kubernetes parts (node pool autoscaling, service autoscaling,
// batch jobs and vacuum pools); called by validate_scenario().
#pragma once

#include <functional>
#include <string>

#include "scenario/scenario.hpp"

namespace dlsim::scenario {

// Reports a problem at a key path; must throw (InputError).
using FailAt = std::function<void(const std::string& path, const std::string& message)>;

void validate_k8s(const Scenario& s, const FailAt& fail);

// A container's requests must not exceed its limits (the API server rejects such a pod);
// `path` is the owner of the `resources` block.
// transfers.fts (scenario_validate_fts.cpp).
void validate_fts(const Scenario& s, const FtsDeploymentSpec& fts, const FailAt& fail);
// The checks every autoscaled service gets (min, max, period, the metric's needs); `server`:
// a rucio.servers entry (the latency metric is for those alone).
void check_autoscaling(const std::string& path, const ServiceSpec& svc, bool server,
                       const FailAt& fail);

void check_requests_within_limits(const std::string& path, const ResourceSpec& r,
                                  const FailAt& fail);

}  // namespace dlsim::scenario
