#!/usr/bin/env python3
"""seed_models.py — the seed's models.py flow (BASIC strategy, Lasso),
re-stated with pandas/sklearn on the seed-layout files of a project, against
ecgfit's exported predictions and metrics.  Prints TAP.

usage: seed_models.py SEED_DIR PREDICTIONS.csv METRICS.csv REPORT.csv TARGET_COLUMN MAIN_CSV ECG_DIR

The seed's input files are rebuilt here from MAIN_CSV the way its scripts
made them (extract_ukbb_labels.py; blood_pressure_averager.py for
SYSTOLIC_BP_mean / DIASTOLIC_BP_mean, whose outer join puts the rows in eid
order; process_ukbb_demographics.py restricted to the participants with an
instance-2 ECG in ECG_DIR), so the row order, hence the split, is the seed's
own and not ecgfit's.  SEED_DIR holds `ecgfit export labels --seed-layout`
output, whose TARGET.csv must equal the rebuilt file byte for byte;
PREDICTIONS.csv is `export predictions` of TARGET_KEY/basic/lasso,
METRICS.csv `export metrics`, REPORT.csv `report --format csv` (for the
chosen alpha).

Tolerances: identical test eids (the split is bit-exact); the same alpha
(grid points are 26% apart, so equal to 1e-5 relative means the same point);
predictions within 1e-6 (sklearn's coordinate descent stops at its duality
gap tolerance; ecgfit follows the same algorithm, so the residual difference
is rounding); metrics of ecgfit's own predictions, computed here as the seed
does, within 1e-9 relative of ecgfit's stored metrics (same formulas, only
summation order may differ).
"""
import io
import os
import re
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler
from scipy import stats

T = 0
FAILED = 0


def ok(cond, what):
    global T, FAILED
    T += 1
    if not cond:
        FAILED += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (T, what))
    sys.stdout.flush()


def calculate_metrics(y_true, y_pred):
    """The seed's calculate_metrics (models.py), as parity.md §1.2 states it."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    mask = ~(np.isnan(y_true) | np.isnan(y_pred))
    y_true, y_pred = y_true[mask], y_pred[mask]
    n = len(y_true)
    r = np.corrcoef(y_true, y_pred)[0, 1]
    rc = np.clip(r, -0.99999999, 0.99999999)
    z = np.arctanh(rc)
    se = 1 / np.sqrt(n - 3)
    zc = stats.norm.ppf(0.975)
    lo, hi = np.tanh(z - zc * se), np.tanh(z + zc * se)
    mse = mean_squared_error(y_true, y_pred)
    return {"n": n, "r": r, "r_lo": lo, "r_hi": hi, "r2": r2_score(y_true, y_pred),
            "mae": mean_absolute_error(y_true, y_pred), "mse": mse, "rmse": np.sqrt(mse)}


def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


BP_FILES = {"SYSTOLIC_BP_mean": "4080", "DIASTOLIC_BP_mean": "4079"}


def seed_extract(main_csv, col):
    """extract_ukbb_labels.py: eid + col, drop empty, drop -3/-7/-818; CSV order."""
    df = pd.read_csv(main_csv, usecols=["eid", col])
    df = df.dropna(subset=[col])
    return df[~df[col].isin([-3, -7, -818])][["eid", col]]


def seed_label_file(main_csv, col):
    """The seed's TARGET.csv, as its scripts wrote it (text)."""
    if col not in BP_FILES:
        return seed_extract(main_csv, col).to_csv(index=False)
    # blood_pressure_averager.py: the two reading files joined on an eid
    # index with how='outer', which sorts the union of the eids
    f = BP_FILES[col]
    df0 = seed_extract(main_csv, f + "-2.0").set_index("eid")
    df1 = seed_extract(main_csv, f + "-2.1").set_index("eid")
    m = df0.join(df1, lsuffix="_0", rsuffix="_1", how="outer")
    if df0.index.equals(df1.index):
        m = m.sort_index()   # pandas >= 2.2 sorts this case too (GH 55992); Debian's 1.5 does not
    m["mean_value"] = m.mean(axis=1)
    return m[["mean_value"]].rename(columns={"mean_value": col}).to_csv()


def seed_demographics(main_csv, ecg_dir):
    """process_ukbb_demographics.py on the participants with an instance-2 ECG."""
    ecg = set()
    for _, _, names in os.walk(ecg_dir):
        for nm in names:
            mm = re.fullmatch(r"(\d+)_20205_2_0\.xml", nm)
            if mm:
                ecg.add(int(mm.group(1)))
    d = pd.read_csv(main_csv, usecols=["eid", "31-0.0", "21003-2.0", "21001-2.0"])
    d = d.rename(columns={"31-0.0": "sex", "21003-2.0": "age", "21001-2.0": "bmi"}).dropna()
    return d[d["eid"].isin(ecg)][["eid", "age", "sex", "bmi"]]


def main():
    seed_dir, pred_csv, met_csv, rep_csv, col, main_csv, ecg_dir = sys.argv[1:8]
    want = seed_label_file(main_csv, col)
    path = "%s/%s.csv" % (seed_dir, col)
    got = open(path).read() if os.path.exists(path) else "(missing)"
    ok(got == want, "seed-layout %s.csv identical to the seed's (%d rows, in the seed's order)"
       % (col, want.count("\n") - 1))
    if got != want:
        for a, b in zip(want.splitlines(), got.splitlines()):
            if a != b:
                print("# first difference: seed %r, ecgfit %r" % (a, b))
                break
    labels = pd.read_csv(io.StringIO(want))
    demo = seed_demographics(main_csv, ecg_dir)
    # models.py: labels.merge(clinical, inner) keeps the label file's order
    merged = labels.merge(demo, on="eid").dropna()
    X = merged[["age", "sex", "bmi"]]
    y = merged[col]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    sc = StandardScaler().fit(X_train)
    Xtr, Xte = sc.transform(X_train), sc.transform(X_test)
    gs = GridSearchCV(Lasso(max_iter=2000, random_state=42), {"alpha": np.logspace(-3, 2, 50)}, cv=10,
                      scoring="r2")
    gs.fit(Xtr, y_train)
    yhat_tr, yhat_te = gs.predict(Xtr), gs.predict(Xte)
    test_eids = merged.loc[X_test.index, "eid"].values
    train_eids = merged.loc[X_train.index, "eid"].values

    pred = pd.read_csv(pred_csv)
    key = col if col in pred.columns else pred.columns[1]
    ok(list(pred.columns) == ["eid", key, key + "_predicted", "split"],
       "predictions header eid,<target>,<target>_predicted,split")
    e_test = pred.loc[pred["split"] == "test", "eid"].values
    e_train = pred.loc[pred["split"] == "train", "eid"].values
    ok(len(e_test) == len(test_eids) and set(e_test) == set(test_eids),
       "same test participants (%d, sklearn %d)" % (len(e_test), len(test_eids)))
    ok(set(e_train) == set(train_eids), "same training participants (%d)" % len(train_eids))

    rep = pd.read_csv(rep_csv)
    rep = rep[rep["target"] == key]
    row = rep[(rep["features"] == "basic") & (rep["model"] == "lasso")].iloc[0]
    alpha = float(str(row["chosen"]).split("=")[1])
    best = gs.best_params_["alpha"]
    ok(close(alpha, best, 1e-5), "same chosen alpha (ecgfit %s, sklearn %.6g)" % (row["chosen"], best))

    p = pred.set_index("eid")
    d_te = np.abs(p.loc[test_eids, key + "_predicted"].values - yhat_te)
    d_tr = np.abs(p.loc[train_eids, key + "_predicted"].values - yhat_tr)
    ok(d_te.max() <= 1e-6, "test predictions within 1e-6 (max diff %.3g)" % d_te.max())
    ok(d_tr.max() <= 1e-6, "train predictions within 1e-6 (max diff %.3g)" % d_tr.max())
    ok(np.array_equal(p.loc[test_eids, key].values, y_test.values), "measured values carried as the seed's")

    met = pd.read_csv(met_csv)
    met = met[met["target"] == key]
    for split, eids in (("train", train_eids), ("test", test_eids),
                        ("full", np.concatenate([train_eids, test_eids]))):
        m_e = met[(met["features"] == "basic") & (met["model"] == "lasso") & (met["split"] == split)].iloc[0]
        own = calculate_metrics(p.loc[eids, key].values, p.loc[eids, key + "_predicted"].values)
        ok(int(m_e["n"]) == own["n"], "%s: n %d" % (split, own["n"]))
        bad = [k for k in ("r", "r_lo", "r_hi", "r2", "mae", "mse", "rmse") if not close(m_e[k], own[k], 1e-9)]
        ok(not bad, "%s: metrics = calculate_metrics on ecgfit's predictions within 1e-9 %s" % (split, bad or ""))
    sk = calculate_metrics(y_test.values, yhat_te)
    m_e = met[(met["features"] == "basic") & (met["model"] == "lasso") & (met["split"] == "test")].iloc[0]
    ok(all(close(m_e[k], sk[k], 1e-6) for k in ("r", "r2", "mae", "rmse")),
       "test metrics = sklearn's flow's within 1e-6 (r %.6f vs %.6f)" % (m_e["r"], sk["r"]))
    print("1..%d" % T)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
