"""Compares two summary.json files: equal structure and strings, numbers equal to a relative
1e-12. Prints every number that differs at all, with both values, so that a test log shows
which keys moved and by how much. Exit 0 when all numbers are within the tolerance."""
import json
import sys


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            out.append((path, "keys differ", sorted(set(a) ^ set(b))))
            return
        for k in a:
            walk(a[k], b[k], f"{path}.{k}" if path else k, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "lengths differ", (len(a), len(b))))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a != b:
            rel = abs(a - b) / max(abs(a), abs(b))
            out.append((path, "number", (a, b, rel)))
    elif a != b:
        out.append((path, "value differs", (a, b)))


def main():
    with open(sys.argv[1]) as f1, open(sys.argv[2]) as f2:
        a, b = json.load(f1), json.load(f2)
    diffs = []
    walk(a, b, "", diffs)
    bad = [d for d in diffs if d[1] != "number" or d[2][2] > 1e-12]
    for path, what, detail in diffs:
        print(f"{path}: {what}: {detail}")
    print(f"{len(diffs)} difference(s), {len(bad)} beyond a relative 1e-12")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
