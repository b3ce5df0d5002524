// ctest "sweep: the emitted Indexed Job validates against the Kubernetes schema".
// Usage: node test_job.mjs DLSIM OUT PLAN...
//
// For each PLAN, and for a variant of the first one with no output claim (an emptyDir volume)
// and parallelism 1 written into OUT, `dlsim sweep PLAN --emit k8s-job` must pass
// check_job.mjs (the batch/v1 schema and the plan's contract). Then broken copies of the first
// manifest must fail, each with the expected path in a message: the checker is shown to
// catch what it claims to catch, so this test can fail.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse, parseDocument } from "yaml";
import { checkJob } from "./check_job.mjs";

const [dlsim, out, ...plans] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let failures = 0;
const fail = (msg) => {
  console.error("FAIL: " + msg);
  failures++;
};

// What the plan's `kubernetes:` block asks for, with app/sweep_plan.hpp's defaults.
function expectations(planFile) {
  const k = parse(readFileSync(planFile, "utf8")).kubernetes ?? {};
  return {
    shards: k.shards ?? 1,
    jobs: k.jobs ?? 1,
    image: k.image,
    cpu: String(k.requests?.cpu ?? "1"),
    memory: String(k.requests?.memory ?? "1Gi"),
    claim: k.output_claim,
  };
}

function emit(planFile) {
  const text = execFileSync(dlsim, ["sweep", planFile, "--emit", "k8s-job"], { encoding: "utf8" });
  return parse(text);
}

// The first plan without output_claim and with parallelism 1; its scenario made absolute so
// that the copy in OUT still finds it.
function variantPlan(planFile) {
  const doc = parseDocument(readFileSync(planFile, "utf8"));
  doc.set("scenario", resolve(dirname(planFile), doc.get("scenario")));
  doc.deleteIn(["kubernetes", "output_claim"]);
  doc.setIn(["kubernetes", "parallelism"], 1);
  const file = `${out}/emptydir.sweep.yaml`;
  writeFileSync(file, doc.toString());
  return file;
}

for (const planFile of [...plans, variantPlan(plans[0])]) {
  const job = emit(planFile);
  writeFileSync(`${out}/${planFile.split("/").pop()}.job.json`, JSON.stringify(job, null, 1));
  const errs = checkJob(job, expectations(planFile));
  if (errs.length) fail(`${planFile}: the emitted Job is invalid:\n  ${errs.join("\n  ")}`);
  else console.log(`ok: ${planFile}`);
}

// Broken copies of the first plan's Job: [what is broken, how, a path the errors must name].
const c0 = (j) => j.spec.template.spec.containers[0];
const broken = [
  [
    "a misspelt completion mode",
    (j) => (j.spec.completionMode = "Indexd"),
    "/spec/completionMode: must be equal to one of the allowed values",
  ],
  [
    "parallelism as a string",
    (j) => (j.spec.parallelism = "2"),
    "/spec/parallelism: must be integer",
  ],
  [
    "a memory request that is no quantity",
    (j) => (c0(j).resources.requests.memory = "1 GB"),
    '/resources/requests/memory: must match format "quantity"',
  ],
  [
    "an argument that is no string",
    (j) => (c0(j).args[5] = 2),
    "/containers/0/args/5: must be string",
  ],
  [
    "a container without a name",
    (j) => delete c0(j).name,
    "/containers/0: must have required property name",
  ],
  [
    "a pod restart policy that does not exist",
    (j) => (j.spec.template.spec.restartPolicy = "Sometimes"),
    "/spec/template/spec/restartPolicy: must be equal to one of the allowed values",
  ],
  ["a container without an image", (j) => delete c0(j).image, "/containers/0/image: required"],
  [
    "restartPolicy Always (valid for a Pod, not for a Job)",
    (j) => (j.spec.template.spec.restartPolicy = "Always"),
    "a Job needs Never or OnFailure",
  ],
  [
    "NonIndexed completion",
    (j) => (j.spec.completionMode = "NonIndexed"),
    "/spec/completionMode: 'NonIndexed', expected Indexed",
  ],
  [
    "completions not the number of shards",
    (j) => (j.spec.completions = 3),
    "/spec/completions: 3, expected 2",
  ],
  [
    "parallelism over the completions",
    (j) => (j.spec.parallelism = 5),
    "/spec/parallelism: 5, expected 1..2",
  ],
  ["a fixed shard", (j) => (c0(j).args[3] = "0/2"), "--shard is '0/2'"],
  [
    "one output directory for every shard",
    (j) => (c0(j).args[7] = "/out/tiny"),
    "is the same for every shard",
  ],
  [
    "the index variable not declared",
    (j) => (c0(j).env = []),
    "$(JOB_COMPLETION_INDEX) is not in the container's env",
  ],
  [
    "the index from the wrong field",
    (j) => (c0(j).env[0].valueFrom.fieldRef.fieldPath = "metadata.name"),
    "JOB_COMPLETION_INDEX does not come from",
  ],
  [
    "a mount of no volume",
    (j) => (c0(j).volumeMounts[0].name = "outputs"),
    "'outputs' names no volume",
  ],
  [
    "output outside the volume",
    (j) => (c0(j).volumeMounts[0].mountPath = "/data"),
    "is under no volume mount",
  ],
  ["other --jobs than the plan's", (j) => (c0(j).args[5] = "7"), "--jobs is '7', expected '2'"],
  [
    "a Job name that is no DNS label",
    (j) => (j.metadata.name = "dlsim_sweep"),
    "is not a DNS-1123 label",
  ],
];
const planFile = plans[0];
const base = JSON.stringify(emit(planFile));
for (const [what, breakIt, expected] of broken) {
  const job = JSON.parse(base);
  breakIt(job);
  const errs = checkJob(job, expectations(planFile));
  if (!errs.some((e) => e.includes(expected)))
    fail(
      `${what}: expected an error with '${expected}', got:\n  ${errs.join("\n  ") || "(none: accepted)"}`,
    );
  else console.log(`ok: rejected ${what}`);
}
console.log(`${broken.length + plans.length + 1 - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
