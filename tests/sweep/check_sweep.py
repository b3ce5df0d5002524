#!/usr/bin/env python3
"""dlsim sweep end to end (docs/sweep.md) on tests/sweep/tiny.sweep.yaml.

1. The plan run locally with --jobs 2, then merged: every figure of each merged sweep.csv row
   equals the summary.json value of the same point run alone with `dlsim run … --set …
   --seed S`: counts exactly, CPU means and working sets to a relative 1e-12. Not bytes: a
   run's CPU means move in their last digits with the heap layout, which the length of the
   -o path changes (models/k8s/pod.hpp sums in-flight execs in pointer order); the sweep
   runs every point with the same strings wherever its DIR is (app/cli_sweep.cpp), so 2.
   holds bytewise.
2. Shards 0/2 and 1/2 (in either order) merge to the same bytes as the unsharded sweep, and a
   second sweep into another directory gives the same run directories' summary.json bytes.
3. The expected risk (derived from the 2-hour FDR's figures, see tiny.sweep.yaml): with the
   limit at 128Mi, abacus-collection-replica's peak working set on PostgreSQL (147.5 and
   144.2 MiB with 2Gi, seeds 1-2) is over the limit, so both seeds are OOM killed (P = 1); on
   Oracle it is 110.1 MiB with seed 1 and 129.3 MiB with seed 2 (rows the finisher committed
   during the clean-up come back raw at READ COMMITTED and are held as dicts), so one seed of
   two is (P = 0.5); at 2Gi no run is. The smallest safe limit is 2Gi with either engine.
Usage: check_sweep.py DLSIM PLAN OUT
"""
import csv
import filecmp
import json
import os
import shutil
import subprocess
import sys

dlsim, plan, out = sys.argv[1:4]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)


def run(*args):
    p = subprocess.run([dlsim, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"dlsim {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def fail(msg):
    sys.exit("FAIL: " + msg)


run("sweep", plan, "-o", f"{out}/all", "--jobs", "2", "-q")
run("sweep", "merge", f"{out}/all", "-o", f"{out}/merged")
sweep = json.load(open(f"{out}/all/sweep.json"))
rows = list(csv.DictReader(open(f"{out}/merged/sweep.csv")))
if len(rows) != 8:  # 2 limits × 2 engines × 2 seeds
    fail(f"{len(rows)} rows in sweep.csv, expected 8")

# 1. Each run against the same point run alone.
for row, r in zip(rows, sweep["runs"]):
    point = sweep["points"][r["point"]]
    args = ["run", sweep["scenario"], "-q", "-o", f"{out}/single"]
    for s in sweep["set"]:
        args += ["--set", s]
    for k, v in point["sets"].items():
        args += ["--set", f"{k}={v}"]
        if row[k] != v:
            fail(f"{r['dir']}: {k} is {row[k]} in sweep.csv, {v} in the plan")
    run(*args, "--seed", str(r["seed"]))
    single = json.load(open(f"{out}/single/summary.json"))
    for svc in single["services"]:
        for f in ("oom_kills", "restarts"):
            if int(row[f"{svc['name']}.{f}"]) != svc[f]:
                fail(f"{r['dir']}: {svc['name']}.{f} {row[svc['name'] + '.' + f]} != {svc[f]}")
        for f in ("mem_ws_max_bytes", "cpu_mean_cores"):
            if abs(float(row[f"{svc['name']}.{f}"]) - svc[f]) > 1e-12 * abs(svc[f]):
                fail(f"{r['dir']}: {svc['name']}.{f} {row[svc['name'] + '.' + f]} != {svc[f]}")
    for t in single["tables"]:
        for f in ("rows_max", "rows_final"):
            if int(row[f"{t['name']}.{f}"]) != t[f]:
                fail(f"{r['dir']}: {t['name']}.{f} differs")
    if int(row["seed"]) != r["seed"] or single["seed"] != r["seed"]:
        fail(f"{r['dir']}: seed")

# 2. Shards merge to the unsharded bytes.
run("sweep", plan, "-o", f"{out}/s0", "--shard", "0/2", "--jobs", "2", "-q")
run("sweep", plan, "-o", f"{out}/s1", "--shard", "1/2", "--jobs", "1", "-q")
run("sweep", "merge", f"{out}/s1", f"{out}/s0", "-o", f"{out}/merged-shards")
for f in ("sweep.csv", "risk.csv", "backlog.csv", "summary.md"):
    if not filecmp.cmp(f"{out}/merged/{f}", f"{out}/merged-shards/{f}", False):
        fail(f"{f}: shards 0/2 + 1/2 differ from the unsharded sweep")
for k, r in enumerate(sweep["runs"]):  # run k of the plan is shard k mod 2's
    shard = f"s{k % 2}"
    if not filecmp.cmp(f"{out}/all/{r['dir']}/summary.json", f"{out}/{shard}/{r['dir']}/summary.json", False):
        fail(f"{r['dir']}: summary.json of the shard differs from the unsharded sweep")
if len(json.load(open(f"{out}/s0/sweep.json"))["runs"]) != 4:
    fail("shard 0/2 should hold 4 of the 8 runs")
p = run("sweep", "merge", f"{out}/s0", "-o", f"{out}/merged-half")
if "missing: p000-seed2" not in p.stdout:  # run 1 (p000-seed2) is shard 1's
    fail("merging one shard should name the missing runs: " + p.stdout)

# 3. The expected risk.
risk = {(r["point"], r["service"]): r for r in csv.DictReader(open(f"{out}/merged/risk.csv"))}
expect = {"0": "1", "1": "0.5", "2": "0", "3": "0"}  # points: 128Mi pg, 128Mi ora, 2Gi pg, 2Gi ora
for point, p_oom in expect.items():
    got = risk[(point, "abacus-collection-replica")]["p_oom"]
    if got != p_oom:
        fail(f"point {point}: p_oom {got}, expected {p_oom}")
summary = open(f"{out}/merged/summary.md").read()
for line in ("| database.engine=postgresql | abacus-collection-replica | 2Gi |",
             "| database.engine=oracle | abacus-collection-replica | 2Gi |"):
    if line not in summary:
        fail(f"summary.md lacks '{line}'")
print("ok")
