#!/bin/bash
# store_size.sh — re-running a stage leaves the store the same size (issue 11):
# 10 re-runs of labels, 10 of train and 3 of predict each keep ecgfit.h5
# within 2% of the size after the first of them, and /ecg and /embeddings
# (virtual datasets over the part files) still read afterwards.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1

size() { wc -c < coh/ecgfit.h5 | tr -d ' '; }

# rerun N WHAT ARGS...: run ecgfit N times, then check every size against the
# first run's (within 2%) and print them.
rerun() {
    local n=$1 what=$2 i s first= lo= hi= sizes= bad=0; shift 2
    for i in $(seq "$n"); do
        if ! "$ECGFIT_BIN" -q -C coh "$@" >"$WORK/.out" 2>"$WORK/.err"; then
            bad=1; diag "run $i failed:" "$(cat "$WORK/.err")"; break
        fi
        s=$(size)
        sizes="$sizes $s"
        [ -z "$first" ] && first=$s lo=$s hi=$s
        [ "$s" -lt "$lo" ] && lo=$s
        [ "$s" -gt "$hi" ] && hi=$s
    done
    diag "$what x$n sizes:$sizes"
    if [ "$bad" -eq 0 ]; then pass "$what runs $n times"; else fail "$what runs $n times"; return; fi
    if [ $((hi * 100)) -le $((first * 102)) ] && [ $((lo * 100)) -ge $((first * 98)) ]; then
        pass "$what re-runs keep the store within 2% of $first bytes ($lo..$hi)"
    else
        fail "$what re-runs change the store size: $lo..$hi bytes, first $first"
    fi
}

expect_status 0 "synth a cohort" -q synth coh --n 80 --seed 11 --vo2-rate 1
expect_status 0 "labels" -q -C coh labels
expect_status 0 "preprocess" -q -C coh preprocess
expect_status 0 "a small encoder" -q encoder new --arch pclr --width-scale 0.125 -o enc.h5
expect_status 0 "embed" -q -C coh embed --encoder enc.h5
expect_status 0 "train" -q -C coh train --target vo2max --features basic,full --model lasso
diag "store after the pipeline: $(size) bytes"

rerun 10 labels labels
rerun 10 train train --target vo2max --features basic,full --model lasso
rerun 3 predict predict --model vo2max/full/lasso

check "no temporary files left" test -z "$(find coh -name '*.tmp-*')"
expect_status 0 "the models still predict" -C coh predict --model vo2max/basic/lasso
expect_status 0 "/embeddings still reads through its part files" -C coh export embeddings \
    --format csv -o emb.csv
check "... one row per ECG" test "$(wc -l < emb.csv)" -gt 20
check "... and no missing values" test -z "$(grep -i nan emb.csv)"
eid=$(sed -n 2p emb.csv | cut -d, -f1)
expect_status 0 "/ecg/signal still reads through its part files" -C coh export ecg --format csv \
    --eid "$eid" -o ecg.csv
check "... 4096 samples" test "$(wc -l < ecg.csv)" -ge 4096
check "... that are numbers" test -z "$(sed 1d ecg.csv | grep -Evi '^-?[0-9][-+0-9.e,]*$')"
done_testing
