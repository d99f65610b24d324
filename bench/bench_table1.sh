#!/bin/sh
# bench_table1.sh — Table 1 of 500,000 participants x 30 variables, grouped,
# with p-values and SMDs (ef_cohort_table: store read + engine; target < 1 s)
# beside pandas' groupby(...).describe() of the same data in the same run
# (and pandas + scipy's tests when python3-scipy is there), best of
# BENCH_REPEAT (3) each.  Environment: BENCH_BIN (dir with bench_table1),
# BENCH_DIR (/tmp/ecgfit-bench-table1), BENCH_N (500000), PYTHON3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bbin=${BENCH_BIN:-bench}
dir=${BENCH_DIR:-/tmp/ecgfit-bench-table1}
n=${BENCH_N:-500000}
repeat=${BENCH_REPEAT:-3}
py=${PYTHON3:-/usr/bin/python3}

e=$("$bbin/bench_table1" "$dir" "$n" "$repeat" | sed -n 's/^ecgfit_s //p')
echo "table1: $n participants x 30 variables, grouped (2), p-values, SMDs"
printf '  ecgfit (store read + Table 1)        %8.3f s  (target < 1 s)\n' "$e"
if "$py" -c 'import pandas' 2>/dev/null; then
    p=$("$py" "$here/pandas_table1.py" "$dir/data.f64" "$n" "$repeat" | sed -n 's/^pandas_s //p')
    printf '  pandas groupby().describe()           %8.3f s  (data in memory)   ratio pandas/ecgfit %.2f\n' \
        "$p" "$(echo "$p $e" | awk '{ print $1 / $2 }')"
    if "$py" -c 'import scipy' 2>/dev/null; then
        q=$("$py" "$here/pandas_table1.py" "$dir/data.f64" "$n" "$repeat" --tests | sed -n 's/^pandas_s //p')
        printf '  pandas describe() + scipy tests       %8.3f s  (data in memory)   ratio %.2f\n' \
            "$q" "$(echo "$q $e" | awk '{ print $1 / $2 }')"
    fi
else
    echo "  pandas: not installed (python3-pandas), no comparison"
fi
