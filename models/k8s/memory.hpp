// Memory of one container running a Python process, as its cgroup and monitoring see it
// (docs/design.md §3.2; kubernetes.io manage-resources-containers; cgroup v2 memory.max).
//
// - anon = base + heap high-water mark: CPython rarely returns freed heap to the OS, so RSS
//   follows the largest heap since the process started (the "ratchet"); only a restart
//   brings it back to base (docs/design.md §3.2, an assumption of ours). Short-lived child
//   processes add their own resident memory while they run.
// - Page cache charged to the cgroup is split into inactive and active file pages; it is
//   reclaimable (inactive first, then active) before an OOM kill (cgroup-v2.rst memory.max).
// - Unreclaimable = tmpfs/shmem/kernel memory charged to the cgroup.
// Two numbers matter and must not be confused:
//   * non_reclaimable_bytes() = anon + unreclaimable: the OOM test (OOM iff it exceeds the
//     limit after all cache has been reclaimed);
//   * working_set_bytes() = usage − inactive_file: what cAdvisor/metrics-server, HPA, VPA,
//     KRR and kubelet eviction see (google/cadvisor#2582).
// Kernel details not modelled: dirty-page writeback, slab, memory.high throttling.
#pragma once

#include <optional>

namespace dlsim::models::k8s {

// Which LRU list new page cache goes to. Pages read once land on the inactive list; pages
// accessed again are promoted to the active list (kernel LRU, simplified).
enum class CacheList { Inactive, Active };

// Result of enforce_limit().
struct LimitOutcome {
  double reclaimed_bytes = 0.0;  // page cache freed to get back under the limit
  bool oom_kill = false;         // anon + unreclaimable > limit: the container is OOMKilled
};

class ContainerMemory {
 public:
  // base_bytes: resident memory of the freshly started process (interpreter + imports).
  explicit ContainerMemory(double base_bytes);

  // Heap the process currently holds (rows fetched × bytes per row, …). RSS only rises:
  // anon = base + max(heap demand since the last restart).
  void set_heap_demand(double heap_bytes);

  // File pages read or written by the container, charged to its cgroup.
  void add_page_cache(double bytes, CacheList list = CacheList::Inactive);
  // File pages freed (file deleted, fadvise): inactive first, then active; floored at 0.
  void drop_page_cache(double bytes);
  // Move up to `bytes` from the inactive to the active list (pages touched again).
  void activate_page_cache(double bytes);

  // Resident memory of the container's short-lived child processes (FTS's fts_url_copy, one
  // per transfer): anonymous, counted while they run and freed when they exit (no ratchet).
  void set_child_process_bytes(double bytes) { child_process_bytes_ = bytes; }
  double child_process_bytes() const { return child_process_bytes_; }

  // tmpfs/shmem/kernel memory: charged, never reclaimed.
  void set_unreclaimable(double bytes);

  // Applies the cgroup limit after a memory-changing event (cgroup v2 memory): if usage > limit,
  // cache is reclaimed (inactive, then active) until usage ≤ limit or the cache is empty; if anon +
  // unreclaimable still exceeds the limit, reports an OOM kill. No limit → no-op.
  LimitOutcome enforce_limit(std::optional<double> limit_bytes);

  // New process after an OOM kill or crash: heap, child processes and page cache back to
  // zero, anon = base.
  // Unreclaimable memory is kept: tmpfs emptyDir volumes belong to the pod and survive
  // container restarts; call set_unreclaimable() if the caller's model says otherwise.
  void restart();

  double base_bytes() const { return base_bytes_; }
  double heap_demand_bytes() const { return heap_demand_bytes_; }
  double heap_high_water_bytes() const { return heap_high_water_bytes_; }
  // Resident memory of the main process = base + heap high-water mark.
  double rss_bytes() const { return base_bytes_ + heap_high_water_bytes_; }
  double anon_bytes() const { return rss_bytes() + child_process_bytes_; }
  double active_file_bytes() const { return active_file_bytes_; }
  double inactive_file_bytes() const { return inactive_file_bytes_; }
  double page_cache_bytes() const { return active_file_bytes_ + inactive_file_bytes_; }
  double unreclaimable_bytes() const { return unreclaimable_bytes_; }

  // THE OOM TEST quantity: anon + unreclaimable (cannot be reclaimed under the limit).
  double non_reclaimable_bytes() const { return anon_bytes() + unreclaimable_bytes_; }
  // memory.current: anon + unreclaimable + active_file + inactive_file (cgroup v2 memory).
  double usage_bytes() const { return non_reclaimable_bytes() + page_cache_bytes(); }
  // WHAT MONITORING SHOWS: usage − inactive_file (cgroup v2 memory).
  double working_set_bytes() const { return usage_bytes() - inactive_file_bytes_; }

 private:
  double base_bytes_;
  double heap_demand_bytes_ = 0.0;
  double heap_high_water_bytes_ = 0.0;
  double active_file_bytes_ = 0.0;
  double inactive_file_bytes_ = 0.0;
  double unreclaimable_bytes_ = 0.0;
  double child_process_bytes_ = 0.0;
};

}  // namespace dlsim::models::k8s
