#!/bin/bash
# embed.sh — `ecgfit embed`, `merge` and `export embeddings` on a small
# synthetic cohort with a small PCLR-architecture encoder: /embeddings/NAME
# as h5py sees it (from another directory, through the virtual dataset),
# resume, shards + merge == one run, refusals (no encoder, no /ecg, other
# units, other input length), the csv/tsv layouts read back by pandas.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
cd "$WORK" || exit 1

expect_status 0 "synth a cohort" -q synth coh --n 40 --seed 5
expect_status 0 "encoder new (width 0.125)" encoder new --arch pclr --width-scale 0.125 --seed 1 -o enc.h5

# ---- refusals before any ECG ----
expect_status 1 "embed without an encoder" -C coh embed
expect_err "no encoder: pass --encoder FILE" "says to pass --encoder"
expect_err "--encoder FILE --force" "says how to set it in the project"
expect_err "encoder new --arch pclr -o FILE" "points to the demo encoder"
expect_status 1 "embed before preprocess" -C coh embed --encoder enc.h5
expect_err "run \`ecgfit -C coh preprocess\` first" "says to preprocess first"
expect_status 2 "--shard 3/2 is a usage error" -C coh embed --encoder enc.h5 --shard 3/2
expect_status 2 "--batch 0 is a usage error" -C coh embed --encoder enc.h5 --batch 0
expect_status 2 "--name with a slash is a usage error" -C coh embed --encoder enc.h5 --name a/b

expect_status 0 "preprocess" -q -C coh preprocess --jobs 2
cp -r coh res
cp -r coh sh
expect_status 0 "embed" -C coh embed --encoder enc.h5 --batch 4 --jobs 2
check "summary counts the ECGs" grep -q "embedded now  *[1-9]" "$WORK/.out"
check "summary names the store group" grep -q "Wrote /embeddings/enc to" "$WORK/.out"
check "part file written" test -f coh/emb-data/enc/part-all-00000.h5
check "no temporary files left" test -z "$(ls coh/emb-data/enc | grep tmp)"
NECG=$(sed -n 's/^  ECGs in \/ecg  *\([0-9]*\)$/\1/p' "$WORK/.out")
expect_status 0 "rerun embeds nothing" -C coh embed --encoder enc.h5
check "rerun: all resumed" grep -q "already embedded (resumed)  *$NECG$" "$WORK/.out"

have_h5py=0
"$PY" -c 'import h5py, numpy, pandas' 2>/dev/null && have_h5py=1

expect_status 0 "export embeddings --format csv" -C coh export embeddings --format csv -o emb.csv
OUTN=$(head -1 emb.csv | tr ',' '\n' | tail -1 | sed 's/pclr_output_//')
check "csv header is the seed's (eid,pclr_output_0..)" test "$(head -1 emb.csv | cut -d, -f1-3)" = "eid,pclr_output_0,pclr_output_1"
check "csv has a row per ECG" test "$(wc -l < emb.csv)" -eq $((NECG + 1))
expect_status 0 "export embeddings --format tsv" -C coh export embeddings --format tsv -o emb.tsv
check "tsv header is ml4h's (sample_id, latent_0..)" test "$(head -1 emb.tsv | cut -f1-3)" = "$(printf 'sample_id\tlatent_0\tlatent_1')"
check "tsv header ends at latent_$OUTN" test "$(head -1 emb.tsv | tr '\t' '\n' | tail -1)" = "latent_$OUTN"
expect_status 0 "export to standard output" -C coh export embeddings -o -
check "same as the csv file" test "$OUT" = "$(cat emb.csv)"
expect_status 1 "export --name unknown" -C coh export embeddings --name nope -o x.csv
expect_err "no embeddings named 'nope' \\(the store has: enc\\)" "names what the store has"
expect_status 2 "export --format npy" -C coh export embeddings --format npy -o x

if [ $have_h5py = 1 ]; then
    # From / so the relative virtual-dataset sources must resolve against
    # the store's own folder.
    if (cd / && "$PY" - "$WORK" "$NECG" <<'EOF'
import sys, os, hashlib, h5py, numpy as np, pandas as pd
work, necg = sys.argv[1], int(sys.argv[2])
f = h5py.File(os.path.join(work, "coh/ecgfit.h5"), "r")
g = f["embeddings/enc"]
eid, val = g["eid"][:], g["values"]
assert val.is_virtual
assert eid.dtype == np.int64 and val.dtype == np.float32
assert val.shape[0] == necg == len(eid), (val.shape, necg)
assert list(eid) == list(f["ecg/eid"][:])
v = val[:]
assert np.isfinite(v).all(), "fill values: a part was not found"
assert v.std() > 0
sha = hashlib.sha256(open(os.path.join(work, "enc.h5"), "rb").read()).hexdigest()
assert g.attrs["encoder_sha256"] == sha, (g.attrs["encoder_sha256"], sha)
assert g.attrs["input_length"] == 4096 and g.attrs["units"] == "mv"
assert g.attrs["output_size"] == v.shape[1]
assert g.attrs["encoder_path"].endswith("enc.h5") and g.attrs["ecgfit_version"]
d = pd.read_csv(os.path.join(work, "emb.csv"))
assert list(d.columns) == ["eid"] + ["pclr_output_%d" % i for i in range(v.shape[1])]
assert (d["eid"].values == eid).all()
x = d.iloc[:, 1:].values.astype(np.float32)
assert np.array_equal(x.view(np.uint32), v.view(np.uint32)), "csv numbers do not round-trip float32"
t = pd.read_csv(os.path.join(work, "emb.tsv"), sep="\t")
assert list(t.columns) == ["sample_id"] + ["latent_%d" % i for i in range(v.shape[1])]
assert np.array_equal(t.iloc[:, 1:].values.astype(np.float32), v)
np.save(os.path.join(work, "single.npy"), v)
EOF
    ); then pass "h5py reads /embeddings/enc (from another cwd, sha256 and attrs right); pandas reads the csv/tsv back to the same float32"; else
        fail "h5py / pandas checks"; fi
else
    echo "# h5py, numpy or pandas missing: store checks skipped"
fi

# ---- resume: --limit, then the rest ----
expect_status 0 "embed --limit 10" -C res embed --encoder enc.h5 --limit 10 --batch 4
check "10 embedded" grep -q "embedded now  *10$" "$WORK/.out"
touch res/emb-data/enc/part-all-00007.h5.tmp-99999
expect_status 0 "rerun resumes" -C res embed --encoder enc.h5 --batch 4
check "rest embedded" grep -q "embedded now  *$((NECG - 10))$" "$WORK/.out"
check "finished ones skipped" grep -q "already embedded (resumed)  *10$" "$WORK/.out"
expect_err "removed 1 unfinished part file" "a killed run's temporary is removed"

# ---- shards + merge ----
expect_status 0 "shard 1/2" -C sh embed --encoder enc.h5 --shard 1/2
SAVE_OUT=$OUT
expect_status 1 "shard run does not write /embeddings" -C sh export embeddings -o x.csv
expect_err "no embeddings in the store" "export says there are none yet"
OUT=$SAVE_OUT
check "shard run says to merge" grep -q "run \`ecgfit -C sh merge\`" <<<"$OUT"
expect_status 1 "merge with an embed shard missing" -C sh merge
expect_err "2/2" "merge names the missing shard"
expect_status 0 "shard 2/2" -C sh embed --encoder enc.h5 --shard 2/2 --jobs 1
expect_status 0 "merge" -C sh merge
check "merge reports the ECG fold" grep -q "Merged .* part file.* into sh/ecgfit.h5" "$WORK/.out"
check "merge reports the embeddings fold" grep -q "into /embeddings/enc: $NECG ECGs" "$WORK/.out"
if [ $have_h5py = 1 ]; then
    for d in res sh; do
        if "$PY" - "$WORK" "$d" <<'EOF'
import sys, os, h5py, numpy as np
work, d = sys.argv[1], sys.argv[2]
a = np.load(os.path.join(work, "single.npy"))
f = h5py.File(os.path.join(work, d, "ecgfit.h5"), "r")
assert np.array_equal(f["embeddings/enc/eid"][:], f["ecg/eid"][:])
b = f["embeddings/enc/values"][:]
assert a.shape == b.shape and np.abs(a - b).max() <= 1e-6 * np.abs(a).max(), np.abs(a - b).max()
EOF
        then pass "$d: same /embeddings/enc as a single run"; else
            fail "$d: differs from a single run"; fi
    done
fi

# ---- several names; refusals after ECG changes ----
expect_status 0 "a second name" -C coh embed --encoder enc.h5 --name other --limit 3
expect_status 2 "export without --name when there are several" -C coh export embeddings -o x.csv
expect_err "several embeddings \\(enc, other\\): choose one with --name" "asks for --name"
expect_status 0 "export --name other" -C coh export embeddings --name other -o other.csv
check "other has 3 rows" test "$(wc -l < other.csv)" -eq 4

expect_status 0 "preprocess with --units seed" -q -C coh preprocess --units seed --restart
expect_status 1 "embeddings of mv ECGs + seed ECGs refused" -C coh embed --encoder enc.h5
expect_err "cannot be mixed: pass --restart" "refusal says how to proceed"
expect_err "units mv" "and names the units"
expect_status 0 "--restart" -C coh embed --encoder enc.h5 --restart
check "summary says units seed" grep -q "units seed" "$WORK/.out"

expect_status 0 "preprocess to 2500 samples" -q -C coh preprocess --samples 2500 --units seed --restart
expect_status 1 "4096-sample encoder on 2500-sample ECGs refused" -C coh embed --encoder enc.h5
expect_err "this encoder takes 4096 samples per lead; the ECGs were preprocessed to 2500" "names both lengths"
expect_err "run \`ecgfit -C coh preprocess --samples 4096 --units seed --restart\`" "says how to re-run preprocessing"
expect_status 1 "merge refuses stale embeddings" -C coh merge
expect_err "run \`ecgfit -C coh embed --name enc --restart\`" "and says how to refresh them"

# ---- the project's encoder ----
mkdir pe && cp -r sh/ecgfit.h5 sh/ecg-data pe/
expect_status 0 "init with --encoder" init pe --main-csv "$(ls coh/*.csv | head -1)" --ecg-dir coh/ecg --encoder enc.h5
expect_status 0 "embed with the project's encoder" -C pe embed --name proj_enc
check "used the project's encoder" grep -q "Wrote /embeddings/proj_enc" "$WORK/.out"
done_testing
