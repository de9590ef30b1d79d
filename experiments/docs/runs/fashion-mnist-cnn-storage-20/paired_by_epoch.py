#!/usr/bin/env python3
"""Claims 1-3 of the seed at its 20 epochs, from this folder's curves.csv: octal8 - quant8 paired by seed.

For each comparison: mean paired difference, 95% paired-t interval, paired t p, and the Holm-adjusted p over
the comparisons printed here. Needs python3-scipy.  Usage: python3 paired_by_epoch.py [curves.csv]
"""
import csv
import os
import sys
from collections import defaultdict

from scipy import stats

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "curves.csv")
curve = defaultdict(dict)  # (method, seed) -> epoch -> row
for row in csv.DictReader(open(path)):
    curve[(row["method"], int(row["seed"]))][int(row["epoch"])] = row
seeds = sorted({s for (m, s) in curve if m == "octal8"} & {s for (m, s) in curve if m == "quant8"})
last = max(curve[("octal8", seeds[0])])


def per_seed(f):
    return [f(curve[("octal8", s)]) - f(curve[("quant8", s)]) for s in seeds]


def acc(e):
    return lambda c: 100 * float(c[e]["test_accuracy"])


def loss_fall(c):  # how much the training loss fell over the last quarter of the epochs
    return float(c[last - last // 4]["train_loss"]) - float(c[last]["train_loss"])


rows = [
    ("test accuracy, octal8 - quant8, epoch 5 (points)", per_seed(acc(5))),
    (f"test accuracy, octal8 - quant8, epoch {last} (points)", per_seed(acc(last))),
    (f"gap at epoch {last} - gap at epoch 5 (points; claim 2: +7.6)", per_seed(lambda c: acc(last)(c) - acc(5)(c))),
    (f"training-loss fall over epochs {last - last // 4}-{last}, octal8 - quant8 (claim 3: > 0)", per_seed(loss_fall)),
]
n = len(seeds)
results = []
for name, d in rows:
    mean = sum(d) / n
    t = stats.ttest_1samp(d, 0.0)
    half = stats.t.ppf(0.975, n - 1) * stats.sem(d)
    results.append([name, mean, mean - half, mean + half, t.pvalue])
order = sorted(range(len(results)), key=lambda i: results[i][4])
running = 0.0
for rank, i in enumerate(order):
    running = max(running, min(1.0, (len(results) - rank) * results[i][4]))
    results[i].append(running)
print(f"paired by seed, n = {n} (seeds {seeds}); 95% paired-t interval; Holm over {len(results)} comparisons")
for name, mean, lo, hi, p, holm in results:
    print(f"{name}: {mean:+.2f} ({lo:+.2f} to {hi:+.2f}), t p = {p:.2g}, Holm p = {holm:.2g}")
for m in ("float", "quant8", "octal8"):
    finals = [100 * float(curve[(m, s)][last]["test_accuracy"]) for s in sorted(s for (mm, s) in curve if mm == m)]
    if finals:
        mean = sum(finals) / len(finals)
        print(f"{m}: final test accuracy {mean:.2f}% (seeds: {', '.join(f'{v:.2f}' for v in finals)})")
