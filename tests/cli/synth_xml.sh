#!/bin/bash
# synth_xml.sh — the ECG files of `ecgfit synth`: well-formed XML (xmllint),
# read without failures by the project's own CardioSoft reader (preprocess),
# and carrying the physiology the ECG model puts in (doc/synthetic-data.md):
# the device ventricular rate falls with VO2max, and QRS is longer in men.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
cd "$WORK" || exit 1

if ! command -v xmllint >/dev/null 2>&1; then
    echo "1..0 # SKIP xmllint not installed (Debian: libxml2-utils)"
    exit 0
fi

# ---- a small cohort: every file is valid XML and reads back ----
expect_status 0 "synth 30 participants with ECGs" -q synth small --n 30 --seed 3 --jobs 2
N2=$(ls small/ecg | grep -c '_20205_2_0\.xml$')
N3=$(ls small/ecg | grep -c '_20205_3_0\.xml$')
check "instance-2 ECG files written ($N2)" test "$N2" -ge 10
bad=0
for f in small/ecg/*.xml; do
    if ! xmllint --noout "$f" 2>"$WORK/.xmlerr"; then
        bad=$((bad + 1)); diag "$f:" "$(head -5 "$WORK/.xmlerr")"
    fi
done
check "every XML passes xmllint --noout ($((N2 + N3)) files)" test "$bad" -eq 0
check "declared ISO-8859-1, CRLF line ends" \
    grep -q $'^<?xml version="1.0" encoding="ISO-8859-1" ?>\r$' "$(ls small/ecg/*.xml | head -1)"

expect_status 0 "preprocess reads the instance-2 files" -C small preprocess --jobs 2
check "all $N2 found" grep -q "ECG files found  *$N2$" "$WORK/.out"
check "0 failures" grep -q "failed now  *0$" "$WORK/.out"
if [ "$N3" -gt 0 ]; then
    rm -rf small/ecg-data small/ecgfit.h5
    expect_status 0 "preprocess --ecg-instance 3" -C small preprocess --ecg-instance 3 --jobs 2
    check "instance 3: all $N3 found, 0 failures" \
        sh -c "grep -q 'ECG files found  *$N3\$' '$WORK/.out' && grep -q 'failed now  *0\$' '$WORK/.out'"
fi

# ---- a larger cohort: the model has something real to find ----
if ! "$PY" -c 'import h5py, numpy' 2>/dev/null; then
    diag "h5py or numpy missing ($PY): physiology checks skipped"
    done_testing
    exit
fi
# --vo2-rate 1: every imaging-visit participant has an instance-1 VO2max (30038-1.0).
expect_status 0 "synth 300 participants" -q synth big --n 300 --seed 11 --vo2-rate 1 --jobs 2
expect_status 0 "preprocess them" -C big preprocess --jobs 2
check "0 failures" grep -q "failed now  *0$" "$WORK/.out"
"$PY" - big >"$WORK/.py" 2>"$WORK/.pyerr" <<'EOF'
import csv, sys
import h5py, numpy as np
d = sys.argv[1]
g = h5py.File(d + "/ecgfit.h5", "r")["ecg"]
eid = g["eid"][:]
rate = g["measurements/vent_rate"][:]
qrs = g["measurements/qrs"][:]
cols = {}
with open(d + "/ukb_main.csv", newline="") as fp:
    for row in csv.DictReader(fp):
        cols[int(row["eid"])] = (row["31-0.0"], row["30038-1.0"])
def num(s):
    try:
        return float(s)
    except ValueError:
        return float("nan")
sex = np.array([num(cols[e][0]) for e in eid])
vo2 = np.array([num(cols[e][1]) for e in eid])
ok = np.isfinite(vo2) & (vo2 > 0) & np.isfinite(rate)   # -3 is a special code
r = np.corrcoef(vo2[ok], rate[ok])[0, 1]
men, women = np.nanmean(qrs[sex == 1]), np.nanmean(qrs[sex == 0])
print("n %d r %.3f qrs_men %.1f qrs_women %.1f nmen %d nwomen %d"
      % (ok.sum(), r, men, women, (sex == 1).sum(), (sex == 0).sum()))
EOF
PYRC=$?
read -r _ n _ r _ qm _ qw _ nm _ nw <"$WORK/.py"
if [ $PYRC -ne 0 ]; then
    fail "reading /ecg/measurements and the CSV with h5py"; sed 's/^/# /' "$WORK/.pyerr"
else
    diag "$(cat "$WORK/.py")"
    check "at least 150 ECGs with a VO2max ($n)" test "$n" -ge 150
    check "r(VO2max 30038-1.0, VentricularRate) = $r < -0.2" \
        awk -v r="$r" 'BEGIN { exit !(r < -0.2) }'
    check "mean QRS longer in men ($qm ms, n $nm) than in women ($qw ms, n $nw)" \
        awk -v m="$qm" -v w="$qw" -v a="$nm" -v b="$nw" 'BEGIN { exit !(a >= 30 && b >= 30 && m > w) }'
fi

done_testing
