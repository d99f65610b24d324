#!/bin/bash
# parity_preprocess.sh — ecgfit's tensors against the seed's own computation
# (tests/parity/seed_preprocess.py: ElementTree + numpy, Debian's python3),
# on the real scrubbed UKB file (../shared, when present) and on synthetic
# files: bit-for-bit equal with --units seed, equal to seed * Resolution
# (np.float32) with --units mv.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
if ! "$PY" -c 'import numpy' 2>/dev/null; then
    echo "1..0 # SKIP $PY has no numpy"; exit 0
fi
cd "$WORK" || exit 1

expect_status 0 "synth a cohort" -q synth coh --n 16 --seed 11
REAL="$top_srcdir/../shared/reference/ukb-ecg-example.xml"
if [ -f "$REAL" ]; then
    cp "$REAL" coh/ecg/1000001_20205_2_0.xml
    pass "real UKB example copied into the ECG folder"
else
    echo "# ../shared/reference/ukb-ecg-example.xml absent: synthetic files only"
fi
check "seed computation runs" "$PY" "$top_srcdir/tests/parity/seed_preprocess.py" seed coh/ecg/*_20205_2_0.xml

expect_status 0 "preprocess --units seed" -C coh preprocess --units seed
expect_status 0 "export npy (seed units)" -C coh export ecg --format npy -o seed_units
expect_status 0 "preprocess --units mv --restart" -C coh preprocess --units mv --restart
expect_status 0 "export npy (mv)" -C coh export ecg --format npy -o mv_units

if "$PY" - "$WORK" <<'EOF'
import os, re, sys, glob
import numpy as np
work = sys.argv[1]
n = 0
real = False
for p in sorted(glob.glob(os.path.join(work, "seed", "*.npy"))):
    eid = os.path.basename(p)[:-4]
    want = np.load(p)
    got = np.load(os.path.join(work, "seed_units", eid + ".npy"))
    mv = np.load(os.path.join(work, "mv_units", eid + ".npy"))
    xml = open(os.path.join(work, "coh", "ecg", eid + "_20205_2_0.xml"), "rb").read().decode("latin-1")
    strip = xml[xml.index("<StripData>"):]
    res = np.float32(float(re.search(r"<Resolution[^>]*>\s*([0-9.]+)", strip).group(1)))
    if got.dtype != np.float32 or got.shape != want.shape:
        sys.exit("%s: dtype/shape %s %s" % (eid, got.dtype, got.shape))
    bad = np.count_nonzero(got.view(np.uint32) != want.view(np.uint32))
    if bad:
        sys.exit("%s: %d values differ from the seed in --units seed (max |d| %g)" % (eid, bad, np.abs(got - want).max()))
    bad = np.count_nonzero(mv.view(np.uint32) != (want * res).view(np.uint32))
    if bad:
        sys.exit("%s: %d values differ from seed * %g in --units mv" % (eid, bad, res))
    n += 1
    real |= eid == "1000001"
print("# %d files bit-identical to the seed (seed units) and to seed * Resolution (mv)%s" % (n, ", real UKB example included" if real else ""))
sys.exit(0 if n >= 10 else "too few files compared: %d" % n)
EOF
then pass "ecgfit == seed bit for bit (seed units), == seed * Resolution (mv)"; else fail "parity with the seed"; fi
done_testing
