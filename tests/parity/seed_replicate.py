#!/usr/bin/python3
"""The seed's replicated_basic_model.py / replicated_deep_VO2_model.py logic,
re-stated with numpy and pandas (no TensorFlow: the embeddings come from a
CSV), compared with what `ecgfit replicate --scale sqrt` stored.

usage: seed_replicate.py COEFS SEED_DIR EMB_CSV STORE TARGET_COLUMN

COEFS     the coefficient file (model,term,coefficient,center,scale)
SEED_DIR  `ecgfit export labels --seed-layout` output: 30038-1.0.csv and
          eid_age2_sex_bmi2.csv, the seed's inputs
EMB_CSV   `ecgfit export embeddings --format csv`: eid,pclr_output_0,...
STORE     the project's ecgfit.h5 (read with h5py)

Prints TAP lines (no plan) for both models: the seed's participants and no
others (`replicate` without --all), predictions within 1e-9, and the seed's
evaluate_metrics on its rows.
"""
import math
import sys

import h5py
import numpy as np
import pandas as pd

coefs, seed_dir, emb_csv, store, target = sys.argv[1:6]
TARGET_LABEL = "30038-1.0"
n_test = 0


def ok(cond, what):
    global n_test
    n_test += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n_test, what))


def params_of(model):
    """{term: [coef, mean, var]} in file order, as the seed's dicts."""
    c = pd.read_csv(coefs, keep_default_na=True)
    c = c[c["model"] == model]
    out = {}
    for _, r in c.iterrows():
        mean = None if pd.isna(r["center"]) else float(r["center"])
        var = None if pd.isna(r["scale"]) else float(r["scale"])
        out[r["term"]] = [float(r["coefficient"]), mean, var]
    return out


def predict(data, params, skip_zero):
    """The seed's predict_basic / deep_ecg_vo2_predict: (x - mean) / sqrt(var)."""
    predictions = pd.Series([params["(Intercept)"][0]] * len(data), index=data.index)
    data["test_type_bike"] = 1.0
    data["test_type_treadmill"] = 0.0
    data["test_type_rower"] = 0.0
    for term, (coef, mean, var) in params.items():
        if term == "(Intercept)":
            continue
        if skip_zero and coef == 0.0:
            continue
        x = data[term].astype(float)
        if mean is not None and var is not None:
            x = (x - mean) / 1.0 if var <= 1e-9 else (x - mean) / np.sqrt(var)
        predictions += coef * x
    return predictions


def seed_metrics(y, p):
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    mse = mean_squared_error(y, p)
    return {"r": np.corrcoef(y, p)[0, 1], "r2": r2_score(y, p), "mae": mean_absolute_error(y, p), "mse": mse,
            "rmse": np.sqrt(mse)}


labels_df = pd.read_csv(seed_dir + "/30038-1.0.csv")
clinical_df = pd.read_csv(seed_dir + "/eid_age2_sex_bmi2.csv")
clinical_df["sex"] = 1 - clinical_df["sex"]   # the seed: UKB 0 = female -> 1 = female
full = labels_df.merge(clinical_df, on="eid", how="inner")
full["eid"] = full["eid"].astype(int)
emb = pd.read_csv(emb_csv)
# Keras gives the seed float32 embeddings; the CSV's 9 digits read back as
# the same float32, not as its exact double
pclr = [c for c in emb.columns if c != "eid"]
emb[pclr] = emb[pclr].astype(np.float32).astype(np.float64)

for model, key, skip_zero in (("basic", "khurshid-basic", False), ("deep_ecg_vo2", "khurshid-deep-ecg-vo2", True)):
    data = full.copy()
    if model == "deep_ecg_vo2":
        data = data.merge(emb, on="eid", how="inner")
    pred = predict(data.copy(), params_of(model), skip_zero)
    valid = data[TARGET_LABEL].notna()
    seed = pd.DataFrame({"eid": data["eid"][valid], "y": data[TARGET_LABEL][valid], "p": pred[valid]})
    with h5py.File(store, "r") as f:
        g = f["predictions/%s/fixed/%s" % (target, key)]
        ours = pd.DataFrame({"eid": g["eid"][()], "y": g["y"][()], "p": g["yhat"][()], "split": g["split"][()]})
        mg = f["metrics/%s/fixed/%s/test" % (target, key)].attrs
        stored = {k: float(mg[k]) for k in ("r", "r2", "mae", "mse", "rmse", "n")}
    m = seed.merge(ours, on="eid", how="left", suffixes=("_seed", "_ours"))
    ok(len(seed) > 10, "%s: the seed predicts %d participants with a target" % (model, len(seed)))
    ok(m["p_ours"].notna().all(), "%s: ecgfit predicts every one of them" % model)
    d = float(np.max(np.abs(m["p_seed"] - m["p_ours"]))) if len(m) else math.inf
    ok(d <= 1e-9, "%s: predictions within 1e-9 of the seed's (max |diff| %.3g)" % (model, d))
    ok(bool((m["split"] == 1).all()), "%s: rows with a target are test rows" % model)
    # the default cohort is the seed's: the same metric rows, not more
    t = ours[ours["split"] == 1]
    ok(set(t["eid"]) == set(seed["eid"]), "%s: the seed's participants and no others (n %d, seed %d)"
       % (model, len(t), len(seed)))
    ok(stored["n"] == len(seed), "%s: metrics n %d = the seed's %d" % (model, stored["n"], len(seed)))
    sm = seed_metrics(seed["y"].values, seed["p"].values)
    bad = [k for k in sm if abs(sm[k] - stored[k]) > 1e-9 * max(1.0, abs(sm[k]))]
    ok(not bad, "%s: r, R2, MAE, MSE, RMSE equal the seed's evaluate_metrics on its rows (%s)"
       % (model, ",".join(bad) or "all"))
