#!/usr/bin/env python3
"""Prints JMH JSON results (-rf json) of the GEMM benchmarks as a Markdown table of GFLOP/s.

The benchmarks count 2·m·n·k flop per call in the `flop` secondary result with nanoseconds as the
output unit, so its score is GFLOP/s. Usage: bench/jmh-table.py results.json [more.json ...]
"""
import json
import sys


def main(paths):
    print("| benchmark | params | GFLOP/s | ± (99.9%) |")
    print("|---|---|---:|---:|")
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            flop = run.get("secondaryMetrics", {}).get("flop")
            if flop is None:
                continue
            name = run["benchmark"].rsplit(".", 2)[-2]
            params = " ".join(f"{k}={v}" for k, v in run.get("params", {}).items())
            err = flop.get("scoreError")
            err_text = "" if err is None or err != err else f"{err:.1f}"
            print(f"| {name} | {params} | {flop['score']:.1f} | {err_text} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
