#!/bin/sh
# bench_preprocess.sh — `ecgfit preprocess` against the seed's Python
# preprocessing on the same 1,000 real-size CardioSoft files.
#
# Makes (once) a synthetic cohort with `ecgfit synth` (BENCH_N participants,
# default 1550, which gives ~1,000 instance-2 ECG files of ~1 MB each, as UK
# Biobank's), keeps the first BENCH_FILES (1000) instance-2 files, warms the
# page cache, then times:
#   ecgfit preprocess --jobs 1, --jobs 2    (XML read, resample, QC, HDF5 parts, /ecg)
#   bench/seed_preprocess.py               (ElementTree + numpy, np.save per ECG)
# and prints files/s, the ratios (targets: >= 5x the seed per core, >= 9x
# with both cores) and ecgfit's peak RSS (GNU time's maximum resident size).
# Environment: ECGFIT (binary; default ./ecgfit), BENCH_DIR (/tmp/ecgfit-bench-pp),
# BENCH_N (1550), BENCH_FILES (1000), PYTHON3 (/usr/bin/python3).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${ECGFIT:-./ecgfit}
dir=${BENCH_DIR:-/tmp/ecgfit-bench-pp}
n=${BENCH_N:-1550}
nfiles=${BENCH_FILES:-1000}
py=${PYTHON3:-/usr/bin/python3}

if [ ! -f "$dir/cohort/ecgfit.ini" ]; then
    echo "generating a synthetic cohort of $n in $dir/cohort ..."
    "$bin" -q synth "$dir/cohort" --n "$n" --seed 1
fi
rm -rf "$dir/proj" "$dir/seed-out"
mkdir -p "$dir/proj/ecg"
ls "$dir/cohort/ecg" | grep '_20205_2_0\.xml$' | sort | head -n "$nfiles" > "$dir/names"
have=$(wc -l < "$dir/names")
while read -r f; do ln -s "$dir/cohort/ecg/$f" "$dir/proj/ecg/$f"; done < "$dir/names"
sed "s|^|$dir/cohort/ecg/|" "$dir/names" > "$dir/list"
printf '[project]\necg_dir = ecg\n' > "$dir/proj/ecgfit.ini"
bytes=$(cat "$dir/list" | xargs cat | wc -c)
echo "files: $have instance-2 ECG XMLs, $((bytes / have / 1024)) KiB each on average"
echo "cores: $(nproc) (shared machine: expect a few % noise between runs)"

run_ecgfit() {  # run_ecgfit JOBS: prints "seconds rss_kb"
    rm -rf "$dir/proj/ecg-data" "$dir/proj/ecgfit.h5"
    /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" -q -C "$dir/proj" preprocess --jobs "$1" >/dev/null
    cat "$dir/time"
}

r1=$(run_ecgfit 1)
r2=$(run_ecgfit 2)
seed=$("$py" "$here/seed_preprocess.py" "$dir/list" "$dir/seed-out")
ss=$(echo "$seed" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
part=$(du -sk "$dir/proj/ecg-data" | cut -f1)

awk -v n="$have" -v r1="$r1" -v r2="$r2" -v ss="$ss" -v part="$part" 'BEGIN {
    split(r1, a, " "); split(r2, b, " ");
    f1 = n / a[1]; f2 = n / b[1]; fs = n / ss;
    printf "%-36s %8s %10s %8s %10s\n", "", "seconds", "files/s", "ratio", "peak RSS";
    printf "%-36s %8.2f %10.1f %8.2f %8.1f MB\n", "ecgfit preprocess --jobs 1", a[1], f1, f1 / fs, a[2] / 1024;
    printf "%-36s %8.2f %10.1f %8.2f %8.1f MB\n", "ecgfit preprocess --jobs 2", b[1], f2, f2 / fs, b[2] / 1024;
    printf "%-36s %8.2f %10.1f %8.2f\n", "seed (ElementTree + numpy, 1 core)", ss, fs, 1;
    printf "targets: >= 5x per core (%s), >= 9x with both cores (%s)\n",
        (f1 / fs >= 5) ? "met" : "NOT met", (f2 / fs >= 9) ? "met" : "NOT met";
    printf "ecg-data/: %.1f MB for %d ECGs (%.0f KB each; raw float32 is 192 KB)\n", part / 1024, n, part / n;
}'
"$py" - "$dir" <<'EOF'
import sys, os, h5py, numpy as np
d = sys.argv[1]
f = h5py.File(os.path.join(d, "proj/ecgfit.h5"), "r")
eid, sig = f["ecg/eid"][:], f["ecg/signal"]
bad = 0
for i in range(0, len(eid), max(1, len(eid) // 50)):
    want = np.load(os.path.join(d, "seed-out", "%d.npy" % eid[i])) * np.float32(5)
    bad += not np.array_equal(sig[i], want)
print("check: %d sampled ECGs equal seed * 5 (mv units): %s" % (len(range(0, len(eid), max(1, len(eid) // 50))), "yes" if not bad else "NO, %d differ" % bad))
EOF
