"""The seed's Lasso / ElasticNet GridSearchCV (models.py) on the benchmark's
data, timed around GridSearchCV.fit; prints the same lines as bench_linear.

Usage: sklearn_linear.py DIR N P lasso|elasticnet N_JOBS
"""
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")  # ConvergenceWarning, as the seed's log would show

d, n, p, kind, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
X = np.fromfile(f"{d}/X.bin", dtype="<f8").reshape(n, p)
y = np.fromfile(f"{d}/y.bin", dtype="<f8")
X = StandardScaler().fit_transform(X)
if kind == "lasso":
    est, grid = Lasso(random_state=42, max_iter=2000), {"alpha": np.logspace(-3, 2, 50)}
else:
    est = ElasticNet(random_state=42, max_iter=5000)
    grid = {"alpha": np.logspace(-3, 2, 20), "l1_ratio": [0.1, 0.5, 0.9, 1.0]}
g = GridSearchCV(est, grid, scoring="r2", cv=10, n_jobs=jobs)
t0 = time.perf_counter()
g.fit(X, y)
t = time.perf_counter() - t0
b = g.best_estimator_
best = "alpha=%g" % b.alpha if kind == "lasso" else "alpha=%g l1_ratio=%g" % (b.alpha, b.l1_ratio)
print("seconds %.3f" % t)
print("best_index %d" % g.best_index_)
print("best %s" % best)
print("mean_r2 %.12f" % g.best_score_)
print("nonzero %d" % np.count_nonzero(b.coef_))
print("intercept %.12f" % b.intercept_)
