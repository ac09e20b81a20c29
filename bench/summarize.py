#!/usr/bin/env python3
"""Medians of repeated msgr-bench runs.

Reads the JSON lines of run-benchmarks.sh (results.jsonl), groups them by
scenario and label (the label minus its trailing "run N"), and prints the
median, minimum and maximum of every numeric field of each group.

usage: summarize.py results.jsonl [field ...]
"""

import json
import re
import statistics
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    fields = set(sys.argv[2:])
    groups = {}
    with open(sys.argv[1]) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            label = re.sub(r"\s*run \d+$", "", d.get("label", ""))
            groups.setdefault((d["scenario"], label), []).append(d)
    for (sc, label), runs in groups.items():
        print("## %s %s (%d runs)" % (sc, label, len(runs)))
        for key, value in runs[0].items():
            if not isinstance(value, (int, float)) or (fields and key not in fields):
                continue
            vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
            print("  %-26s median %-12.6g min %-12.6g max %.6g"
                  % (key, statistics.median(vals), min(vals), max(vals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
