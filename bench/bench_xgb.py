#!/usr/bin/env python3
"""bench_xgb.py -- the seed's XGBoost grid search through the python wrapper.

Usage: bench_xgb.py DIR N P [NTHREAD [JOBS]]
Reads DIR/X.bin, DIR/y.bin written by bench_xgb and times GridSearchCV over
XGBRegressor (the seed's grid, KFold(10) unshuffled, R2, refit) with the
parameters ecgfit uses (base_score = the mean of each fit's labels), each
booster with NTHREAD threads (default 2), GridSearchCV(n_jobs=JOBS) (default
1: the fits one after the other).  Prints "seconds S" (wall), "cpu S" (this
process's threads; with JOBS > 1 the workers run in other processes), "best
PARAMS" and one "grid PARAMS MEAN" line per point.
"""
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.model_selection import GridSearchCV, KFold


class MeanBaseXGBRegressor(xgb.XGBRegressor):
    def fit(self, X, y, **kw):
        self.set_params(base_score=float(np.mean(y)))
        return super().fit(X, y, **kw)


def main():
    d, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    nthread = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    X = np.fromfile(f"{d}/X.bin", dtype="<f8").reshape(n, p)
    y = np.fromfile(f"{d}/y.bin", dtype="<f8")
    est = MeanBaseXGBRegressor(objective="reg:squarederror", tree_method="hist",
                               n_estimators=100, learning_rate=0.1, random_state=42,
                               n_jobs=nthread)
    grid = {"max_depth": [3, 4, 5], "gamma": [0, 0.5], "reg_lambda": [1, 10]}
    gs = GridSearchCV(est, grid, cv=KFold(10), scoring="r2", n_jobs=jobs)
    t0, c0 = time.perf_counter(), time.process_time()
    gs.fit(X, y)
    t1, c1 = time.perf_counter(), time.process_time()
    print("seconds %.3f" % (t1 - t0))
    print("cpu %.3f" % (c1 - c0))
    b = gs.best_params_
    print("best max_depth=%d gamma=%g lambda=%g" % (b["max_depth"], b["gamma"], b["reg_lambda"]))
    r = gs.cv_results_
    for i, q in enumerate(r["params"]):
        print("grid max_depth=%d gamma=%g lambda=%g %.17g" % (
            q["max_depth"], q["gamma"], q["reg_lambda"], r["mean_test_score"][i]))


if __name__ == "__main__":
    main()
