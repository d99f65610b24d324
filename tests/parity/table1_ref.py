#!/usr/bin/env python3
"""Table 1 computed independently with pandas + scipy (the libraries
tableone 0.9.5 calls, not packaged in Debian itself), compared with the CSV
that `ecgfit table1 --format csv --full-digits` wrote.  Prints TAP.

usage: table1_ref.py PARTICIPANTS.csv TABLE1.csv CODINGS.tsv
         --vars a,b,... [--categorical ..] [--nonnormal ..] [--groupby g]
         [--no-include-null] [--equal-var] [--all] [--group-map CODE=LABEL,...]
Every number is compared to 1e-6 (relative above 1), every p-value to 1e-6."""
import argparse
import csv
import math
import re
import sys

import numpy as np
import pandas as pd
from scipy import stats

ap = argparse.ArgumentParser()
ap.add_argument("participants")
ap.add_argument("table")
ap.add_argument("codings")
ap.add_argument("--vars", required=True)
ap.add_argument("--categorical", default="")
ap.add_argument("--nonnormal", default="")
ap.add_argument("--codings-of", default="", help="var=coding,... for level labels")
ap.add_argument("--groupby")
ap.add_argument("--no-include-null", action="store_true")
ap.add_argument("--equal-var", action="store_true")
ap.add_argument("--all", action="store_true")
a = ap.parse_args()

T = 0
FAILED = 0


def ok(cond, what):
    global T, FAILED
    T += 1
    if not cond:
        FAILED += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (T, what))


def close(got, want, tol=1e-6):
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None or (isinstance(got, float) and math.isnan(got))
    if got is None:
        return False
    return abs(got - want) <= tol * max(1.0, abs(want))


df = pd.read_csv(a.participants)
if not a.all:
    df = df[df["has_ecg"] == 1]
rows = list(csv.DictReader(open(a.table, newline="")))
codes = {}
for line in open(a.codings):
    if line.startswith("#") or line.startswith("coding\t"):
        continue
    c, v, m = line.rstrip("\n").split("\t")
    codes.setdefault(int(c), {})[float(v)] = m
coding_of = dict(x.split("=") for x in a.codings_of.split(",") if x)
cat = set(x for x in a.categorical.split(",") if x)
nonnormal = set(x for x in a.nonnormal.split(",") if x)
include_null = not a.no_include_null


def label(var, v):
    if isinstance(v, float) and math.isnan(v):
        return "None"
    m = codes.get(int(coding_of[var]), {}) if var in coding_of else {}
    return m.get(float(v), "%g" % v)


num = r"([-+0-9.eEnainf]+)"


def parse_cont(cell):
    m = re.fullmatch(num + r" \(" + num + r"\)", cell)
    if m:
        return float(m.group(1)), float(m.group(2)), None
    m = re.fullmatch(num + r" \[" + num + "," + num + r"\]", cell)
    if m:
        return float(m.group(1)), float(m.group(2)), float(m.group(3))
    return None


def parse_cat(cell):
    m = re.fullmatch(r"(\d+) \(" + num + r"\)", cell)
    return (int(m.group(1)), float(m.group(2))) if m else None


def pnum(cell):
    return float(cell) if cell not in ("", None) else float("nan")


# columns: Overall, then one per group level in numeric order
cols = ["Overall"]
groups = []
if a.groupby:
    lv = sorted(df[a.groupby].dropna().unique())
    groups = [(v, label(a.groupby, v)) for v in lv]
    cols += [g[1] for g in groups]
    hdr = list(rows[0].keys())
    at = hdr.index("Overall") + 1
    ok(hdr[at:at + len(groups)] == [g[1] for g in groups],
       "group columns in numeric order of the codes: %s" % [g[1] for g in groups])
subsets = {"Overall": df}
for v, lab in groups:
    subsets[lab] = df[df[a.groupby] == v]

# the n row
ok(rows[0]["variable"] == "n", "first row is n")
for c in cols:
    ok(int(rows[0][c]) == len(subsets[c]), "n %s = %d" % (c, len(subsets[c])))

# rows of each variable, in --vars order (minus the group)
byvar = []
for r in rows[1:]:
    if not byvar or byvar[-1][0] != r["variable"]:
        byvar.append((r["variable"], []))
    byvar[-1][1].append(r)
vars_ = [v for v in a.vars.split(",") if v != a.groupby]
ok(len(byvar) == len(vars_), "%d variables in the table" % len(vars_))

for (lab, vrows), var in zip(byvar, vars_):
    x = df[var]
    first = vrows[0]
    gdata = [subsets[g[1]][var] for g in groups]
    for g in groups:   # --missing-by-group
        col = "Missing (%s)" % g[1]
        if col in first:
            want = int(subsets[g[1]][var].isnull().sum())
            ok(int(first[col]) == want, "%s %s: %s vs %d" % (var, col, first[col], want))
    if var not in cat:
        ok(lab.endswith(", median [Q1,Q3]" if var in nonnormal else ", mean (SD)"), "%s: label suffix (%s)" % (var, lab))
        ok(int(first["Missing"]) == int(x.isnull().sum()), "%s: Missing %d" % (var, x.isnull().sum()))
        for c in cols:
            s = subsets[c][var].dropna()
            got = parse_cont(first[c])
            if len(s) == 0:
                ok(first[c] == "-", "%s %s: no values shows -" % (var, c))
                continue
            if var in nonnormal:
                want = (np.median(s), np.percentile(s, 25), np.percentile(s, 75))
            else:
                want = (s.mean(), s.std(ddof=1) if len(s) > 1 else 0.0, None)
            ok(got is not None and close(got[0], want[0]) and close(got[1], want[1]) and
               (want[2] is None or close(got[2], want[2])),
               "%s %s: %s vs %s" % (var, c, first[c], want))
        if groups:
            ss = [g.dropna() for g in gdata]
            for i in range(len(groups)):
                for j in range(i + 1, len(groups)):
                    col = "SMD (%s,%s)" % (groups[i][1], groups[j][1])
                    if col in first:
                        m1, m2 = ss[i].mean(), ss[j].mean()
                        s1, s2 = ss[i].std(ddof=1), ss[j].std(ddof=1)
                        want = (m2 - m1) / math.sqrt((s1 ** 2 + s2 ** 2) / 2)
                        ok(close(pnum(first[col]), want), "%s %s: %s vs %.9g" % (var, col, first[col], want))
            if "P-Value" in first:
                mn = min(len(s) for s in ss)
                if mn == 0:
                    p, name, st = float("nan"), "Not tested", None
                elif var in nonnormal:
                    st, p = stats.kruskal(*ss)
                    name = "Kruskal-Wallis"
                elif len(ss) == 2 and mn >= 2:
                    st, p = stats.ttest_ind(ss[0], ss[1], equal_var=a.equal_var)
                    name = "Pooled T-test" if a.equal_var else "Welch\u2019s T-test"
                else:
                    st, p = stats.f_oneway(*ss)
                    name = "One-way ANOVA"
                ok(close(pnum(first["P-Value"]), p), "%s: p %s vs %.9g (%s)" % (var, first["P-Value"], p, name))
                if "Test" in first:
                    ok(first["Test"] == name, "%s: test %s" % (var, first["Test"]))
                if "Statistic" in first and st is not None:
                    ok(close(float(first["Statistic"].split("= ")[1]), st), "%s: statistic %s vs %.9g" %
                       (var, first["Statistic"], st))
        continue
    # categorical
    ok(lab.endswith(", n (%)"), "%s: label suffix" % var)
    xs = x.copy()
    if include_null:
        ok(first["Missing"] == "", "%s: Missing empty with include_null" % var)
    else:
        ok(int(first["Missing"]) == int(x.isnull().sum()), "%s: Missing %d" % (var, x.isnull().sum()))
    levels = sorted(x.dropna().unique())
    keys = [(v, label(var, v)) for v in levels]
    if include_null and x.isnull().any():
        keys.append((float("nan"), "None"))
    ok([r["level"] for r in vrows] == [k[1] for k in keys], "%s: levels %s" % (var, [k[1] for k in keys]))
    for r, (v, lname) in zip(vrows, keys):
        for c in cols:
            s = subsets[c][var]
            den = len(s) if include_null else s.notnull().sum()
            n = int(s.isnull().sum()) if lname == "None" else int((s == v).sum())
            got = parse_cat(r[c])
            ok(got is not None and got[0] == n and (den == 0 or close(got[1], 100.0 * n / den)),
               "%s=%s %s: %s vs %d (%.6f)" % (var, lname, c, r[c], n, 100.0 * n / den if den else float("nan")))
    if groups:
        g = df[df[a.groupby].notnull()]
        xv = g[var].fillna(1e300) if include_null else g[var]
        ct = pd.crosstab(xv, g[a.groupby])   # levels x groups, NaN dropped when not include_null
        ct = ct[[v for v, _ in groups if v in ct.columns]]
        props = ct / ct.sum(axis=0)
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                col = "SMD (%s,%s)" % (groups[i][1], groups[j][1])
                if col not in first:
                    continue
                # the levels either group has (a level neither has makes
                # the covariance singular: ecgfit leaves it out)
                both = (ct.iloc[:, i] + ct.iloc[:, j]) > 0
                p1 = props[both].iloc[1:, i].values
                p2 = props[both].iloc[1:, j].values
                cov = [np.diag(p * (1 - p)) - np.outer(p, p) + np.diag(p * p) for p in (p1, p2)]
                S = (cov[0] + cov[1]) / 2
                d = p2 - p1
                try:
                    want = float(np.sqrt(d @ np.linalg.inv(S) @ d))
                except np.linalg.LinAlgError:
                    want = float("nan")
                ok(close(pnum(first[col]), want), "%s %s: %s vs %.9g" % (var, col, first[col], want))
        if "P-Value" in first:
            obs = ct.values
            mn = obs.sum(axis=0).min()
            st = None
            if mn == 0:
                p, name = float("nan"), "Not tested"
            else:
                st, p, _, exp = stats.chi2_contingency(obs)
                name = "Chi-squared"
                if exp.min() < 5 or mn < 5:
                    if obs.shape == (2, 2):
                        st, p = stats.fisher_exact(obs)
                        name = "Fisher's exact"
                    else:
                        name = "Chi-squared (warning: expected count < 5)"
            ok(close(pnum(first["P-Value"]), p), "%s: p %s vs %.9g (%s)" % (var, first["P-Value"], p, name))
            if "Test" in first:
                ok(first["Test"] == name, "%s: test '%s' vs '%s'" % (var, first["Test"], name))
            if "Statistic" in first and st is not None:
                ok(close(float(first["Statistic"].split("= ")[1]), st), "%s: statistic %s vs %.9g" %
                   (var, first["Statistic"], st))

print("1..%d" % T)
sys.exit(1 if FAILED else 0)
