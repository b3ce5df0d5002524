// dlsim sweep without an engine: the plan's points and shards, the emitted Indexed Job (read
// back with yaml-cpp: kubectl cannot validate offline, it needs an API server's OpenAPI),
// and the merge's quantiles and thresholds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

#include "analysis/sweep_merge.hpp"
#include "app/cli_sweep.hpp"
#include "app/sweep_plan.hpp"
#include "scenario/diagnostics.hpp"

using namespace dlsim;
namespace fs = std::filesystem;

namespace {

// A plan file in a temporary directory, on scenarios/sizing-pending.yaml.
std::string write_plan(const std::string& name, const std::string& body) {
  const fs::path scenario = fs::path(DLSIM_SOURCE_DIR) / "scenarios" / "sizing-pending.yaml";
  const fs::path dir = fs::temp_directory_path() / "dlsim-test-sweep";
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".yaml");
  std::ofstream(file) << "name: " << name << "\nscenario: " << scenario.string() << "\n" << body;
  return file.string();
}

}  // namespace

TEST_CASE("A grid is the product of its keys, first key outermost, then the listed points") {
  const auto plan = sim::load_sweep_plan(
      write_plan("grid",
                 "grid:\n  rucio.servers.server.replicas: [1, 2]\n"
                 "  rucio.servers.server.threads: [1, 2, 4]\n"
                 "points:\n  - {rucio.servers.server.processes: 2}\nseeds: 3\n"));
  // 2 × 3 grid points + 1 listed point = 7 points; × 3 seeds = 21 runs.
  REQUIRE(plan.points.size() == 7);
  CHECK(plan.keys == std::vector<std::string>{"rucio.servers.server.replicas",
                                              "rucio.servers.server.threads",
                                              "rucio.servers.server.processes"});
  CHECK(plan.points[1].sets[0].value == "1");  // (1, 2): the last key varies fastest
  CHECK(plan.points[1].sets[1].value == "2");
  CHECK(plan.points[3].sets[0].value == "2");  // (2, 1)
  CHECK(plan.points[6].sets.size() == 1);
  CHECK(plan.seeds == std::vector<std::int64_t>{1, 2, 3});
  const auto runs = sim::sweep_runs(plan);
  REQUIRE(runs.size() == 21);
  CHECK(runs[4].name == "p001-seed2");  // run 4 = point 1 (runs 3..5), seed 2
  CHECK(sim::run_set_args(plan, runs[4]) ==
        std::vector<std::string>{"rucio.servers.server.replicas=1",
                                 "rucio.servers.server.threads=2", "seed=2"});
  // Shards: run k goes to shard k mod 4. Shard 1 gets runs 1, 5, 9, 13, 17; together the
  // four shards hold each of the 21 runs once.
  const auto shard1 = sim::shard_runs(runs, 1, 4);
  REQUIRE(shard1.size() == 5);
  CHECK(shard1[1].name == runs[5].name);
  std::multiset<std::string> all;
  for (int i = 0; i < 4; ++i)
    for (const auto& r : sim::shard_runs(runs, i, 4)) all.insert(r.name);
  CHECK(all.size() == 21);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 21);
}

TEST_CASE("A shard is I/N with 0 <= I < N (--shard)") {
  CHECK(sim::parse_shard("0/2") == std::make_pair(0, 2));
  CHECK(sim::parse_shard("3/4") == std::make_pair(3, 4));
  for (const char* bad : {"2/2", "-1/2", "1/0", "a/b", "1/2x", "1", "1-2", ""})
    CHECK_FALSE(sim::parse_shard(bad));
}

TEST_CASE("A point's bad --set is reported at its place in the plan") {
  const auto file = write_plan("badpoint",
                               "grid:\n  rucio.servers.server.replicas: [1, 2]\n"
                               "points:\n  - {rucio.servers.server.threds: 2}\nseeds: 1\n");
  // Line 6 is the points entry (name, scenario, grid, its key, points, entry); in
  // "  - {rucio.servers.server.threds: 2}" the value "2" is column 5 + 27 + 3 = 35.
  CHECK_THROWS_WITH(sim::load_sweep_plan(file),
                    file +
                        ":6:35: error: rucio.servers.server.threds: unknown key 'threds' "
                        "(did you mean 'threads'?) (point 2 of the plan)");
}

TEST_CASE("The emitted Indexed Job runs shard $(JOB_COMPLETION_INDEX) of N per completion") {
  const auto plan = sim::load_sweep_plan(
      write_plan("Job Plan_1",
                 "grid:\n  rucio.servers.server.replicas: [1, 2, 3]\nseeds: 4\n"
                 "kubernetes:\n  image: example.org/dlsim:1\n  shards: 3\n  jobs: 2\n"
                 "  parallelism: 2\n  requests: {cpu: 2, memory: 3Gi}\n"
                 "  output_claim: sweeps\n  plan_path: /opt/dlsim/plan.yaml\n"));
  const YAML::Node job = YAML::Load(sim::k8s_job_manifest(plan, "ignored.yaml"));
  CHECK(job["apiVersion"].as<std::string>() == "batch/v1");
  CHECK(job["kind"].as<std::string>() == "Job");
  // A DNS-1123 label: "Job Plan_1" → "dlsim-sweep-job-plan-1".
  const auto name = job["metadata"]["name"].as<std::string>();
  CHECK(name == "dlsim-sweep-job-plan-1");
  CHECK(std::regex_match(name, std::regex("[a-z0-9]([-a-z0-9]*[a-z0-9])?")));
  const YAML::Node spec = job["spec"];
  CHECK(spec["completionMode"].as<std::string>() == "Indexed");
  CHECK(spec["completions"].as<int>() == 3);
  CHECK(spec["parallelism"].as<int>() == 2);
  const YAML::Node pod = spec["template"]["spec"];
  CHECK(pod["restartPolicy"].as<std::string>() == "Never");  // required by Jobs
  REQUIRE(pod["containers"].size() == 1);
  const YAML::Node c = pod["containers"][0];
  CHECK(c["image"].as<std::string>() == "example.org/dlsim:1");
  CHECK(c["command"][0].as<std::string>() == "dlsim");
  std::vector<std::string> args;
  for (const auto& a : c["args"]) {
    CHECK(a.Tag() == "!");  // double-quoted: every arg is a string for the API
    args.push_back(a.as<std::string>());
  }
  CHECK(args == std::vector<std::string>{"sweep", "/opt/dlsim/plan.yaml", "--shard",
                                         "$(JOB_COMPLETION_INDEX)/3", "--jobs", "2", "-o",
                                         "/out/Job Plan_1/shard-$(JOB_COMPLETION_INDEX)"});
  CHECK(c["env"][0]["name"].as<std::string>() == "JOB_COMPLETION_INDEX");
  CHECK(c["env"][0]["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>() ==
        "metadata.annotations['batch.kubernetes.io/job-completion-index']");
  CHECK(c["resources"]["requests"]["cpu"].as<std::string>() == "2");
  CHECK(c["resources"]["requests"]["memory"].as<std::string>() == "3Gi");
  CHECK(c["volumeMounts"][0]["name"].as<std::string>() == "output");
  CHECK(c["volumeMounts"][0]["mountPath"].as<std::string>() == "/out");
  CHECK(pod["volumes"][0]["name"].as<std::string>() == "output");
  CHECK(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() == "sweeps");
}

TEST_CASE("Nearest-rank quantiles are observed values; thresholds read as % or fractions") {
  // Sorted 1..5: q = 0.5 → rank ceil(2.5) = 3 → 3; q = 0.9 → rank ceil(4.5) = 5 → 5.
  const std::vector<double> v = {5, 1, 3, 2, 4};
  CHECK(analysis::nearest_rank(v, 0.5) == 3);
  CHECK(analysis::nearest_rank(v, 0.9) == 5);
  CHECK(analysis::nearest_rank(v, 1.0) == 5);
  CHECK(analysis::nearest_rank(v, 0.0) == 1);
  // 10 seeds: q = 0.9 → rank 9 (the 9th smallest), not the maximum.
  CHECK(analysis::nearest_rank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9) == 9);
  CHECK(analysis::parse_fraction("5%") == Approx(0.05));
  CHECK(analysis::parse_fraction("0.1") == Approx(0.1));
  CHECK_FALSE(analysis::parse_fraction("120%"));
  CHECK_FALSE(analysis::parse_fraction("five"));
  CHECK_FALSE(analysis::parse_fraction("5 %"));
}

TEST_CASE("The sweep progress line counts runs and estimates the time left") {
  // 3 of 12 done after 30 s: 10 s per run, 9 left → 90 s = 1m30s.
  CHECK(sim::format_sweep_progress(3, 12, 2, 30) ==
        "[dlsim sweep] 3/12 runs done, 2 running, about 1m30s left");
  CHECK(sim::format_sweep_progress(0, 12, 2, 1) == "[dlsim sweep] 0/12 runs done, 2 running");
}
