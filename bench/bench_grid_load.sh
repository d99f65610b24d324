#!/bin/sh
# bench_grid_load.sh — the seed's XGBoost grid (12 points x 10 folds + refit)
# through ecgfit at --jobs 1 and --jobs 2 against python xgboost's
# GridSearchCV(n_jobs=2) (one single-threaded booster per worker), in the same
# run, on a quiet machine and with CPU-bound competitor processes that this
# script starts and stops; then the MLP and the linear grids at --jobs 1 and 2
# under the same two conditions.  Prints wall seconds, the ratios and whether
# the mean fold R2 agree bit for bit (ecgfit --jobs 1, --jobs 2 and python).
#
# Environment: BENCH_BIN (dir holding bench_xgb), PYTHON3, BENCH_SIZES (training
# rows, default "300 6832"), BENCH_P (323), BENCH_LOADS (competitor counts,
# default "0 2"), BENCH_REPEAT (1: keep the best of R runs), BENCH_KINDS (the
# other kinds, timed at the largest size; default "mlp lasso elasticnet"; ""
# skips them), BENCH_QUIET_J1 (0 skips --jobs 1 without competitors, which no
# target needs: it saves the longest run at n 6,832).
set -eu
bin=${BENCH_BIN:-./bench}
py=${PYTHON3:-/usr/bin/python3}
sizes=${BENCH_SIZES:-"300 6832"}
p=${BENCH_P:-323}
loads=${BENCH_LOADS:-"0 2"}
repeat=${BENCH_REPEAT:-1}
kinds=${BENCH_KINDS-"mlp lasso elasticnet"}
quiet_j1=${BENCH_QUIET_J1:-1}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ecgfit-bench-grid.XXXXXX")

hogs=
start_hogs() {
    i=0
    while [ "$i" -lt "$1" ]; do
        sh -c 'while :; do :; done' &
        hogs="$hogs $!"
        i=$((i + 1))
    done
}
stop_hogs() {
    for h in $hogs; do
        kill "$h" 2>/dev/null || true
        wait "$h" 2>/dev/null || true
    done
    hogs=
}
trap 'stop_hogs; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

field() { sed -n "s/^$1 //p" "$2"; }
best() { printf '%s\n' "$@" | sort -n | head -n 1; }
# number of grid points whose mean R2 is the same in both files
same_grid() {
    grep '^grid ' "$1" > "$dir/a.grid"
    grep '^grid ' "$2" > "$dir/b.grid"
    paste -d '|' "$dir/a.grid" "$dir/b.grid" | awk -F '|' '$1 == $2 { s++ } END { print s + 0 }'
}

ver=$("$py" -c 'import xgboost; print(xgboost.__version__)')
echo "XGBoost grid: 12 points x 10 folds + refit, p=$p; python xgboost $ver GridSearchCV(n_jobs=2)"
echo "(wall seconds, best of $repeat; competitors = busy-looping sh processes; $(nproc 2>/dev/null || echo '?') cores)"
printf '%6s %5s %10s %10s %10s %9s %9s  %s\n' n busy "jobs 1" "jobs 2" python \
    "py/jobs2" "j2/j1" "identical mean R2 (j1=j2, j2=py)"
largest=
for n in $sizes; do
    largest=$n
    "$bin/bench_xgb" "$dir" 1 "$n" "$p" lasso > /dev/null   # writes the data (a quick fit)
    for busy in $loads; do
        j1=1
        [ "$busy" -gt 0 ] || [ "$quiet_j1" != 0 ] || j1=0
        start_hogs "$busy"
        w1= ; w2= ; wp=
        r=0
        while [ "$r" -lt "$repeat" ]; do
            [ "$j1" = 0 ] || "$bin/bench_xgb" "$dir" 1 "$n" "$p" > "$dir/j1.txt"
            "$bin/bench_xgb" "$dir" 2 "$n" "$p" > "$dir/j2.txt"
            "$py" -W ignore "$here/bench_xgb.py" "$dir" "$n" "$p" 1 2 > "$dir/py.txt"
            [ "$j1" = 0 ] || w1="$w1 $(field seconds "$dir/j1.txt")"
            w2="$w2 $(field seconds "$dir/j2.txt")"
            wp="$wp $(field seconds "$dir/py.txt")"
            r=$((r + 1))
        done
        stop_hogs
        w2=$(best $w2); wp=$(best $wp)
        s2p=$(same_grid "$dir/j2.txt" "$dir/py.txt")
        if [ "$j1" = 1 ]; then
            w1=$(best $w1)
            s12=$(same_grid "$dir/j1.txt" "$dir/j2.txt")
            awk -v n="$n" -v b="$busy" -v a="$w1" -v c="$w2" -v d="$wp" -v s="$s12/12, $s2p/12" \
                'BEGIN { printf "%6d %5d %10.2f %10.2f %10.2f %8.2fx %9.2f  %s\n",
                         n, b, a, c, d, d / c, c / a, s }'
        else
            awk -v n="$n" -v b="$busy" -v c="$w2" -v d="$wp" -v s="-, $s2p/12" \
                'BEGIN { printf "%6d %5d %10s %10.2f %10.2f %8.2fx %9s  %s\n",
                         n, b, "-", c, d, d / c, "-", s }'
        fi
    done
done
echo "targets: py/jobs2 >= 3 quiet and >= 2 with competitors; j2/j1 <= 1 with competitors"

[ -n "$kinds" ] || exit 0
echo
echo "Other kinds at n=$largest, p=$p (ef_model_fit; MLP: one network, linear: the seed's grids)"
printf '%-11s %5s %10s %10s %9s  %s\n' kind busy "jobs 1" "jobs 2" "j2/j1" "same result"
for k in $kinds; do
    for busy in $loads; do
        start_hogs "$busy"
        w1= ; w2=
        r=0
        while [ "$r" -lt "$repeat" ]; do
            "$bin/bench_xgb" "$dir" 1 "$largest" "$p" "$k" > "$dir/k1.txt"
            "$bin/bench_xgb" "$dir" 2 "$largest" "$p" "$k" > "$dir/k2.txt"
            w1="$w1 $(field seconds "$dir/k1.txt")"
            w2="$w2 $(field seconds "$dir/k2.txt")"
            r=$((r + 1))
        done
        stop_hogs
        same=no
        [ "$(grep -v '^seconds\|^cpu' "$dir/k1.txt")" = "$(grep -v '^seconds\|^cpu' "$dir/k2.txt")" ] &&
            same=yes
        awk -v k="$k" -v b="$busy" -v a="$(best $w1)" -v c="$(best $w2)" -v s="$same" \
            'BEGIN { printf "%-11s %5d %10.2f %10.2f %9.2f  %s\n", k, b, a, c, c / a, s }'
    done
done
echo "target: j2/j1 <= 1 with competitors"
