#!/bin/sh
# Parity with the seed's models.py (BASIC x Lasso) re-stated with sklearn on a
# synthetic cohort whose main CSV is not sorted by eid
# (tests/parity/seed_models.py rebuilds the seed's label files from the CSV
# and prints the TAP): vo2max keeps the CSV's order, sbp/dbp the eid order of
# the seed's outer-joined blood-pressure means.
. "$top_srcdir/tests/cli/lib.sh"
py=${PYTHON3:-/usr/bin/python3}
if ! "$py" -c 'import sklearn, pandas, scipy' 2>/dev/null; then
    echo "1..0 # SKIP python3-sklearn (with pandas, scipy) is not installed"; exit 0
fi
P="$WORK/p"
ecgfit -q synth "$P" --n 600 --vo2-rate 1 --seed 3 2>"$WORK/run.err" ||
    { echo "not ok 1 - synth failed"; sed 's/^/# /' "$WORK/run.err"; echo "1..1"; exit 1; }
# Shuffle the rows with a fixed key, whatever order synth wrote them in.
csv="$P/ukb_main.csv"
{ head -n 1 "$csv"; tail -n +2 "$csv" | awk -F, '{ e = $1; gsub(/"/, "", e); printf "%d\t%s\n", (e * 7919) % 10007, $0 }' |
    sort -n -s -k1,1 | cut -f2-; } >"$WORK/shuffled.csv" && mv "$WORK/shuffled.csv" "$csv"
if tail -n +2 "$csv" | cut -d, -f1 | tr -d '"' | sort -n -c 2>/dev/null; then
    echo "not ok 1 - the main CSV is sorted by eid: the test would prove nothing"; echo "1..1"; exit 1
fi
{ ecgfit -q -C "$P" labels --special-codes seed >/dev/null &&
  ecgfit -q -C "$P" export labels -o "$WORK/labels.csv" --seed-layout "$WORK/seed" &&
  ecgfit -q -C "$P" train --target 30038-1.0,sbp,dbp --features basic --model lasso --jobs 2 &&
  for t in vo2max sbp dbp; do
      ecgfit -q -C "$P" export predictions --target $t --features basic --model lasso --format csv \
          -o "$WORK/pred_$t.csv" || exit 1
  done &&
  ecgfit -q -C "$P" export metrics --format csv -o "$WORK/metrics.csv" &&
  ecgfit -q -C "$P" report --format csv -o "$WORK/report.csv"; } 2>"$WORK/run.err" ||
    { echo "not ok 1 - labels/train/export failed"; sed 's/^/# /' "$WORK/run.err"; echo "1..1"; exit 1; }
for t in vo2max:30038-1.0 sbp:SYSTOLIC_BP_mean dbp:DIASTOLIC_BP_mean; do
    "$py" "$top_srcdir/tests/parity/seed_models.py" "$WORK/seed" "$WORK/pred_${t%%:*}.csv" "$WORK/metrics.csv" \
        "$WORK/report.csv" "${t#*:}" "$csv" "$P/ecg" >"$WORK/parity.tap" 2>&1
    while IFS= read -r line; do
        case $line in
            "ok "*) pass "${t%%:*}: ${line#ok * - }" ;;
            "not ok "*) fail "${t%%:*}: ${line#not ok * - }" ;;
            1..*) ;;
            *) diag "$line" ;;
        esac
    done <"$WORK/parity.tap"
    grep -q '^ok' "$WORK/parity.tap" || fail "${t%%:*}: the parity script ran no checks"
done
done_testing
