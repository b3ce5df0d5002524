// A sweep plan (docs/sweep.md): a scenario, a grid and/or a list of points of `--set` values,
// and a seeds dimension. Loading checks the plan and every point against the scenario, so
// that a bad plan fails with `FILE:LINE:COL: error: …` before anything runs or is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim::sim {

// One --set of a point: the key path and the value as written in the plan.
struct PointSet {
  std::string key;
  std::string value;
};

struct SweepPoint {
  int index = 0;               // 0-based: grid points first (first key outermost), then points
  std::vector<PointSet> sets;  // in plan key order
};

// The Kubernetes Indexed Job that `--emit k8s-job` writes (docs/sweep.md).
struct SweepKubernetes {
  std::string image;    // required for --emit
  int shards = 1;       // completions: one pod per shard
  int parallelism = 0;  // pods at once; 0 = all shards
  int jobs = 1;         // --jobs inside each pod
  std::string cpu_request = "1";
  std::string memory_request = "1Gi";
  std::string output_claim;  // PersistentVolumeClaim for the output volume; empty = emptyDir
  std::string plan_path;     // the plan's path inside the image; empty = as given
  std::string working_dir;   // container working directory; empty = the image's
  int backoff_limit = 0;
};

struct SweepPlan {
  std::string file;    // as given on the command line
  std::string sha256;  // of the plan's bytes: merge joins only results of one plan
  std::string name;
  std::string scenario;           // path resolved against the plan's directory
  std::vector<std::string> sets;  // applied to every point, before the point's own
  std::vector<std::string> keys;  // every key a point sets, in plan order (CSV columns)
  std::vector<SweepPoint> points;
  std::vector<std::int64_t> seeds;
  SweepKubernetes kubernetes;
};

// One simulation: a point at a seed; `name` is its run directory under DIR/runs/.
struct SweepRun {
  int point = 0;
  std::int64_t seed = 0;
  std::string name;  // "p003-seed7"
};

// Reads and checks the plan (InputError with the plan's FILE:LINE:COL, or the scenario's).
SweepPlan load_sweep_plan(const std::string& file);

// Every run of the plan, point-major then seed, and the slice `shard` of `shards` takes:
// run k belongs to shard k mod shards (round robin, so that neighbouring points spread).
std::vector<SweepRun> sweep_runs(const SweepPlan& plan);
std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, int shard, int shards);

// The --set arguments of one run, as `dlsim run` takes them: plan sets, point sets, seed.
std::vector<std::string> run_set_args(const SweepPlan& plan, const SweepRun& run);

// Parses "I/N" (0 ≤ I < N); nullopt if malformed.
std::optional<std::pair<int, int>> parse_shard(const std::string& text);

}  // namespace dlsim::sim
