#!/bin/sh
# bench_xgb.sh — the seed's XGBoost grid (12 points x 10 folds + refit) on
# n = 6,832, p = 323: ecgfit's C API path against the python wrapper
# (GridSearchCV over XGBRegressor), both with 2 workers of single-threaded
# boosters (GridSearchCV(n_jobs=2), XGBRegressor(n_jobs=1)), in the same run.
# Environment: BENCH_BIN (dir holding bench_xgb), PYTHON3, BENCH_THREADS (2),
# BENCH_N (6832), BENCH_P (323), BENCH_REPEAT (1: keep the best of R runs).
set -eu
bin=${BENCH_BIN:-.}
py=${PYTHON3:-/usr/bin/python3}
threads=${BENCH_THREADS:-2}
n=${BENCH_N:-6832}
p=${BENCH_P:-323}
repeat=${BENCH_REPEAT:-1}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ecgfit-bench-xgb.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

best() { sort -n | head -n 1; }
field() { sed -n "s/^$1 //p" "$2"; }
c_wall= ; c_cpu= ; py_wall= ; py_cpu=
i=0
while [ "$i" -lt "$repeat" ]; do
    "$bin/bench_xgb" "$dir" "$threads" "$n" "$p" > "$dir/c.txt"
    "$py" -W ignore "$here/bench_xgb.py" "$dir" "$n" "$p" 1 "$threads" > "$dir/py.txt"
    c_wall="$c_wall $(field seconds "$dir/c.txt")"
    c_cpu="$c_cpu $(field cpu "$dir/c.txt")"
    py_wall="$py_wall $(field seconds "$dir/py.txt")"
    py_cpu="$py_cpu $(field cpu "$dir/py.txt")"
    i=$((i + 1))
done
cw=$(printf '%s\n' $c_wall | best); cc=$(printf '%s\n' $c_cpu | best)
pw=$(printf '%s\n' $py_wall | best); pc=$(printf '%s\n' $py_cpu | best)
ver=$("$py" -c 'import xgboost; print(xgboost.__version__)')
echo "XGBoost grid: n=$n p=$p, 12 points x 10 folds + refit, $threads workers"
echo "                        wall s    cpu s   best"
printf '  ecgfit (C API)      %8.2f %8.2f   %s\n' "$cw" "$cc" "$(field best "$dir/c.txt")"
printf '  python xgboost %-5s%8.2f %8.2f   %s\n' "$ver" "$pw" "$pc" "$(field best "$dir/py.txt")"
awk -v cw="$cw" -v pw="$pw" -v cc="$cc" -v pc="$pc" 'BEGIN {
    printf "  ratio ecgfit/python  wall %.3f  (python cpu: the main process only)\n", cw / pw }'
# the same fold scores on both sides ("grid max_depth=.. gamma=.. lambda=.. MEAN")
grep '^grid ' "$dir/c.txt" > "$dir/c.grid"
grep '^grid ' "$dir/py.txt" > "$dir/py.grid"
paste "$dir/c.grid" "$dir/py.grid" | awk '
    { d = $5 - $10; if (d < 0) d = -d; if (d > m) m = d }
    END { printf "  max |mean R2 difference| over the grid: %.2g\n", m }'
