#!/bin/bash
# ecg_bad_input.sh — bad files in the ECG folder of a small synthetic
# project: each is reported with its file (and line), skipped, listed in
# DIR/preprocess-failures.txt and /ecg/failures; the rest is processed and
# the exit status stays 0.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
cd "$WORK" || exit 1

expect_status 0 "synth a cohort" -q synth coh --n 12 --seed 3
GOOD=$(ls coh/ecg/*_20205_2_0.xml | wc -l)
SRC=$(ls coh/ecg/*_20205_2_0.xml | head -1)
D=coh/ecg
: > "$D/9000001_20205_2_0.xml"                                   # empty
head -c 30000 "$SRC" > "$D/9000002_20205_2_0.xml"                # truncated
sed 's|</StripData>|</StripDta>|' "$SRC" > "$D/9000003_20205_2_0.xml"   # malformed
gzip -c "$SRC" > "$D/9000004_20205_2_0.xml"                      # gzip-compressed
printf 'eid,age\n1,2\n' > "$D/9000005_20205_2_0.xml"             # not XML
"$PY" - "$SRC" "$D" <<'EOF'
import re, sys
src, d = sys.argv[1], sys.argv[2]
t = open(src, "rb").read().decode("latin-1")
def put(eid, text):
    open("%s/%d_20205_2_0.xml" % (d, eid), "wb").write(text.encode("latin-1"))
put(9000006, re.sub(r"<StripData>.*?</StripData>", "", t, flags=re.S))          # no StripData
strip = t.index("<StripData>")
wave = t.index("<WaveformData", strip)
body = t.index(">", wave) + 1
put(9000007, t[:body] + "12,abc," + t[body:])                                    # non-numeric sample
put(9000008, re.sub(r"<Resolution[^>]*>[^<]*</Resolution>", "", t))              # no Resolution (mv units)
put(9000009, t[:body] + "99999999999," + t[body:])                               # out of int32 range
EOF
BAD=9
expect_status 0 "preprocess with bad files exits 0" -C coh preprocess --jobs 2
check "the good files processed" grep -q "failed now  *$BAD$" "$WORK/.out"
F=coh/preprocess-failures.txt
check "failures report lists every bad file" test "$(wc -l < "$F")" -eq "$BAD"
for e in 9000001 9000002 9000003 9000004 9000005 9000006 9000007 9000008 9000009; do
    if grep -q "${e}_20205_2_0.xml" "$F"; then pass "$e listed"; else fail "$e not listed"; sed 's/^/# /' "$F"; fi
done
# line numbers where a line makes sense
for e in 9000002 9000003 9000007 9000009; do
    if grep -Eq "${e}_20205_2_0.xml:[0-9]+: " "$F"; then pass "$e listed with a line"; else
        fail "$e without a line"; grep "$e" "$F" | sed 's/^/# /'; fi
done
check "gzip named as such" grep -qi "gzip" "$F"
expect_err "warning: .*9000001_20205_2_0.xml" "failures shown as warnings"
expect_err "$BAD ECGs failed and were skipped; all listed in" "warning points to the report"
if "$PY" -c 'import h5py' 2>/dev/null; then
    if "$PY" - "$WORK/coh/ecgfit.h5" "$GOOD" "$BAD" <<'EOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
good, bad = int(sys.argv[2]), int(sys.argv[3])
g = f["ecg"]
assert len(g["eid"]) == good, (len(g["eid"]), good)
assert sorted(g["failures/eid"][:]) == list(range(9000001, 9000001 + bad))
msgs = [m.decode() if isinstance(m, bytes) else m for m in g["failures/message"][:]]
files = [m.decode() if isinstance(m, bytes) else m for m in g["failures/file"][:]]
assert all(("%d_20205_2_0.xml" % e) in fl for e, fl in zip(g["failures/eid"][:], files))
assert all(fl in m for fl, m in zip(files, msgs))
assert g.attrs["n_failed"] == bad
EOF
    then pass "/ecg/failures holds eid, file, message"; else fail "/ecg/failures"; fi
fi
# failures are not retried on resume; --restart does
expect_status 0 "rerun" -C coh preprocess
check "rerun processes nothing" grep -q "processed now  *0$" "$WORK/.out"
check "failures still listed after a resume" test "$(wc -l < "$F")" -eq "$BAD"
done_testing
