// Unit tests for models/k8s/resources: request defaulting, QoS class, non-zero requests,
// CPU shares and node allocatable (kubernetes.io pod-qos; k/k pkg/kubelet/cm/helpers_linux.go;
// cgroup v2 cpu.max).
#include <catch2/catch.hpp>

#include <vector>

#include "models/k8s/resources.hpp"

using namespace dlsim::models::k8s;

namespace {
constexpr double kGiB = 1024.0 * kMiB;
}

TEST_CASE("a limit without a request becomes the request", "[k8s][resources]") {
  ContainerResources c;
  c.cpu_limit_cores = 2.0;
  c.mem_request_bytes = 1 * kGiB;
  c.mem_limit_bytes = 2 * kGiB;
  const ContainerResources d = apply_request_defaults(c);
  REQUIRE(d.cpu_request_cores.has_value());
  CHECK(*d.cpu_request_cores == Approx(2.0));       // copied from the limit
  CHECK(*d.mem_request_bytes == Approx(1 * kGiB));  // an explicit request is kept
}

TEST_CASE("QoS class of a pod", "[k8s][resources]") {
  const ContainerResources guaranteed{1.0, 1.0, 1 * kGiB, 1 * kGiB};
  const ContainerResources limits_only{std::nullopt, 1.0, std::nullopt, 1 * kGiB};
  const ContainerResources cpu_request_only{0.5, std::nullopt, std::nullopt, std::nullopt};
  const ContainerResources nothing{};
  const ContainerResources zero_request{0.0, std::nullopt, std::nullopt, std::nullopt};
  const ContainerResources unequal{0.5, 1.0, 1 * kGiB, 1 * kGiB};

  CHECK(qos_class(std::vector{guaranteed}) == QosClass::Guaranteed);
  // limits only → requests := limits → request = limit for cpu and memory.
  CHECK(qos_class(std::vector{limits_only}) == QosClass::Guaranteed);
  CHECK(qos_class(std::vector{cpu_request_only}) == QosClass::Burstable);
  CHECK(qos_class(std::vector{unequal}) == QosClass::Burstable);
  CHECK(qos_class(std::vector{nothing}) == QosClass::BestEffort);
  // A zero quantity is not counted by GetPodQOS.
  CHECK(qos_class(std::vector{zero_request}) == QosClass::BestEffort);
  // One Guaranteed container next to an empty one: not every container is Guaranteed.
  CHECK(qos_class(std::vector{guaranteed, nothing}) == QosClass::Burstable);
  CHECK(qos_class(std::vector<ContainerResources>{}) == QosClass::BestEffort);

  CHECK(to_string(QosClass::Guaranteed) == "Guaranteed");
  CHECK(to_string(QosClass::Burstable) == "Burstable");
  CHECK(to_string(QosClass::BestEffort) == "BestEffort");
}

TEST_CASE("pod requests sum the containers after defaulting", "[k8s][resources]") {
  const ContainerResources a{0.5, std::nullopt, std::nullopt, std::nullopt};
  const ContainerResources b{std::nullopt, 1.0, 100 * kMiB, std::nullopt};
  const PodRequests r = pod_requests(std::vector{a, b});
  // cpu: 0.5 + 1.0 (b's limit copied) = 1.5; memory: only b sets it → 100 MiB.
  CHECK(*r.cpu_cores == Approx(1.5));
  CHECK(*r.mem_bytes == Approx(100 * kMiB));
  const PodRequests none = pod_requests(std::vector{ContainerResources{}});
  CHECK_FALSE(none.cpu_cores.has_value());
  CHECK_FALSE(none.mem_bytes.has_value());
}

TEST_CASE("non-zero request defaults used in scoring", "[k8s][resources]") {
  CHECK(non_zero_cpu_request_cores(std::nullopt) == Approx(0.1));          // 100 m
  CHECK(non_zero_mem_request_bytes(std::nullopt) == Approx(209715200.0));  // 200·2^20
  // Only a missing request is replaced; an explicit 0 stays 0.
  CHECK(non_zero_cpu_request_cores(0.0) == Approx(0.0));
  CHECK(non_zero_mem_request_bytes(64 * kMiB) == Approx(64 * kMiB));
}

TEST_CASE("CPU shares from the request", "[k8s][resources]") {
  CHECK(cpu_shares(std::nullopt) == 2);  // BestEffort / no request → minimum 2
  CHECK(cpu_shares(0.001) == 2);         // 1 m → 1·1024/1000 = 1 → max(2, 1) = 2
  CHECK(cpu_shares(0.1) == 102);         // 100 m → 102400/1000 = 102
  CHECK(cpu_shares(0.25) == 256);        // 250 m → 256
  CHECK(cpu_shares(1.0) == 1024);
  CHECK(cpu_shares(2.5) == 2560);
  // 0.1·3 = 0.30000000000000004 in binary: still exactly 300 m.
  CHECK(to_millicores(0.1 * 3) == 300);
}

TEST_CASE("node allocatable subtracts reservations and the eviction threshold",
          "[k8s][resources]") {
  NodeReservations r;
  r.kube_reserved = {0.1, 1 * kGiB};
  r.system_reserved = {0.1, 0.5 * kGiB};
  const CpuMem a = node_allocatable({8.0, 32 * kGiB}, r);
  CHECK(a.cpu_cores == Approx(7.8));  // 8 − 0.1 − 0.1
  // 32768 − 1024 − 512 − 100 (eviction hard) = 31132 MiB
  CHECK(a.mem_bytes == Approx(31132 * kMiB));
  // Defaults: nothing reserved, only the 100 MiB eviction threshold.
  const CpuMem d = node_allocatable({4.0, 16 * kGiB});
  CHECK(d.cpu_cores == Approx(4.0));
  CHECK(d.mem_bytes == Approx(16284 * kMiB));  // 16384 − 100
}

TEST_CASE("quantities resolve to whole millicores and whole bytes, rounded up",
          "[k8s][resources]") {
  // apimachinery quantity.go#L820 MilliValue = ceil(q·1000), #L814 Value rounds up.
  // 0.3Gi = 0.3·1073741824 = 322122547.2 B → 322122548 B; 0.0005 cores = 0.5 m → 1 m;
  // 0.35 cores stays 350 m (0.35·1000 is 350.00000000000006 in doubles, not 351 m);
  // 700m and 200Mi are already whole.
  const ContainerResources raw{0.35, 0.0005, 200 * kMiB, 0.3 * kGiB};
  const ContainerResources r = resolve_quantities(raw);
  CHECK(*r.cpu_request_cores == 0.35);
  CHECK(*r.cpu_limit_cores == 0.001);
  CHECK(*r.mem_request_bytes == 209715200.0);
  CHECK(*r.mem_limit_bytes == 322122548.0);
  CHECK(to_millicores(*r.cpu_request_cores) == 350);
  CHECK(ceil_millicores(0.7) == 0.7);
  CHECK(ceil_bytes(236846026.68) == 236846027.0);
  const ContainerResources unset = resolve_quantities({});
  CHECK_FALSE(unset.cpu_request_cores.has_value());
  CHECK_FALSE(unset.mem_limit_bytes.has_value());
}
