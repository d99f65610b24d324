#!/bin/sh
# bench_linear.sh — the seed's Lasso grid (50 alphas) and ElasticNet grid
# (20 alphas x 4 l1_ratios), 10-fold CV, n = 6,832, p = 323: ecgfit
# (bench/bench_linear, ef_model_fit) against sklearn's GridSearchCV(n_jobs=2)
# in the same run.  Prints seconds, the ratio, and whether both chose the same
# parameters with the same CV score.
#
# Environment: BENCH_BIN (dir with bench_linear), PYTHON3 (Debian's python3
# with sklearn), BENCH_DIR (data, default /tmp/ecgfit-bench-linear),
# BENCH_THREADS (ecgfit threads, default 2), BENCH_KINDS (default
# "lasso elasticnet"), BENCH_CD_PATH (cold, the default, or warm: ecgfit's
# --cd-path).
set -eu
BIN=${BENCH_BIN:-./bench}
PY=${PYTHON3:-/usr/bin/python3}
DIR=${BENCH_DIR:-/tmp/ecgfit-bench-linear}
THREADS=${BENCH_THREADS:-2}
KINDS=${BENCH_KINDS:-"lasso elasticnet"}
N=6832
P=323
SRC=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$DIR"
[ -s "$DIR/X.bin" ] || "$BIN/bench_linear" gen "$DIR" $N $P

val() { sed -n "s/^$1 //p" "$2"; }

printf '%-11s %10s %10s %7s  %s\n' model ecgfit_s sklearn_s ratio "chosen (ecgfit | sklearn), mean CV R2"
for k in $KINDS; do
    "$BIN/bench_linear" run "$DIR" $N $P "$k" "$THREADS" > "$DIR/ef_$k.txt"
    "$PY" "$SRC/sklearn_linear.py" "$DIR" $N $P "$k" 2 > "$DIR/sk_$k.txt"
    te=$(val seconds "$DIR/ef_$k.txt")
    ts=$(val seconds "$DIR/sk_$k.txt")
    ratio=$(awk -v a="$te" -v b="$ts" 'BEGIN { printf "%.1f", b / a }')
    same=differ
    [ "$(val best "$DIR/ef_$k.txt")" = "$(val best "$DIR/sk_$k.txt")" ] && same=same
    printf '%-11s %10s %10s %6sx  %s: %s %s | %s %s\n' "$k" "$te" "$ts" "$ratio" "$same" \
        "$(val best "$DIR/ef_$k.txt")" "$(val mean_r2 "$DIR/ef_$k.txt")" \
        "$(val best "$DIR/sk_$k.txt")" "$(val mean_r2 "$DIR/sk_$k.txt")"
done
