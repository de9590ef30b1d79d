#!/usr/bin/env python3
"""SciPy's values for the paired statistics of octoquant.experiments.stats.

    python3 stats_reference.py          print the CASES block of PairedStatisticsReferenceTest.java
                                        (the committed reference values; needs SciPy >= 1.17, whose default
                                        wilcoxon is the rule the Java code follows)
    python3 stats_reference.py --serve  answer requests on stdin, one per line, for the live property test:
                                        "x1 x2 ... | y1 y2 ..." -> "mean lo hi t_p perm_p wilcoxon_p d_z"

The first line the server prints is "scipy <version>". Floats travel as repr() text, which round-trips
doubles exactly; NaN is "nan".

What each number is (x, y paired, d = x - y):
  mean, lo, hi  mean of d and the 95% interval: mean -/+ t.ppf(0.975, n - 1) * sd / sqrt(n)
  t_p           scipy.stats.ttest_rel(x, y).pvalue
  perm_p        scipy.stats.permutation_test((x, y), mean of x - y, permutation_type='samples',
                n_resamples=inf, alternative='two-sided').pvalue: every sign pattern
  wilcoxon_p    the signed-rank p by the rule of SciPy 1.17's default (zero_method='wilcox',
                correction=False, method='auto'), written out with calls that exist from SciPy 1.10 on:
                no zeros, no tied |d| and n <= 50: wilcoxon(d, method='exact'); else n <= 13: a sign-flip
                permutation test of the rank sum of the positive differences (ranks of the nonzero |d|);
                else the normal approximation with tie correction; every d zero: 1
  d_z           mean(d) / std(d, ddof=1); nan when that std is 0
"""
import sys
from fractions import Fraction
from itertools import product

import numpy as np
import scipy
from scipy import stats


def mean_difference(x, y, axis=-1):
    return np.mean(x - y, axis=axis)


def t_values(x, y):
    d = x - y
    n = len(d)
    res = stats.ttest_rel(x, y)
    mean = float(np.mean(d))
    sd = float(np.std(d, ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / np.sqrt(n)
    dz = mean / sd if sd > 0 else float("nan")
    return mean, mean - half, mean + half, float(res.pvalue), dz


def permutation_p(x, y):
    return float(stats.permutation_test((x, y), mean_difference, permutation_type="samples",
                                        n_resamples=np.inf, vectorized=True,
                                        alternative="two-sided").pvalue)


def wilcoxon_rule_p(d):
    n = len(d)
    nonzero = d[d != 0]
    m = len(nonzero)
    if m == 0:
        return 1.0
    ties = len(np.unique(np.abs(nonzero))) < m
    if m == n and not ties and n <= 50:
        return float(stats.wilcoxon(d, method="exact").pvalue)
    if n <= 13:
        if m == 1:
            return 1.0  # two sign patterns, rank sums 0 and 1: both tails hold at least half
        ranks = stats.rankdata(np.abs(nonzero))
        rank_sum = lambda s, axis=-1: np.sum((s > 0) * ranks, axis=axis)
        return float(stats.permutation_test((nonzero,), rank_sum, permutation_type="samples",
                                            n_resamples=np.inf, vectorized=True,
                                            alternative="two-sided").pvalue)
    method = "asymptotic" if "asymptotic" in stats.wilcoxon.__doc__ else "approx"
    return float(stats.wilcoxon(d, method=method, correction=False).pvalue)


def values(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean, lo, hi, t_p, dz = t_values(x, y)
    return mean, lo, hi, t_p, permutation_p(x, y), wilcoxon_rule_p(x - y), dz


# ---- the committed cases -------------------------------------------------------------------------------

CASES = [
    ("n2 positive", ["1.0", "2.5"], ["0.2", "1.1"]),
    ("n3 accuracies", ["97.1", "97.4", "96.9"], ["96.2", "96.8", "96.5"]),
    ("n4 all negative", ["0.33", "0.36", "0.30", "0.31"], ["0.51", "0.49", "0.55", "0.50"]),
    ("n5 mixed signs", ["1.2", "-0.4", "2.2", "0.9", "0.15"], ["0.7", "0.3", "1.1", "1.0", "-0.6"]),
    ("n5 one zero and a tie", ["3", "4", "5", "6", "7"], ["3", "2", "6", "3", "5"]),
    ("n6 tied magnitudes", ["1", "2", "3", "4", "5", "6"], ["0", "3", "1", "2", "2", "9"]),
    ("n7 zeros and ties", ["10", "11", "12", "13", "14", "15", "16"], ["10", "11", "11", "14", "12", "12", "13"]),
    ("n8 continuous", ["0.912", "1.377", "-0.254", "2.031", "0.468", "1.119", "0.803", "1.552"],
     ["0.407", "1.590", "-0.911", "1.283", "0.512", "0.377", "0.041", "1.664"]),
    ("n9 all positive", ["5.3", "6.1", "4.4", "7.9", "5.5", "6.6", "5.1", "4.9", "6.8"],
     ["5.0", "5.2", "4.3", "6.4", "4.85", "6.05", "4.72", "4.06", "6.01"]),
    ("n10 ties and zeros", ["2", "2", "3", "5", "1", "4", "6", "2", "3", "8"],
     ["2", "1", "1", "5", "3", "3", "4", "0", "3", "5"]),
    ("n11 mixed", ["12.31", "11.84", "13.02", "12.77", "11.95", "12.40", "13.33", "12.01", "12.88", "11.62", "12.55"],
     ["12.02", "12.11", "12.35", "12.90", "11.23", "12.47", "12.58", "12.44", "12.09", "11.20", "12.73"]),
    ("n12 mostly positive", ["0.81", "0.77", "0.92", "0.85", "0.79", "0.88", "0.83", "0.90", "0.76", "0.84", "0.87", "0.80"],
     ["0.7937", "0.7811", "0.8765", "0.8322", "0.7448", "0.8603", "0.8351", "0.8590", "0.7489", "0.8055", "0.8421", "0.8016"]),
    ("n12 many ties", ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
     ["0", "1", "4", "3", "3", "5", "5", "8", "7", "8", "11", "10"]),
    ("n4 all differences 0.5", ["1.5", "2.5", "3.5", "4.5"], ["1", "2", "3", "4"]),
    ("n2 all differences -2", ["0", "1"], ["2", "3"]),
    ("n3 all differences 0", ["1", "2", "3"], ["1", "2", "3"]),
    ("n14 ties, normal approximation", ["3", "5", "2", "8", "6", "4", "7", "9", "5", "6", "3", "8", "7", "4"],
     ["1", "4", "3", "5", "4", "4", "4", "6", "2", "5", "5", "4", "3", "1"]),
    ("n16 no ties, exact beyond 13", [str(v) for v in range(1, 17)],
     ["0.9", "1.8", "3.3", "3.55", "4.5", "6.65", "6.3", "7.2", "8.05", "11.05", "9.85", "10.8", "14.35", "12.6",
      "13.45", "14.4"]),
    ("n18 exact sign flips", ["0.5", "1.5", "-0.25", "2.0", "0.75", "1.25", "-1.0", "3.0", "0.125",
                              "1.75", "2.5", "-0.5", "0.25", "1.0", "2.25", "-0.75", "0.625", "1.125"],
     ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]),
]


def exact_sign_flip_p(xs, ys):
    """The sign-flip p in exact rational arithmetic on the decimal inputs: the truth the floats approximate."""
    d = [Fraction(a) - Fraction(b) for a, b in zip(xs, ys)]
    observed = abs(sum(d))
    hits = sum(1 for signs in product((1, -1), repeat=len(d)) if abs(sum(s * v for s, v in zip(signs, d))) >= observed)
    return Fraction(hits, 2 ** len(d))


def exact_tie_pattern(xs, ys):
    d = [Fraction(a) - Fraction(b) for a, b in zip(xs, ys)]
    return sorted(abs(v) for v in d)


def java_double(v):
    if np.isnan(v):
        return "Double.NaN"
    return repr(float(v))


def print_cases():
    version = tuple(int(p) for p in scipy.__version__.split(".")[:2])
    if version < (1, 17):
        sys.exit("stats_reference.py: the committed values come from SciPy >= 1.17 (its default wilcoxon is the rule "
                 f"the Java code follows); this is SciPy {scipy.__version__}")
    print(f"    // Generated by src/test/python/stats_reference.py with SciPy {scipy.__version__}, NumPy {np.__version__}.")
    print("    // Columns: mean difference, 95% CI low, high, ttest_rel p, permutation_test p, wilcoxon p, Cohen's d_z.")
    print("    static final List<Case> CASES = List.of(")
    lines = []
    for name, xs, ys in CASES:
        x = np.array([float(v) for v in xs])
        y = np.array([float(v) for v in ys])
        d = x - y
        # The floats must show the ties and sign-flip ties of the exact decimals, or the case tests round-off.
        floats_sorted = sorted(abs(v) for v in d)
        exact_sorted = exact_tie_pattern(xs, ys)
        for i in range(len(d) - 1):
            if (floats_sorted[i] == floats_sorted[i + 1]) != (exact_sorted[i] == exact_sorted[i + 1]):
                sys.exit(f"case {name!r}: float round-off changes the ties of |x - y|; choose other values")
        mean, lo, hi, t_p, perm_p, w_rule, dz = values(x, y)
        if len(d) <= 16 and exact_sign_flip_p(xs, ys) != Fraction(perm_p).limit_denominator(2 ** len(d)):
            sys.exit(f"case {name!r}: SciPy's sign-flip p {perm_p} is not the exact-arithmetic one")
        w_default = float(stats.wilcoxon(x, y).pvalue)
        if not np.isclose(w_default, w_rule, rtol=1e-12, atol=0):
            sys.exit(f"case {name!r}: wilcoxon default {w_default} differs from the rule {w_rule}")
        nums = ", ".join(java_double(v) for v in (mean, lo, hi, t_p, perm_p, w_default, dz))
        xj = ", ".join(xs)
        yj = ", ".join(ys)
        lines.append(f'        new Case("{name}",\n'
                     f'                new double[] {{{xj}}},\n'
                     f'                new double[] {{{yj}}},\n'
                     f'                {nums})')
    print(",\n".join(lines) + ");")


def serve():
    print(f"scipy {scipy.__version__}", flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        left, right = line.split("|")
        x = [float(v) for v in left.split()]
        y = [float(v) for v in right.split()]
        print(" ".join(repr(float(v)) for v in values(x, y)), flush=True)


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    if sys.argv[1:] == ["--serve"]:
        serve()
    elif not sys.argv[1:]:
        print_cases()
    else:
        sys.exit("usage: stats_reference.py [--serve]")
