#!/usr/bin/python3
"""Writes a dlsim run's timeseries/pods.csv as Prometheus query_range exports.

Usage: pods_to_prometheus.py RUN_DIR OUT_DIR

What a Prometheus server scraping cAdvisor and kube-state-metrics would return from
/api/v1/query_range for the run's pods, one file per query (docs/calibration.md):

  cpu_seconds.json  container_cpu_usage_seconds_total (counter: the CPU seconds used since
                    the container started, reset to 0 when it restarts), with __name__;
                    plus, per pod, cAdvisor's pod-level series (container="") that the
                    default label rule must skip
  cpu_rate.json     the per-sample rate of the same counter, without __name__ (the result
                    of rate(): the file needs KIND=cpu_rate on the command line)
  memory.json       container_memory_working_set_bytes, with __name__
  restarts.json     kube_pod_container_status_restarts_total, with __name__

Labels: namespace="rucio", container=<service>, pod=<service>-<replica-set hash>-<suffix> as
a Deployment names its pods (both derived from the dlsim pod name, deterministically).
Times: 2020-11-17T00:00:00Z (the FDR's day) + time_s. Only the standard library is used.
"""
import csv
import hashlib
import json
import os
import sys

EPOCH_S = 1605571200  # 2020-11-17T00:00:00Z


def k8s_pod_name(service, pod):
    digest = hashlib.sha256(pod.encode()).hexdigest()
    suffix = "".join("bcdfghjklmnpqrstvwxz2456789"[int(c, 16)] for c in digest[10:15])
    return f"{service}-{digest[:10]}-{suffix}"


def value_text(v):
    return repr(float(v)) if v != int(v) else str(int(v))


def read_run(run_dir):
    with open(os.path.join(run_dir, "pods.csv"), newline="") as f:
        pods = {row["pod"]: row for row in csv.DictReader(f)}
    samples = {}
    with open(os.path.join(run_dir, "timeseries", "pods.csv"), newline="") as f:
        for row in csv.DictReader(f):
            samples.setdefault(row["object"], []).append(row)
    return pods, samples


def counter_of(pod_row, rows):
    """CPU seconds since the container started: Σ cpu_cores × the time since the previous
    sample (since scheduling for the first), restarting from 0 when `restarts` grows."""
    out, total, restarts = [], 0.0, 0
    prev_t = float(pod_row["scheduled_s"] or 0)
    for r in rows:
        t = float(r["time_s"])
        if int(r["restarts"]) > restarts:
            restarts, total = int(r["restarts"]), 0.0
        total += float(r["cpu_cores"]) * (t - prev_t)
        out.append((t, total))
        prev_t = t
    return out


def series(name, labels, points):
    metric = dict(labels)
    if name:
        metric["__name__"] = name
    return {"metric": metric,
            "values": [[time_number(EPOCH_S + t), value_text(v)] for t, v in points]}


def time_number(t):
    return int(t) if t == int(t) else t


def write(path, result):
    """The API's body, one series per line."""
    with open(path, "w") as f:
        f.write('{"status": "success",\n "data": {"resultType": "matrix",\n  "result": [\n')
        f.write(",\n".join("   " + json.dumps(s, separators=(",", ":")) for s in result))
        f.write("\n]}}\n")


def main(run_dir, out_dir):
    pods, samples = read_run(run_dir)
    os.makedirs(out_dir, exist_ok=True)
    cpu, rate, mem, restarts = [], [], [], []
    for pod, rows in sorted(samples.items()):
        service = pods[pod]["service"]
        labels = {"namespace": "rucio", "pod": k8s_pod_name(service, pod),
                  "container": service}
        counter = counter_of(pods[pod], rows)
        cpu.append(series("container_cpu_usage_seconds_total", labels, counter))
        cpu.append(series("container_cpu_usage_seconds_total",
                          dict(labels, container=""), counter))
        rate.append(series(None, labels, [(float(r["time_s"]), float(r["cpu_cores"]))
                                          for r in rows]))
        mem.append(series("container_memory_working_set_bytes", labels,
                          [(float(r["time_s"]), float(r["mem_ws_bytes"])) for r in rows]))
        restarts.append(series("kube_pod_container_status_restarts_total", labels,
                               [(float(r["time_s"]), int(r["restarts"])) for r in rows]))
    write(os.path.join(out_dir, "cpu_seconds.json"), cpu)
    write(os.path.join(out_dir, "cpu_rate.json"), rate)
    write(os.path.join(out_dir, "memory.json"), mem)
    write(os.path.join(out_dir, "restarts.json"), restarts)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
