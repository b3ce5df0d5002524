// Checks a Job manifest written by `dlsim sweep PLAN --emit k8s-job` (docs/sweep.md) in two
// layers and returns every problem found as "path: what is wrong" strings (none = valid).
//
// 1. The Kubernetes OpenAPI schema of batch/v1 Job, through the npm package kubernetes-models
//    (its classes' validate() runs the schema compiled with ajv: types, enums such as
//    completionMode and restartPolicy, required fields such as a container's name, the
//    `quantity` format of resource requests). The schema lets unknown fields through (the API
//    schema sets no additionalProperties: false), so a misspelt key is not caught here.
// 2. What the schema cannot say: the rules the API server's Job and Pod validation adds, and
//    the contract between the manifest and the plan (one pod per shard, the completion index
//    as the shard).
import { Job } from "kubernetes-models/batch/v1/Job";

const INDEX_VAR = "JOB_COMPLETION_INDEX";
// The Job controller writes the index into this annotation of every pod of an Indexed Job
// (kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode).
const INDEX_FIELD = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

export function schemaErrors(doc) {
  try {
    new Job(doc).validate();
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    return e.errors.map((x) => `${x.instancePath || "/"}: ${x.message} (schema ${x.schemaPath})`);
  }
}

// A DNS-1123 label: what a Job name must be so that its pods' hostnames
// `<job>-<index>` stay valid (Kubernetes docs, Job, "Completion mode").
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function jobErrors(doc, plan) {
  const errs = [];
  if (doc.apiVersion !== "batch/v1" || doc.kind !== "Job") errs.push("/: not a batch/v1 Job");
  const name = doc.metadata?.name ?? "";
  if (!DNS_LABEL.test(name) || name.length > 63)
    errs.push(`/metadata/name: '${name}' is not a DNS-1123 label`);
  const spec = doc.spec ?? {};
  if (spec.completionMode !== "Indexed")
    errs.push(`/spec/completionMode: '${spec.completionMode}', expected Indexed`);
  if (spec.completions !== plan.shards)
    errs.push(
      `/spec/completions: ${spec.completions}, expected ${plan.shards} (the plan's shards)`,
    );
  const par = spec.parallelism;
  if (!(Number.isInteger(par) && par >= 1 && par <= plan.shards))
    errs.push(`/spec/parallelism: ${par}, expected 1..${plan.shards}`);
  // The API server accepts only Never and OnFailure for a Job's pods
  // (kubernetes pkg/apis/batch/validation/validation.go, validateJobSpec).
  const policy = doc.spec?.template?.spec?.restartPolicy;
  if (policy !== "Never" && policy !== "OnFailure")
    errs.push(`/spec/template/spec/restartPolicy: '${policy}', a Job needs Never or OnFailure`);
  return errs;
}

function argAfter(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
}

// The container runs `dlsim sweep PLAN --shard $(JOB_COMPLETION_INDEX)/N --jobs J -o DIR`.
function argsErrors(c, path, plan) {
  const errs = [];
  const args = c.args ?? [];
  if (c.command?.[0] !== "dlsim" || args[0] !== "sweep")
    errs.push(`${path}: does not run 'dlsim sweep'`);
  const shard = argAfter(args, "--shard");
  if (shard !== `$(${INDEX_VAR})/${plan.shards}`)
    errs.push(`${path}/args: --shard is '${shard}', expected '$(${INDEX_VAR})/${plan.shards}'`);
  const jobs = argAfter(args, "--jobs");
  if (jobs !== String(plan.jobs))
    errs.push(`${path}/args: --jobs is '${jobs}', expected '${plan.jobs}'`);
  const out = argAfter(args, "-o") ?? "";
  if (!out.includes(`$(${INDEX_VAR})`))
    errs.push(`${path}/args: -o '${out}' is the same for every shard`);
  const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
  if (!mounts.some((m) => out.startsWith(m + "/")))
    errs.push(`${path}/args: -o '${out}' is under no volume mount`);
  // $(VAR) is expanded from the container's env only; an undefined reference stays as it is
  // (Kubernetes API reference, Container.args).
  const defined = new Set((c.env ?? []).map((e) => e.name));
  for (const a of [...(c.command ?? []), ...args])
    for (const [, v] of String(a).matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
      if (!defined.has(v)) errs.push(`${path}/args: $(${v}) is not in the container's env`);
  return errs;
}

function containerErrors(doc, plan) {
  const pod = doc.spec?.template?.spec ?? {};
  const cs = pod.containers ?? [];
  if (cs.length !== 1)
    return [`/spec/template/spec/containers: ${cs.length} containers, expected 1`];
  const c = cs[0];
  const path = "/spec/template/spec/containers/0";
  const errs = argsErrors(c, path, plan);
  // The schema leaves image optional (for controllers that fill it in); the API server's Pod
  // validation requires it (kubernetes pkg/apis/core/validation/validation.go,
  // validateContainerCommon: "image: Required value").
  if (!c.image) errs.push(`${path}/image: required`);
  else if (c.image !== plan.image)
    errs.push(`${path}/image: '${c.image}', the plan says '${plan.image}'`);
  const index = (c.env ?? []).find((e) => e.name === INDEX_VAR);
  if (index?.valueFrom?.fieldRef?.fieldPath !== INDEX_FIELD)
    errs.push(`${path}/env: ${INDEX_VAR} does not come from ${INDEX_FIELD}`);
  const req = c.resources?.requests ?? {};
  if (req.cpu !== plan.cpu || req.memory !== plan.memory)
    errs.push(
      `${path}/resources/requests: ${JSON.stringify(req)}, the plan says cpu ${plan.cpu}, memory ${plan.memory}`,
    );
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  for (const m of c.volumeMounts ?? [])
    if (!volumes.has(m.name))
      errs.push(`${path}/volumeMounts: '${m.name}' names no volume of the pod`);
  const claims = [...volumes.values()]
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter(Boolean);
  if (plan.claim && !claims.includes(plan.claim))
    errs.push(`/spec/template/spec/volumes: no claim '${plan.claim}'`);
  return errs;
}

// plan: {shards, jobs, image, cpu, memory, claim} as the sweep plan's `kubernetes:` says.
export function checkJob(doc, plan) {
  return [...schemaErrors(doc), ...jobErrors(doc, plan), ...containerErrors(doc, plan)];
}
