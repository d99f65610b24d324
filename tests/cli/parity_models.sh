#!/bin/sh
# Parity with the seed's models.py (BASIC x Lasso) re-stated with sklearn on a
# synthetic cohort (tests/parity/seed_models.py prints the TAP).
. "$top_srcdir/tests/cli/lib.sh"
py=${PYTHON3:-/usr/bin/python3}
if ! "$py" -c 'import sklearn, pandas, scipy' 2>/dev/null; then
    echo "1..0 # SKIP python3-sklearn (with pandas, scipy) is not installed"; exit 0
fi
P="$WORK/p"
{ ecgfit -q synth "$P" --n 600 --vo2-rate 1 --seed 3 &&
  ecgfit -q -C "$P" labels --special-codes seed >/dev/null &&
  ecgfit -q -C "$P" export labels -o "$WORK/labels.csv" --seed-layout "$WORK/seed" &&
  ecgfit -q -C "$P" train --target 30038-1.0 --features basic --model lasso --jobs 2 &&
  ecgfit -q -C "$P" export predictions --target vo2max --features basic --model lasso --format csv \
      -o "$WORK/pred.csv" &&
  ecgfit -q -C "$P" export metrics --format csv -o "$WORK/metrics.csv" &&
  ecgfit -q -C "$P" report --format csv -o "$WORK/report.csv"; } 2>"$WORK/run.err" ||
    { echo "not ok 1 - synth/labels/train/export failed"; sed 's/^/# /' "$WORK/run.err"; echo "1..1"; exit 1; }
"$py" "$top_srcdir/tests/parity/seed_models.py" "$WORK/seed" "$WORK/pred.csv" "$WORK/metrics.csv" \
    "$WORK/report.csv" 30038-1.0
