#!/bin/bash
# preprocess.sh — `ecgfit preprocess`, `merge` and `export ecg` on a small
# synthetic cohort: /ecg as h5py sees it (from another directory, through the
# virtual dataset), the seed's .npy layout, resume, shards + merge == one run,
# options recorded and changes refused.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
cd "$WORK" || exit 1

expect_status 0 "synth a cohort" -q synth coh --n 40 --seed 5
NFILES=$(ls coh/ecg/*_20205_2_0.xml | wc -l)
expect_status 0 "preprocess" -C coh preprocess --jobs 2
check "summary counts the files" grep -q "ECG files found  *$NFILES" "$WORK/.out"
check "summary names the units" grep -q "units: mv" "$WORK/.out"
check "part file written" test -f coh/ecg-data/part-all-00000.h5
check "failures report written" test -f coh/preprocess-failures.txt
check "no temporary files left" test -z "$(ls coh/ecg-data | grep tmp)"

have_h5py=0
"$PY" -c 'import h5py, numpy' 2>/dev/null && have_h5py=1

expect_status 0 "export ecg --format npy" -C coh export ecg --format npy -o npy
check "one .npy per ECG" test "$(ls npy | wc -l)" -eq "$NFILES"
FIRST=$(ls npy | head -1 | cut -d. -f1)
expect_status 0 "export ecg --format csv --eid" -C coh export ecg --format csv --eid "$FIRST" -o one.csv
check "csv header is the PCLR lead order" test "$(head -1 one.csv)" = "I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6"
check "csv has 4096 rows" test "$(wc -l < one.csv)" -eq 4097
expect_status 2 "csv without --eid is a usage error" -C coh export ecg --format csv -o x.csv
expect_status 1 "csv for an unknown eid" -C coh export ecg --format csv --eid 42 -o x.csv

if [ $have_h5py = 1 ]; then
    # Read from / so the relative virtual-dataset sources must resolve
    # against the store's own folder.
    if (cd / && "$PY" - "$WORK" "$NFILES" <<'EOF'
import sys, os, h5py, numpy as np
work, nfiles = sys.argv[1], int(sys.argv[2])
f = h5py.File(os.path.join(work, "coh/ecgfit.h5"), "r")
g = f["ecg"]
eid, sig = g["eid"][:], g["signal"]
assert g["signal"].is_virtual
assert sig.shape == (len(eid), 4096, 12), sig.shape
assert len(eid) + len(g["failures/eid"]) == nfiles
assert g.attrs["units"] == "mv" and sig.attrs["units"] == "mv"
assert list(np.sort(eid)) == list(eid)
a = sig[:]
assert np.isfinite(a).all(), "fill values: a part was not found"
for i, e in enumerate(eid):
    x = np.load(os.path.join(work, "npy", "%d.npy" % e))
    assert x.dtype == np.float32 and x.shape == (4096, 12) and x.flags.c_contiguous
    assert np.array_equal(x.view(np.uint32), a[i].view(np.uint32)), e
with open(os.path.join(work, "npy", "%d.npy" % eid[0]), "rb") as fp:
    head = fp.read(10)
    assert head[:8] == b"\x93NUMPY\x01\x00"
    hl = head[8] | head[9] << 8
    assert (10 + hl) % 64 == 0
    h = fp.read(hl).decode()
    assert h.startswith("{'descr': '<f4', 'fortran_order': False, 'shape': (4096, 12), }") and h.endswith("\n")
for k in ("vent_rate", "qrs", "qt", "r_axis"):
    assert g["measurements/" + k].shape == (len(eid),)
assert g["qc"].dtype == np.uint32
np.save(os.path.join(work, "single.npy"), a)
np.save(os.path.join(work, "single_eid.npy"), eid)
EOF
    ); then pass "h5py reads /ecg (from another cwd); numpy loads the .npy files, equal to the store rows"; else
        fail "h5py / numpy checks"; fi
else
    echo "# h5py or numpy missing: store checks skipped"
fi

# ---- resume: --limit, then the rest ----
cp -r coh res && rm -rf res/ecg-data res/ecgfit.h5 res/preprocess-failures.txt
expect_status 0 "preprocess --limit 10" -C res preprocess --limit 10 --jobs 2
check "10 processed" grep -q "processed now  *10$" "$WORK/.out"
expect_status 0 "rerun resumes" -C res preprocess --jobs 1
check "rest processed" grep -q "processed now  *$((NFILES - 10))$" "$WORK/.out"
check "finished ones skipped" grep -q "already done (resumed)  *10$" "$WORK/.out"
# a killed run's temporary part file is removed at the next start
touch res/ecg-data/part-all-00009.h5.tmp-99999
expect_status 0 "rerun after a killed run" -C res preprocess
expect_err "removed 1 unfinished part file" "stray temporary reported"
check "stray temporary removed" test ! -e res/ecg-data/part-all-00009.h5.tmp-99999
check "nothing processed again" grep -q "processed now  *0$" "$WORK/.out"

# ---- shards + merge ----
cp -r coh sh && rm -rf sh/ecg-data sh/ecgfit.h5 sh/preprocess-failures.txt
expect_status 0 "shard 1/2" -C sh preprocess --shard 1/2
check "shard run does not write /ecg" test ! -e sh/ecgfit.h5
expect_status 1 "merge with a shard missing" -C sh merge
expect_err "2/2" "merge names the missing shard"
expect_status 0 "shard 2/2" -C sh preprocess --shard 2/2 --jobs 1
expect_status 0 "merge" -C sh merge
check "merge reports the ECG count" grep -q "Merged 2 part files" "$WORK/.out"
if [ $have_h5py = 1 ]; then
    for d in res sh; do
        if "$PY" - "$WORK" "$d" <<'EOF'
import sys, os, h5py, numpy as np
work, d = sys.argv[1], sys.argv[2]
a, e = np.load(os.path.join(work, "single.npy")), np.load(os.path.join(work, "single_eid.npy"))
f = h5py.File(os.path.join(work, d, "ecgfit.h5"), "r")
assert np.array_equal(f["ecg/eid"][:], e)
assert f["ecg/signal"][:].tobytes() == a.tobytes()
EOF
        then pass "$d: same /ecg/eid and identical signal bytes as a single run"; else
            fail "$d: differs from a single run"; fi
    done
fi
expect_status 2 "--shard 3/2 is a usage error" -C sh preprocess --shard 3/2
expect_status 2 "--units bad is a usage error" -C sh preprocess --units volts

# ---- options recorded, changes refused ----
expect_status 1 "--units seed over mv parts refused" -C coh preprocess --units seed
expect_err "were made with --units mv; rerun with the same options or pass --restart" "refusal names the difference"
expect_status 0 "--units seed --restart" -C coh preprocess --units seed --restart
check "summary says seed units" grep -q "units: seed" "$WORK/.out"
if [ $have_h5py = 1 ]; then
    if "$PY" - "$WORK" <<'EOF'
import sys, os, glob, h5py, numpy as np
work = sys.argv[1]
f = h5py.File(os.path.join(work, "coh/ecgfit.h5"), "r")
assert f["ecg"].attrs["units"] == "seed"
for p in glob.glob(os.path.join(work, "coh/ecg-data/part-*.h5")):
    assert h5py.File(p, "r").attrs["units"] == "seed", p
a = np.load(os.path.join(work, "single.npy"))
assert np.array_equal(f["ecg/signal"][:] * np.float32(5), a)
EOF
    then pass "units seed recorded on /ecg and every part; mv == seed * 5 exactly"; else
        fail "units seed checks"; fi
fi
mkdir noparts && cp coh/ecgfit.ini noparts/
expect_status 1 "merge in a project without parts" -C noparts merge
expect_err "no ECG part files" "merge says there are no parts"
done_testing
