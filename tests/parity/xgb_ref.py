#!/usr/bin/env python3
"""xgb_ref.py -- python xgboost reference for tests/unit/test_xgb.c.

Usage: xgb_ref.py DIR N P NTEST FOLDS BASE [NTHREAD]

Reads DIR/X.bin (N x P), DIR/y.bin (N), DIR/Xt.bin (NTEST x P), little-endian
float64, row-major.  Re-states the seed's search -- GridSearchCV over
XGBRegressor(objective='reg:squarederror', tree_method='hist', n_estimators=100,
learning_rate=0.1, random_state=42) with max_depth {3,4,5} x gamma {0,0.5} x
reg_lambda {1,10}, cv=KFold(FOLDS) unshuffled, scoring 'r2' -- with base_score set
to the mean of each fit's training labels (BASE=mean) or left at the xgboost
1.7.4 default of 0.5 (BASE=default).  Writes DIR/ref.txt:
  grid <max_depth> <gamma> <reg_lambda> <mean_test_score> <std_test_score>
  best <max_depth> <gamma> <reg_lambda>
  pred <i> <prediction on Xt of the refitted best estimator>
  gain <j> <get_score(importance_type='gain') of feature f<j>>
"""
import sys

import numpy as np
import xgboost as xgb
from sklearn.model_selection import GridSearchCV, KFold


class MeanBaseXGBRegressor(xgb.XGBRegressor):
    """XGBRegressor whose every fit starts from the mean of its labels."""

    def fit(self, X, y, **kw):
        self.set_params(base_score=float(np.mean(y)))
        return super().fit(X, y, **kw)


def main():
    d, n, p, nt, folds, base = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
    nthread = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    X = np.fromfile(f"{d}/X.bin", dtype="<f8").reshape(n, p)
    y = np.fromfile(f"{d}/y.bin", dtype="<f8")
    Xt = np.fromfile(f"{d}/Xt.bin", dtype="<f8").reshape(nt, p)
    cls = MeanBaseXGBRegressor if base == "mean" else xgb.XGBRegressor
    est = cls(objective="reg:squarederror", tree_method="hist", n_estimators=100,
              learning_rate=0.1, random_state=42, n_jobs=nthread)
    grid = {"max_depth": [3, 4, 5], "gamma": [0, 0.5], "reg_lambda": [1, 10]}
    gs = GridSearchCV(est, grid, cv=KFold(folds), scoring="r2")
    gs.fit(X, y)
    with open(f"{d}/ref.txt", "w") as out:
        r = gs.cv_results_
        for i, prm in enumerate(r["params"]):
            out.write("grid %d %.17g %.17g %.17g %.17g\n" % (
                prm["max_depth"], prm["gamma"], prm["reg_lambda"],
                r["mean_test_score"][i], r["std_test_score"][i]))
        b = gs.best_params_
        out.write("best %d %.17g %.17g\n" % (b["max_depth"], b["gamma"], b["reg_lambda"]))
        for i, v in enumerate(gs.best_estimator_.predict(Xt)):
            out.write("pred %d %.17g\n" % (i, v))
        score = gs.best_estimator_.get_booster().get_score(importance_type="gain")
        for j in range(p):
            out.write("gain %d %.17g\n" % (j, score.get(f"f{j}", 0.0)))


if __name__ == "__main__":
    main()
