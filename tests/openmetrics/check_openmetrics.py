#!/usr/bin/env python3
"""dlsim export-metrics (docs/outputs.md#metricsom, docs/grafana.md) checked by the tool an
operator backfills with: Debian's promtool (package prometheus, scripts/setup.sh).

A 30-minute FDR (scenarios/fdr.yaml --set duration=30m) is exported and backfilled with
`promtool tsdb create-blocks-from openmetrics`, then read back with `promtool tsdb list` and
`promtool tsdb dump`. Expected figures, and how they are derived:
- Timestamps: --start default 2020-11-17T00:00:00Z = 1605571200 s (18583 days × 86400);
  samples every 15 s (fdr.yaml's sample_interval), the first at 1605571215000 ms, the last at
  1605571200 + 1800 s = 1605573000000 ms; 1800 / 15 = 120 samples per pod (every FDR pod is
  bound at t = 0 and stays on its node: asserted from pods.csv and events.csv first).
- One block: promtool cuts 2-hour blocks aligned on multiples of 7200 s since the epoch;
  1605571200 = 222996 × 7200, so the 30 minutes fall in one block.
- Series (from the run directory's files, counted here independently of dlsim): per sampled
  pod 4 (CPU counter, working set, RSS, restarts), +2 with a CPU limit (CFS periods and
  throttled periods), +1 per request or limit set (cpu and memory, requests and limits);
  per node 2 allocatable + 4 dlsim_node_*; per pool 3 dlsim_pool_nodes states; 1 pending
  pods; per queue table 3; per RSE 3; per link 6. Samples: the same with each series' rows.
- Values: the last container_cpu_usage_seconds_total of every pod = Σ cpu_cores × 15 over
  its timeseries/pods.csv rows (relative 1e-12); CFS periods = 1800 s / 0.1 s = 18000;
  throttled periods = round(Σ throttled_fraction × 15 / 0.1) (the API servers at their
  4-CPU limit make it nonzero: asserted); restarts, table rows: the last CSV value;
  kube_node_status_allocatable cpu = 8 − 0.5 reserved = 7.5 cores, memory = 16 GB − 1 GiB
  reserved − 100 MiB eviction threshold = 16000000000 − 1073741824 − 104857600 =
  14821400576 bytes on every node (fdr.yaml cluster.node_pools.default).
- Same run directory → same bytes; bad input → FILE:LINE:COL: error, exit 2, no file.
Usage: check_openmetrics.py DLSIM PROMTOOL SCENARIO OUT
"""
import collections
import csv
import filecmp
import os
import re
import shutil
import subprocess
import sys

dlsim, promtool, scenario, out = sys.argv[1:5]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
run_dir = f"{out}/run"
START_MS, END_MS, STEP_S, PERIOD_S = 1605571200000, 1605573000000, 15, 0.1


def fail(msg):
    sys.exit("FAIL: " + msg)


def call(*args, expect=0):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"{' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}{p.stderr}")
    return p


def rows(name):
    return list(csv.DictReader(open(f"{run_dir}/{name}")))


call(dlsim, "run", scenario, "--set", "duration=30m", "-o", run_dir, "-q")
printed = call(dlsim, "export-metrics", run_dir, "--label", "source=dlsim").stdout
call(dlsim, "export-metrics", run_dir, "--label", "source=dlsim", "-o", f"{out}/again.om")
if not filecmp.cmp(f"{run_dir}/metrics.om", f"{out}/again.om", shallow=False):
    fail("two exports of the same run directory differ")
text = open(f"{run_dir}/metrics.om").read()
if not text.endswith("\n# EOF\n"):
    fail("metrics.om does not end with # EOF")

# The run directory's figures, counted here.
pods = rows("pods.csv")
samples = collections.defaultdict(list)
for r in rows("timeseries/pods.csv"):
    samples[r["object"]].append(r)
scheduled = collections.Counter(e["object"] for e in rows("events.csv") if e["kind"] == "Scheduled")
for p in pods:
    if p["scheduled_s"] != "0" or scheduled[p["pod"]] != 1 or len(samples[p["pod"]]) != 120:
        fail(f"pod {p['pod']}: not bound once at 0 with 120 samples; the derivation needs it")
series = n_samples = 0
for p in pods:
    per_pod = 4 + (2 if p["cpu_limit_cores"] else 0)
    per_pod += sum(1 for c in ("cpu_request_cores", "cpu_limit_cores", "mem_request_bytes",
                               "mem_limit_bytes") if p[c])
    series += per_pod
    n_samples += per_pod * len(samples[p["pod"]])
for name, per_object in (("nodes", 6), ("tables", 3), ("rses", 3), ("links", 6)):
    by_object = collections.Counter(r["object"] for r in rows(f"timeseries/{name}.csv"))
    series += per_object * len(by_object)
    n_samples += per_object * sum(by_object.values())
cluster = collections.Counter(r["object"] for r in rows("timeseries/cluster.csv"))
series += 3 * (len(cluster) - 1) + 1
n_samples += sum(3 * n if o != "*" else n for o, n in cluster.items())
if f"{series} series, {n_samples} samples" not in printed:
    fail(f"dlsim printed {printed.strip()!r}; expected {series} series, {n_samples} samples")

# Backfill with promtool, as docs/grafana.md does.
blocks = f"{out}/blocks"
listing = call(promtool, "tsdb", "create-blocks-from", "openmetrics", f"{run_dir}/metrics.om",
               blocks).stdout
block_rows = [l.split() for l in listing.splitlines() if re.match(r"^[0-9A-Z]{26} ", l)]
if len(block_rows) != 1:
    fail(f"{len(block_rows)} blocks, expected 1:\n{listing}")
_, t_min, t_max, _, got_samples, _, got_series, _ = block_rows[0]
if (int(t_min), int(t_max)) != (START_MS + 15000, END_MS + 1):  # max time is exclusive
    fail(f"block spans {t_min}..{t_max}, expected {START_MS + 15000}..{END_MS + 1}")
if (int(got_series), int(got_samples)) != (series, n_samples):
    fail(f"block has {got_series} series, {got_samples} samples; expected {series}, {n_samples}")

os.makedirs(f"{blocks}/wal", exist_ok=True)  # promtool tsdb dump opens the WAL directory


def last_values(selector):
    """{label set without __name__: (value, ts_ms)} of the last sample of each series."""
    dump = call(promtool, "tsdb", "dump", f"--match={selector}", blocks).stdout
    last = {}
    for line in dump.splitlines():
        m = re.match(r"^\{(.*)\} (\S+) (\d+)$", line)
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1)))
        if labels.pop("source", None) != "dlsim" or labels.get("namespace") != "rucio":
            fail(f"series without source=\"dlsim\" or namespace=\"rucio\": {line}")
        labels.pop("__name__")
        last[tuple(sorted(labels.items()))] = (float(m.group(2)), int(m.group(3)))
    return last


def by(label, values):
    return {dict(k)[label]: v for k, v in values.items()}


cpu = by("pod", last_values("container_cpu_usage_seconds_total"))
periods = by("pod", last_values("container_cpu_cfs_periods_total"))
throttled = by("pod", last_values("container_cpu_cfs_throttled_periods_total"))
restarts = by("pod", last_values("kube_pod_container_status_restarts_total"))
for p in pods:
    name, rs = p["pod"], samples[p["pod"]]
    want_cpu = sum(float(r["cpu_cores"]) * STEP_S for r in rs)
    got, ts = cpu[name]
    if ts != END_MS or abs(got - want_cpu) > 1e-12 * max(1.0, want_cpu):
        fail(f"{name}: CPU counter {got} at {ts}, expected {want_cpu} at {END_MS}")
    if restarts[name][0] != float(rs[-1]["restarts"]):
        fail(f"{name}: restarts {restarts[name][0]}, expected {rs[-1]['restarts']}")
    if not p["cpu_limit_cores"]:
        if name in periods or name in throttled:
            fail(f"{name}: CFS counters without a CPU limit")
        continue
    want_thr = round(sum(float(r["throttled_fraction"]) * STEP_S / PERIOD_S for r in rs))
    if periods[name][0] != 18000 or throttled[name][0] != want_thr:
        fail(f"{name}: CFS periods {periods[name][0]}, throttled {throttled[name][0]}; "
             f"expected 18000, {want_thr}")
if not any(v[0] > 0 for v in throttled.values()):
    fail("no pod throttled: the API servers at their 4-CPU limit should be")

for key, (value, _) in last_values("kube_node_status_allocatable").items():
    want = 7.5 if dict(key)["resource"] == "cpu" else 14821400576
    if value != want:
        fail(f"allocatable {key} = {value}, expected {want}")
table_rows = by("table", last_values("dlsim_queue_table_rows"))
for r in rows("timeseries/tables.csv")[-14:]:
    if table_rows[r["object"]][0] != float(r["rows"]):
        fail(f"table {r['object']}: {table_rows[r['object']][0]} rows, expected {r['rows']}")

# Bad input: FILE:LINE:COL: error, exit 2, and the output file untouched.
target = f"{out}/kept.om"
open(target, "w").write("old\n")
bad_dir = f"{out}/bad-run"
shutil.copytree(run_dir, bad_dir)
lines = open(f"{bad_dir}/timeseries/pods.csv").read().split("\n")
fields = lines[2].split(",")
fields[2] = "abc"
lines[2] = ",".join(fields)
open(f"{bad_dir}/timeseries/pods.csv", "w").write("\n".join(lines))
col = len(",".join(fields[:2])) + 2
cases = [
    ([bad_dir], rf"^{re.escape(bad_dir)}/timeseries/pods.csv:3:{col}: error: "),
    ([f"{out}/missing"], rf"^{re.escape(out)}/missing:1:1: error: not a directory"),
    ([run_dir, "--start", "2020-11-31T00:00:00Z"], r"^--start:1:1: error: '2020-11-31T00:00:00Z'"),
    ([run_dir, "--label", "pod=x"], r"^--label:1:1: error: label 'pod' is one of dlsim's own"),
    ([run_dir, "--label", "source=dlsim", "--label", "9x=1"], r"^--label:2:1: error: '9x'"),
]
for args, pattern in cases:
    p = call(dlsim, "export-metrics", *args, "-o", target, expect=2)
    if not re.search(pattern, p.stderr):
        fail(f"export-metrics {' '.join(args)}: stderr {p.stderr!r} does not match {pattern!r}")
    if open(target).read() != "old\n" or [f for f in os.listdir(out) if ".tmp-" in f]:
        fail(f"export-metrics {' '.join(args)} changed {target} or left a temporary file")
print(f"ok: {series} series, {n_samples} samples backfilled and read back")
