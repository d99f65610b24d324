#!/usr/bin/env python3
"""pandas' side of bench-table1: the same 31 columns (data.f64, written by
bench_table1), loaded untimed, then timed: groupby('group').describe() of
the 30 variables (count, mean, std, min, quartiles, max per group), the
descriptive core of a tableone Table 1.  With --tests, also scipy's tests
and value counts of the categorical columns, as tableone adds them.
Prints "pandas_s <best seconds>"."""
import sys
import time

import numpy as np
import pandas as pd

path, n, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tests = "--tests" in sys.argv
a = np.fromfile(path, dtype="<f8").reshape(31, n)
df = pd.DataFrame({("group" if j == 0 else "v%02d" % j): a[j] for j in range(31)})
cols = ["v%02d" % j for j in range(1, 31)]
best = float("inf")
for _ in range(repeat):
    t0 = time.perf_counter()
    d = df.groupby("group")[cols].describe()
    if tests:
        from scipy import stats
        g = [df[df.group == k] for k in (0.0, 1.0)]
        for j, c in enumerate(cols, 1):
            if j <= 20:
                stats.ttest_ind(g[0][c].dropna(), g[1][c].dropna(), equal_var=False)
            elif j <= 24:
                stats.kruskal(g[0][c].dropna(), g[1][c].dropna())
            else:
                stats.chi2_contingency(pd.crosstab(df[c].fillna(-1), df.group))
    best = min(best, time.perf_counter() - t0)
print("pandas_s %.4f" % best)
