#!/usr/bin/env python3
"""seed_const.py — constant feature columns, against the seed's models.py
flow (FULL strategy: age, sex, bmi and the embedding columns) re-stated with
pandas/sklearn/xgboost.  Prints TAP.

usage: seed_const.py SEED_DIR EMB.csv CONST PRED_DIR REPORT.csv TARGET_COLUMN

SEED_DIR holds `ecgfit export labels --seed-layout` output; EMB.csv the
embeddings ecgfit imported (eid,pclr_output_0,...); CONST the comma-separated
indices of the embedding columns that are constant over the training rows;
PRED_DIR/F_M.csv `export predictions` of TARGET_KEY/F/M for F = full (every
column) and nc (the same without the CONST columns) and M = lasso,
elasticnet, xgboost; REPORT.csv `report --format csv` (the chosen
parameters).

Checks, for each model: the reference itself is unchanged by the constant
columns (same choice, predictions within 1e-9); ecgfit's choice with and
without them is the reference's; ecgfit's predictions are the reference's
(within 1e-6 for the linear models, whose solver stops at the same duality
gap; 1e-5 for XGBoost, float32 trees) and its own with and without the
columns agree within 1e-9; the test r agrees with the reference's within
1e-6.  XGBoost is the seed's grid with base_score = the mean of each fit's
labels (ecgfit's default, what xgboost >= 2.0 does; xgb_ref.py).
"""
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler

T = 0
FAILED = 0


def ok(cond, what):
    global T, FAILED
    T += 1
    if not cond:
        FAILED += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (T, what))
    sys.stdout.flush()


def models():
    out = {
        "lasso": (Lasso(max_iter=2000, random_state=42), {"alpha": np.logspace(-3, 2, 50)}),
        "elasticnet": (ElasticNet(max_iter=5000, random_state=42),
                       {"alpha": np.logspace(-3, 2, 20), "l1_ratio": [0.1, 0.5, 0.9, 1.0]}),
    }
    try:
        import xgboost as xgb
    except ImportError:
        return out

    class MeanBase(xgb.XGBRegressor):
        def fit(self, X, y, **kw):
            self.set_params(base_score=float(np.mean(y)))
            return super().fit(X, y, **kw)

    out["xgboost"] = (MeanBase(objective="reg:squarederror", tree_method="hist", n_estimators=100,
                               learning_rate=0.1, random_state=42, n_jobs=2),
                      {"max_depth": [3, 4, 5], "gamma": [0, 0.5], "reg_lambda": [1, 10]})
    return out


def params_of(chosen):
    """ecgfit's "alpha=0.0542868 l1_ratio=0.5" / "max_depth=3 gamma=0.5 lambda=10"."""
    d = dict(kv.split("=") for kv in str(chosen).split())
    if "lambda" in d:
        d["reg_lambda"] = d.pop("lambda")
    return {k: float(v) for k, v in d.items()}


def same_params(eco, ref):
    return set(eco) == set(ref) and all(abs(eco[k] - float(ref[k])) <= 1e-5 * abs(float(ref[k])) + 1e-12
                                        for k in ref)


def main():
    seed_dir, emb_csv, const, pred_dir, rep_csv, col = sys.argv[1:7]
    const = [int(k) for k in const.split(",")]
    labels = pd.read_csv("%s/%s.csv" % (seed_dir, col))
    demo = pd.read_csv("%s/eid_age2_sex_bmi2.csv" % seed_dir)
    emb = pd.read_csv(emb_csv)
    pclr = [c for c in emb.columns if c != "eid"]
    emb[pclr] = emb[pclr].astype(np.float32).astype(np.float64)   # as the store holds them
    merged = labels.merge(demo, on="eid").merge(emb, on="eid").dropna()
    cols = {"full": ["age", "sex", "bmi"] + pclr,
            "nc": ["age", "sex", "bmi"] + [c for c in pclr if int(c.rsplit("_", 1)[1]) not in const]}
    y = merged[col]
    rep = pd.read_csv(rep_csv)
    data = {}
    for fs, c in cols.items():
        X_train, X_test, y_train, y_test = train_test_split(merged[c], y, test_size=0.2, random_state=42)
        sc = StandardScaler().fit(X_train)
        data[fs] = (sc.transform(X_train), sc.transform(X_test), y_train, y_test,
                    merged.loc[X_train.index, "eid"].values, merged.loc[X_test.index, "eid"].values)
        if fs == "full":
            idx = [3 + k for k in const]
            ok(np.all(sc.scale_[idx] == 1.0) and np.max(np.abs(data[fs][0][:, idx])) <= 1e-15,
               "the seed's StandardScaler: scale 1 for the %d constant columns, zeros once scaled" % len(idx))
    for name, (est, grid) in models().items():
        ref = {}
        for fs, (Xtr, Xte, y_train, y_test, e_tr, e_te) in data.items():
            gs = GridSearchCV(est, grid, cv=10, scoring="r2").fit(Xtr, y_train)
            ref[fs] = (gs.best_params_, gs.predict(Xtr), gs.predict(Xte), e_tr, e_te,
                       np.corrcoef(y_test.values, gs.predict(Xte))[0, 1])
        bf, bn = ref["full"][0], ref["nc"][0]
        ok(bf == bn, "%s: the reference's choice is unchanged by the constant columns (%s)" % (name, bf))
        dref = max(np.max(np.abs(ref["full"][1] - ref["nc"][1])), np.max(np.abs(ref["full"][2] - ref["nc"][2])))
        ok(dref <= 1e-9, "%s: ... and so are its predictions (max diff %.3g)" % (name, dref))
        own = {}
        tol = 1e-5 if name == "xgboost" else 1e-6
        for fs in ("full", "nc"):
            row = rep[(rep["features"] == fs) & (rep["model"] == name) & (rep["split"] == "test")].iloc[0]
            ok(same_params(params_of(row["chosen"]), ref[fs][0]),
               "%s/%s: ecgfit chose %s, the reference %s" % (name, fs, row["chosen"], ref[fs][0]))
            pred = pd.read_csv("%s/%s_%s.csv" % (pred_dir, fs, name)).set_index("eid")
            key = pred.columns[1]
            ptr, pte = pred.loc[ref[fs][3], key].values, pred.loc[ref[fs][4], key].values
            own[fs] = np.concatenate([ptr, pte])
            d = max(np.max(np.abs(ptr - ref[fs][1])), np.max(np.abs(pte - ref[fs][2])))
            ok(d <= tol, "%s/%s: predictions within %g of the reference (max diff %.3g)" % (name, fs, tol, d))
            ok(abs(row["r"] - ref[fs][5]) <= 1e-6,
               "%s/%s: test r %.6f, the reference %.6f" % (name, fs, row["r"], ref[fs][5]))
        d = np.max(np.abs(own["full"] - own["nc"]))
        ok(d <= 1e-9, "%s: ecgfit's predictions with and without the constant columns agree (max diff %.3g)"
           % (name, d))
    print("1..%d" % T)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
