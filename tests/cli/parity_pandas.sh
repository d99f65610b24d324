#!/bin/sh
# Parity with the seed's pandas logic on a synthetic cohort with every edge
# case (tests/parity/seed_labels.py prints the TAP).
. "$top_srcdir/tests/cli/lib.sh"
py=${PYTHON3:-/usr/bin/python3}
if ! "$py" -c 'import pandas' 2>/dev/null; then echo "1..0 # SKIP python3-pandas is not installed"; exit 0; fi
if ! ecgfit -q synth "$WORK/p" --n 3000 --seed 11 --vo2-rate 0.3 --no-ecg 2>"$WORK/synth.err"; then
    echo "not ok 1 - synth failed"; sed 's/^/# /' "$WORK/synth.err"; echo "1..1"; exit 1
fi
# Only the ECG file names matter to labels: name files for 9 in 10 participants
# (the XML writer has its own tests), one instance-3 file as a distractor.
mkdir -p "$WORK/p/ecg/07"
tail -n +2 "$WORK/p/ukb_main.csv" | cut -d, -f1 | tr -d '"' | awk 'NR % 10 != 0' |
    while read -r e; do : >"$WORK/p/ecg/07/${e}_20205_2_0.xml"; done
e3=$(sed -n 3p "$WORK/p/ukb_main.csv" | cut -d, -f1 | tr -d '"'); : >"$WORK/p/ecg/${e3}_20205_3_0.xml"
ecgfit init "$WORK/p" --main-csv "$WORK/p/ukb_main.csv" --ecg-dir "$WORK/p/ecg" --force >/dev/null
ecgfit -q -C "$WORK/p" labels --special-codes seed >/dev/null 2>"$WORK/l1.err" &&
ecgfit -q -C "$WORK/p" export labels -o "$WORK/seed.csv" --seed-layout "$WORK/seed" 2>>"$WORK/l1.err" &&
ecgfit -q -C "$WORK/p" labels >/dev/null 2>>"$WORK/l1.err" &&
ecgfit -q -C "$WORK/p" export labels -o "$WORK/registry.csv" 2>>"$WORK/l1.err" ||
    { echo "not ok 1 - labels/export failed"; sed 's/^/# /' "$WORK/l1.err"; echo "1..1"; exit 1; }
"$py" "$top_srcdir/tests/parity/seed_labels.py" "$WORK/p/ukb_main.csv" "$WORK/p/ecg" "$WORK/seed" \
    "$WORK/seed.csv" "$WORK/registry.csv" "$ECGFIT_DATADIR/fields.tsv"
