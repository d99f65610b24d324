#!/bin/bash
# slurm.sh — `ecgfit slurm`: the job-array script (its #SBATCH lines, the
# quoting of stage options, usage errors), the script run as an array task
# would run it, --resume's list of unfinished shards, --submit against a fake
# sbatch (the arguments, its failures), and then on a real SLURM when one
# answers (tests/slurm/local-slurm.sh starts one; CI sets
# ECGFIT_SLURM_REQUIRED=1): preprocess in 3 shards plus the dependent merge
# gives the store a single-node run gives, and a failing array drops the merge.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1

expect_status 0 "synth a small cohort" -q synth coh --n 90 --seed 5
expect_status 0 "labels" -q -C coh labels
cp -r coh single

# ---- the script -------------------------------------------------------------
expect_status 0 "script to standard output" -C coh slurm preprocess --shards 3 --cpus 2 --mem 3G \
    --time 0:20:00 --partition short --account ukb --max-running 2 -- --units seed --highpass
printf '%s\n' "$OUT" > s1.sbatch
check "a bash script" test "$(head -1 s1.sbatch)" = "#!/bin/bash"
check "bash -n accepts it" bash -n s1.sbatch
check "array 1-3, at most 2 at once" grep -qx '#SBATCH --array=1-3%2' s1.sbatch
for l in '--cpus-per-task=2' '--mem=3G' '--time=0:20:00' '--partition=short' '--account=ukb' \
    '--job-name=ecgfit-preprocess'; do
    check "#SBATCH $l" grep -qx -- "#SBATCH $l" s1.sbatch
done
absdir=$(cd coh && pwd -P)
check "logs in the project's slurm/logs" grep -qx "#SBATCH --output=$absdir/slurm/logs/preprocess-%A_%a.out" s1.sbatch
check "... a folder made now (sbatch does not)" test -d coh/slurm/logs
check "every #SBATCH before the first command" \
    test "$(awk '/^#SBATCH/ { s = NR } /^[^#]/ && NF && !c { c = NR } END { print (s < c) }' s1.sbatch)" = 1
check "the task line: absolute paths, its shard, --jobs from the allocation, the stage's options" \
    grep -q "^exec [^ ]*ecgfit -C $absdir preprocess --shard \"\${SLURM_ARRAY_TASK_ID}/3\" --jobs \"\${SLURM_CPUS_PER_TASK:-1}\" --units seed --highpass\$" s1.sbatch
check "the header says how to submit it with the merge" grep -q "dependency=afterok" s1.sbatch

expect_status 0 "no resources given: none asked for" -C coh slurm preprocess --shards 4
check "only name, array and output" test "$(printf '%s\n' "$OUT" | grep -c '^#SBATCH')" -eq 3

mkdir "enc dir"
expect_status 0 "an encoder whose path needs quoting" -C coh encoder new --arch pclr --seed 1 -o "enc dir/it's.h5"

expect_status 0 "a project with /ecg" -q -C single preprocess --jobs 2
expect_status 0 "embed script with it" -C single slurm embed --shards 2 -o emb.sbatch -- --encoder "$WORK/enc dir/it's.h5" --batch 4
check "-o FILE writes the file" test -s emb.sbatch
check "the quoted path survives the shell" \
    bash -c 'eval "set -- $(sed -n "s/^exec //p" emb.sbatch)"; [ "$9" = --encoder ] && [ "${10}" = "$0" ]' \
    "$WORK/enc dir/it's.h5"
expect_err "wrote .*emb.sbatch \(array 1-2 of 2\)" "says what it wrote"
expect_status 0 "--resume for embed: every shard" -C single slurm embed --shards 2 --resume -- --encoder "$WORK/enc dir/it's.h5"
check "array 1-2" bash -c 'printf "%s\n" "$1" | grep -qx "#SBATCH --array=1-2"' _ "$OUT"

# ---- usage errors -------------------------------------------------------------
expect_status 2 "no stage" -C coh slurm --shards 3
expect_err "which stage: slurm preprocess or slurm embed" "asks which stage"
expect_status 2 "a stage that is not sharded" -C coh slurm train --shards 3
expect_status 2 "no --shards" -C coh slurm preprocess
expect_err "--shards N is required" "asks for --shards"
expect_status 2 "a typo among the stage's options" -C coh slurm preprocess --shards 3 -- --unitz seed
expect_err "preprocess options after --: unknown option '--unitz'; did you mean --units\?" "caught before any task runs"
expect_status 2 "--shard among the stage's options" -C coh slurm preprocess --shards 3 -- --shard 1/3
expect_err "the script sets preprocess's --shard and --jobs" "says the script sets them"
expect_status 2 "--resume with --restart" -C coh slurm preprocess --shards 3 --resume -- --restart
expect_status 2 "--submit with -o -" -C coh slurm preprocess --shards 3 --submit -o -
expect_status 1 "not a project" -C nowhere slurm preprocess --shards 3
nfiles=$(ls coh/ecg | grep -c '_20205_2_0\.xml$')
expect_status 2 "more shards than ECG files" -C coh slurm preprocess --shards $((nfiles + 1))
expect_err "--shards $((nfiles + 1)) for $nfiles ECG files: at most $nfiles" "says how many at most"
expect_status 0 "as many shards as files" -C coh slurm preprocess --shards "$nfiles"
expect_status 1 "embed before any /ecg" -C coh slurm embed --shards 2 -- --encoder "$WORK/enc dir/it's.h5"
expect_err "no /ecg yet: preprocess \(and merge\) before embedding" "says to preprocess first"

# ---- a task, run as SLURM would run it; --resume --------------------------------
if SLURM_ARRAY_TASK_ID=2 SLURM_CPUS_PER_TASK=1 bash s1.sbatch > task2.out 2>&1; then
    pass "the script runs array task 2 (shard 2/3)"
else
    fail "the script runs array task 2"; diag "$(cat task2.out)"
fi
check "... which wrote shard 2's part" test -f coh/ecg-data/part-2-of-3-00000.h5
expect_status 0 "--resume: the shards not done" -C coh slurm preprocess --shards 3 --resume
check "array 1,3" bash -c 'printf "%s\n" "$1" | grep -qx "#SBATCH --array=1,3"' _ "$OUT"
expect_status 0 "--resume for another split: all of it" -C coh slurm preprocess --shards 2 --resume
check "array 1-2" bash -c 'printf "%s\n" "$1" | grep -qx "#SBATCH --array=1-2"' _ "$OUT"
rm -rf coh/ecg-data

# ---- --submit against a fake sbatch -----------------------------------------------
mkdir bin
cat > bin/sbatch <<'SH'
#!/bin/sh
# logs its arguments, one per line, then a blank line
for a in "$@"; do printf '%s\n' "$a"; done >> "$FAKE_LOG"
echo >> "$FAKE_LOG"
[ -z "${FAKE_FAIL:-}" ] || { echo "sbatch: error: Invalid account or account/partition combination" >&2; exit 1; }
n=$(grep -c '^$' "$FAKE_LOG")
echo "sbatch: note: a site's submit filter speaks first"
echo "sbatch: warning: and something on standard error" >&2
echo "$((40 + n));cluster1"
SH
chmod +x bin/sbatch
export FAKE_LOG=$WORK/sbatch.log
PATH=$WORK/bin:$PATH expect_status 0 "--submit" -C coh slurm preprocess --shards 3 --partition short --time 1:00:00 --submit
check "array and merge job ids reported" bash -c 'printf "%s\n" "$1" | grep -q "Submitted array job 41 (preprocess, shards 1-3 of 3) and merge job 42"' _ "$OUT"
check "the script went to the project's slurm folder" test -f coh/slurm/preprocess.sbatch
check "first sbatch: the script, --parsable" test "$(sed -n '1,/^$/p' sbatch.log | tr '\n' ' ')" = "--parsable $absdir/slurm/preprocess.sbatch  "
merge=$(sed -n '/^$/,$p' sbatch.log | sed '/^$/d')
for w in --parsable --job-name=ecgfit-merge --dependency=afterok:41 --kill-on-invalid-dep=yes \
    "--output=$absdir/slurm/logs/merge-%j.out" --partition=short --time=1:00:00 --wrap; do
    check "merge: $w" bash -c 'printf "%s\n" "$1" | grep -qxF -- "$2"' _ "$merge" "$w"
done
check "merge: runs ecgfit merge on the project, waiting for the store's lock" \
    bash -c 'printf "%s\n" "$1" | grep -q "ecgfit -C $2 --wait merge\$"' _ "$merge" "$absdir"
rm -f sbatch.log
FAKE_FAIL=1 PATH=$WORK/bin:$PATH expect_status 1 "sbatch refuses" -C coh slurm preprocess --shards 3 --submit
expect_err "sbatch failed \(exit status 1\): sbatch: error: Invalid account" "says what sbatch said"
mkdir nobin && ln -s "$(command -v cat)" nobin/cat
PATH=$WORK/nobin expect_status 1 "no sbatch on PATH" -C coh slurm preprocess --shards 3 --submit
expect_err "cannot run sbatch: No such file or directory \(not a SLURM node" "says it is not a SLURM node"

# ---- a real SLURM ---------------------------------------------------------------------
slurm_up() {
    command -v sbatch >/dev/null 2>&1 && command -v sinfo >/dev/null 2>&1 &&
        sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc|comp)'
}
# wait_jobs ID...: until squeue lists none of them (at most 180 s)
wait_jobs() {
    local i=0 ids
    ids=$(IFS=,; echo "$*")
    while [ "$i" -lt 180 ]; do
        [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && return 0
        sleep 1
        i=$((i + 1))
    done
    diag "still queued after 180 s:" "$(squeue -j "$ids" 2>&1)"
    return 1
}
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }

if ! slurm_up; then
    if [ "${ECGFIT_SLURM_REQUIRED:-0}" = 1 ]; then
        fail "a SLURM controller answers (ECGFIT_SLURM_REQUIRED=1; tests/slurm/local-slurm.sh start)"
    else
        pass "# SKIP no SLURM here (tests/slurm/local-slurm.sh start runs one)"
    fi
    done_testing
    exit
fi

expect_status 0 "submit preprocess in 3 shards" -C coh slurm preprocess --shards 3 --submit
ids=$(printf '%s\n' "$OUT" | sed -n 's/^Submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1 \2/p')
if [ -n "$ids" ] && wait_jobs $ids; then pass "the array and the merge ran"; else
    fail "the array and the merge ran"; diag "$OUT" "$(cat coh/slurm/logs/* 2>/dev/null | tail -20)"; fi
check "merge completed" test "$(job_state "${ids#* }")" = COMPLETED
check "3 task logs and the merge's" test "$(ls coh/slurm/logs | wc -l)" -eq 4
check "three shard parts" test "$(ls coh/ecg-data | grep -c '^part-[123]-of-3-')" -eq 3
if "${PYTHON3:-/usr/bin/python3}" - coh/ecgfit.h5 single/ecgfit.h5 <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for k in ("eid", "qc", "signal"):
    if not np.array_equal(a["ecg"][k][()], b["ecg"][k][()]):
        sys.exit("ecg/%s differs" % k)
PY
then pass "/ecg from the array equals /ecg of one node (eid, qc, signal)"; else
    fail "/ecg from the array equals /ecg of one node"; fi

# embed in 2 shards, from the /ecg of the one-node project, against one node
cp -r single single1
expect_status 0 "submit embed in 2 shards" -C single slurm embed --shards 2 --cpus 2 --submit -- \
    --encoder "$WORK/enc dir/it's.h5"
ids=$(printf '%s\n' "$OUT" | sed -n 's/^Submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1 \2/p')
if [ -n "$ids" ] && wait_jobs $ids; then pass "the embed array and its merge ran"; else
    fail "the embed array and its merge ran"; diag "$OUT" "$(tail -20 single/slurm/logs/* 2>/dev/null)"; fi
check "embed merge completed" test "$(job_state "${ids#* }")" = COMPLETED
expect_status 0 "the same embeddings on one node" -q -C single1 embed --encoder "$WORK/enc dir/it's.h5" --jobs 2
if "${PYTHON3:-/usr/bin/python3}" - single/ecgfit.h5 single1/ecgfit.h5 <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = list(a["embeddings"])
if names != list(b["embeddings"]) or len(names) != 1:
    sys.exit("embeddings names differ: %s %s" % (names, list(b["embeddings"])))
for k in ("eid", "values"):
    if not np.array_equal(a["embeddings"][names[0]][k][()], b["embeddings"][names[0]][k][()]):
        sys.exit("embeddings/%s differs" % k)
PY
then pass "/embeddings from the array equal one node's (eid, values)"; else
    fail "/embeddings from the array equal one node's"; fi

# an array whose tasks fail (their parts' folder is a file): the merge is
# dropped, not left waiting
rm -rf coh/ecg-data
echo "not a folder" > coh/ecg-data
expect_status 0 "submit an array that will fail" -C coh slurm preprocess --shards 2 --submit
ids=$(printf '%s\n' "$OUT" | sed -n 's/^Submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1 \2/p')
if [ -n "$ids" ] && wait_jobs $ids; then pass "the failed array leaves nothing queued"; else
    fail "the failed array leaves nothing queued"; fi
check "the merge was cancelled" test "$(job_state "${ids#* }")" = CANCELLED
done_testing
