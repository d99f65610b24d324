"""Reference answers from numpy / scikit-learn for the linear-model and
metrics parity tests (tests/unit/test_split.c, test_linear.c, test_metrics.c).

Usage: sklearn_linear.py COMMAND ARGS...; arrays are exchanged as raw
little-endian float64 files, results written as text, one value a line
(%.17g) or a few labelled lines.  Exit status 3 when numpy or sklearn is
missing, so that the C test can print a TAP skip.
"""
import sys

try:
    import numpy as np
    import sklearn
    from scipy.stats import norm
    from sklearn.linear_model import ElasticNet, Lasso
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    from sklearn.model_selection import GridSearchCV, KFold, train_test_split
    from sklearn.preprocessing import StandardScaler
except ImportError as e:  # pragma: no cover
    print(f"missing reference package: {e}", file=sys.stderr)
    sys.exit(3)

import warnings

warnings.filterwarnings("ignore")


def load(path, n, p=None):
    a = np.fromfile(path, dtype="<f8")
    return a.reshape(n, p) if p else a.reshape(n)


def write(path, values):
    with open(path, "w") as f:
        for v in values:
            f.write("%.17g\n" % v)


def cmd_versions(out):
    with open(out, "w") as f:
        f.write(f"{np.__version__} {sklearn.__version__}\n")


def cmd_split(out, *cases):
    """cases: n:test_size; writes per case a line 'n nt' then test, train."""
    with open(out, "w") as f:
        for c in cases:
            n, ts = c.split(":")
            n, ts = int(n), float(ts)
            tr, te = train_test_split(np.arange(n), test_size=ts, random_state=42)
            f.write(f"{n} {len(te)}\n")
            f.write(" ".join(map(str, te)) + "\n")
            f.write(" ".join(map(str, tr)) + "\n")
        f.write(" ".join(map(str, np.random.RandomState(42).permutation(10))) + "\n")


def cmd_kfold(out, *ns):
    with open(out, "w") as f:
        for n in map(int, ns):
            sizes = [len(te) for _, te in KFold(10).split(np.zeros(n))]
            starts = [next(iter(te)) for _, te in KFold(10).split(np.zeros(n))]
            f.write(" ".join(map(str, starts + [n])) + " " + " ".join(map(str, sizes)) + "\n")


def cmd_logspace(out):
    write(out, list(np.logspace(-3, 2, 50)) + list(np.logspace(-3, 2, 20)))


def cmd_scaler(x, n, p, out):
    X = load(x, int(n), int(p))
    s = StandardScaler().fit(X)
    write(out, list(s.mean_) + list(s.scale_) + list(s.transform(X).ravel()))


def grid_for(kind):
    if kind == "lasso":
        return Lasso(random_state=42, max_iter=2000), {"alpha": np.logspace(-3, 2, 50)}
    return ElasticNet(random_state=42, max_iter=5000), {
        "alpha": np.logspace(-3, 2, 20), "l1_ratio": [0.1, 0.5, 0.9, 1.0]}


def cmd_gridcv(x, y, n, p, kind, out, alphas=None, scale="0"):
    """GridSearchCV as the seed runs it; optional alphas 'a,b,c' (l1_ratio 1)
    replace the grid; scale=1: StandardScaler first (the facade's input)."""
    X, Y = load(x, int(n), int(p)), load(y, int(n))
    if scale == "1":
        X = StandardScaler().fit_transform(X)
    est, grid = grid_for(kind)
    if alphas:
        grid = {"alpha": [float(a) for a in alphas.split(",")]}
    g = GridSearchCV(est, grid, scoring="r2", cv=10, n_jobs=1).fit(X, Y)
    b = g.best_estimator_
    vals = [g.best_index_, b.alpha, b.l1_ratio, b.intercept_]
    vals += list(g.cv_results_["mean_test_score"]) + list(g.cv_results_["std_test_score"])
    vals += list(b.coef_)
    write(out, vals)


def cmd_fit(x, y, n, p, alpha, l1, tol, max_iter, out):
    X, Y = load(x, int(n), int(p)), load(y, int(n))
    m = ElasticNet(alpha=float(alpha), l1_ratio=float(l1), tol=float(tol),
                   max_iter=int(max_iter)).fit(X, Y)
    write(out, [m.n_iter_, m.intercept_] + list(m.coef_))


def calculate_metrics(y_true, y_pred):
    """The seed's calculate_metrics (models.py), without the printing."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    valid = np.logical_and(~np.isnan(y_true), ~np.isnan(y_pred))
    yt, yp = y_true[valid], y_pred[valid]
    n = len(yt)
    if n < 2:
        return dict(n=n, R=0, R2=0, MAE=0, MSE=0, RMSE=0, lo=np.nan, hi=np.nan)
    mae = mean_absolute_error(yt, yp)
    mse = mean_squared_error(yt, yp)
    rmse = np.sqrt(mse)
    r2 = r2_score(yt, yp)
    r = np.corrcoef(yt, yp)[0, 1]
    rc = np.clip(r, -0.99999999, 0.99999999)
    z = 0.5 * np.log((1 + rc) / (1 - rc))
    se = 1.0 / np.sqrt(n - 3)
    zc = norm.ppf(0.975)
    zl, zu = z - zc * se, z + zc * se
    lo = (np.exp(2 * zl) - 1) / (np.exp(2 * zl) + 1)
    hi = (np.exp(2 * zu) - 1) / (np.exp(2 * zu) + 1)
    return dict(n=n, R=r, R2=r2, MAE=mae, MSE=mse, RMSE=rmse, lo=lo, hi=hi)


def cmd_metrics(y, a, b, n, seed, nboot, out):
    """calculate_metrics of (y, a), the documented bootstrap, the paired
    bootstrap of R2(a) - R2(b), Bland-Altman of a."""
    Y, A, B = load(y, int(n)), load(a, int(n)), load(b, int(n))
    m = calculate_metrics(Y, A)
    keep = ~np.isnan(Y) & ~np.isnan(A)
    yv, av = Y[keep], A[keep]
    rng = np.random.RandomState(int(seed))
    r2s, maes = [], []
    for _ in range(int(nboot)):
        i = rng.randint(0, len(yv), size=len(yv))
        r2s.append(r2_score(yv[i], av[i]))
        maes.append(mean_absolute_error(yv[i], av[i]))
    keep3 = keep & ~np.isnan(B)
    y3, a3, b3 = Y[keep3], A[keep3], B[keep3]
    rng = np.random.RandomState(int(seed))
    ds = []
    for _ in range(int(nboot)):
        i = rng.randint(0, len(y3), size=len(y3))
        ds.append(r2_score(y3[i], a3[i]) - r2_score(y3[i], b3[i]))
    d = av - yv
    bias, sd = np.mean(d), np.std(d, ddof=1)
    vals = [m["n"], m["R"], m["lo"], m["hi"], m["R2"], m["MAE"], m["MSE"], m["RMSE"]]
    vals += list(np.percentile(r2s, [2.5, 97.5])) + list(np.percentile(maes, [2.5, 97.5]))
    vals += [r2_score(y3, a3) - r2_score(y3, b3)] + list(np.percentile(ds, [2.5, 97.5]))
    vals += [bias, sd, bias - 1.96 * sd, bias + 1.96 * sd]
    write(out, vals)


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
