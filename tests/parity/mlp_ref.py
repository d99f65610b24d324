#!/usr/bin/env python3
"""mlp_ref.py -- sklearn's MLPRegressor as a yardstick for tests/unit/test_mlp.c.

Usage: mlp_ref.py DIR N P NTEST [SEED [NSEED]]

Reads DIR/X.bin (N x P), DIR/y.bin (N), DIR/Xt.bin (NTEST x P), DIR/yt.bin
(NTEST), little-endian float64, row-major; fits MLPRegressor with the seed's
architecture for random_state SEED (42), SEED+1, ... (NSEED fits, default 1) and
writes "seed <s> r2 <test R2> epochs <n_iter_>", a line per fit, to DIR/mlp_ref.txt.

The L2 is matched to Keras's: Keras adds 1e-3 * sum(W^2) to the batch MSE;
sklearn's batch loss is MSE / 2 + alpha / 2 * sum(W^2) / batch_size, i.e. half
of MSE + (alpha / batch_size) * sum(W^2), so alpha = 1e-3 * 32 = 0.032 with
batch_size 32.  (sklearn penalises every layer and has no dropout.)
"""
import sys

import numpy as np
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor


def main():
    d, n, p, nt = sys.argv[1], *map(int, sys.argv[2:5])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 42
    nseed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    X = np.fromfile(f"{d}/X.bin", dtype="<f8").reshape(n, p)
    y = np.fromfile(f"{d}/y.bin", dtype="<f8")
    Xt = np.fromfile(f"{d}/Xt.bin", dtype="<f8").reshape(nt, p)
    yt = np.fromfile(f"{d}/yt.bin", dtype="<f8")
    with open(f"{d}/mlp_ref.txt", "w") as out:
        for s in range(seed, seed + nseed):
            mlp = MLPRegressor(hidden_layer_sizes=(256, 128, 64), alpha=1e-3 * 32, batch_size=32,
                               learning_rate_init=1e-3, max_iter=100, early_stopping=True,
                               validation_fraction=0.1, n_iter_no_change=10, random_state=s)
            mlp.fit(X, y)
            out.write("seed %d r2 %.17g epochs %d\n" % (s, r2_score(yt, mlp.predict(Xt)), mlp.n_iter_))

if __name__ == "__main__":
    main()
