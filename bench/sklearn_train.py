"""The seed's two linear grids (models.py) on a project store: the rows with
the target, age, sex, BMI and the embeddings, in the store's (main-CSV)
order, train_test_split(test_size=0.2, random_state=42), StandardScaler on
the training rows, then GridSearchCV(Lasso | ElasticNet, the seed's grid,
scoring='r2', cv=10, n_jobs=N_JOBS).fit, each timed around fit.

Usage: sklearn_train.py STORE TARGET EMBEDDINGS N_JOBS
Prints "lasso seconds=S best=..." and "elasticnet seconds=S best=..."."""
import sys
import time
import warnings

import h5py
import numpy as np
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")  # ConvergenceWarning, as the seed's log would show

store, target, emb, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with h5py.File(store, "r") as f:
    p = f["participants"]
    eid = p["eid"][:]
    cols = [p[k][:] for k in ("age", "sex", "bmi")]
    y = p[target][:]
    e = f["embeddings"][emb]
    pos = {v: i for i, v in enumerate(e["eid"][:])}
    vals = e["values"][:].astype(np.float64)
rows = [i for i in range(len(eid)) if eid[i] in pos]
X = np.column_stack([np.column_stack([c[rows] for c in cols]), vals[[pos[eid[i]] for i in rows]]])
y = y[rows]
ok = np.isfinite(y) & np.isfinite(X).all(axis=1)
X, y = X[ok], y[ok]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
Xtr = StandardScaler().fit_transform(Xtr)
for kind in ("lasso", "elasticnet"):
    if kind == "lasso":
        est, grid = Lasso(random_state=42, max_iter=2000), {"alpha": np.logspace(-3, 2, 50)}
    else:
        est = ElasticNet(random_state=42, max_iter=5000)
        grid = {"alpha": np.logspace(-3, 2, 20), "l1_ratio": [0.1, 0.5, 0.9, 1.0]}
    g = GridSearchCV(est, grid, scoring="r2", cv=10, n_jobs=jobs)
    t0 = time.perf_counter()
    g.fit(Xtr, ytr)
    t = time.perf_counter() - t0
    b = g.best_estimator_
    best = "alpha=%g" % b.alpha if kind == "lasso" else "alpha=%g l1_ratio=%g" % (b.alpha, b.l1_ratio)
    print("%s seconds=%.3f rows=%d best=%s mean_r2=%.9f" % (kind, t, len(ytr), best, g.best_score_))
