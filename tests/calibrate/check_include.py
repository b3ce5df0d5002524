#!/usr/bin/python3
"""A calibration overlay included by a scenario gives the same run as its values given by --set.

Usage: check_include.py DLSIM SOURCE_DIR OUT_DIR

1. `dlsim calibrate scenarios/fdr.yaml --observed scenarios/fdr/observed.csv -o overlay.yaml`
   (shortened to DURATION; the fit differs from fdr.yaml's own constants, which step 4 checks).
2. OUT_DIR/calibrated.yaml is only `include: [SOURCE/scenarios/fdr.yaml, overlay.yaml]`: the
   later include (the overlay) wins over fdr.yaml's rucio values (docs/scenario.md#include).
3. `dlsim run calibrated.yaml`, `dlsim run fdr.yaml --set K=V` for every value of the
   overlay, and `dlsim run fdr.yaml` as it is.
4. The first two scenario.resolved.yaml must be equal byte for byte (the rucio.model block
   and every base_memory among them), and their rucio.model block must differ from the plain
   run's (else the include would have changed nothing and step 4 would prove nothing).
5. The include run's scenario_sha256 is the SHA-256 of calibrated.yaml's bytes followed by
   fdr.yaml's and the overlay's, in reading order (docs/outputs.md).
"""
import hashlib
import json
import os
import re
import subprocess
import sys

import yaml

# Short: the loader is under test, not the fit; 1 h still gives every fitted service work.
DURATION = "1h"


def run(args):
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, text=True, stdout=subprocess.DEVNULL)


def leaves(node, path=""):
    """key.path=value for every scalar of the overlay, as --set takes them."""
    out = []
    for key, value in node.items():
        child = f"{path}.{key}" if path else key
        out += leaves(value, child) if isinstance(value, dict) else [f"{child}={value}"]
    return out


def model_block(resolved_text):
    m = re.search(r"^  model:\n((?:    .*\n)+)", resolved_text, re.M)
    if not m:
        sys.exit("FAILED: no rucio.model block in scenario.resolved.yaml")
    return m.group(1)


def main(dlsim, source, out):
    source, out = os.path.abspath(source), os.path.abspath(out)
    fdr = os.path.join(source, "scenarios", "fdr.yaml")
    os.makedirs(out, exist_ok=True)
    overlay = os.path.join(out, "overlay.yaml")
    run([dlsim, "calibrate", fdr, "--observed", os.path.join(source, "scenarios", "fdr",
         "observed.csv"), "--set", f"duration={DURATION}", "-o", overlay])
    calibrated = os.path.join(out, "calibrated.yaml")
    with open(calibrated, "w") as f:
        f.write("# The FDR with the fitted constants (tests/calibrate/check_include.py).\n"
                f"include: [{fdr}, overlay.yaml]\n")
    sets = leaves(yaml.safe_load(open(overlay)))
    print(f"{len(sets)} overlay values: {', '.join(sets)}")
    dirs = {k: os.path.join(out, k) for k in ("include", "set", "plain")}
    run([dlsim, "run", calibrated, "-q", "-o", dirs["include"], "--set", f"duration={DURATION}"])
    args = [dlsim, "run", fdr, "-q", "-o", dirs["set"], "--set", f"duration={DURATION}"]
    for s in sets:
        args += ["--set", s]
    run(args)
    run([dlsim, "run", fdr, "-q", "-o", dirs["plain"], "--set", f"duration={DURATION}"])
    resolved = {k: open(os.path.join(d, "scenario.resolved.yaml")).read() for k, d in dirs.items()}
    failures = []
    if resolved["include"] != resolved["set"]:
        failures.append("scenario.resolved.yaml of the include differs from the --set one")
    if model_block(resolved["include"]) == model_block(resolved["plain"]):
        failures.append("the overlay changed no rucio.model constant")
    print("rucio.model with the overlay included:\n" + model_block(resolved["include"]))
    digest = hashlib.sha256()
    for path in (calibrated, fdr, overlay):
        digest.update(open(path, "rb").read())
    got = json.load(open(os.path.join(dirs["include"], "run.json")))["scenario_sha256"]
    print(f"scenario_sha256 {got}, expected {digest.hexdigest()}")
    if got != digest.hexdigest():
        failures.append("scenario_sha256 is not the hash of the scenario and its includes")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
