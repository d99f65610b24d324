#!/bin/bash
# golden.sh — what every command prints, pinned: stdout and stderr of each
# command, in each format, on one fixed synthetic project, compared with
# tests/data/expected/golden/*.txt.  Refactors run against these files; an
# intended change of output regenerates them (GENERATE=1 make check) in a
# commit of its own.  Times, rates and the scratch folder are masked.
# Embeddings are imported from a fixed CSV (not the CNN), so the numbers do
# not depend on the CPU's SIMD path.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1
G="$EXPECTED/golden"
[ "${GENERATE:-0}" = 1 ] && mkdir -p "$G"

# gold NAME ARGS...: run ecgfit, mask what varies, compare with golden NAME.txt.
gold() {
    local name=$1; shift
    "$ECGFIT_BIN" "$@" >"$WORK/.o" 2>"$WORK/.e"
    local rc=$?
    {
        echo "\$ ecgfit $*"
        cat "$WORK/.o"
        [ -s "$WORK/.e" ] && { echo "--- stderr"; cat "$WORK/.e"; }
        echo "--- exit $rc"
    } | sed -e "s|$WORK|WORK|g" -e "s|$top_srcdir|SRC|g" -e "s|${ECGFIT_DATADIR:-@}|DATADIR|g" \
            -e 's/[0-9][0-9]*\.[0-9]* s\b/T s/g' -e 's/[0-9.][0-9.]* ECGs\/s/R ECGs\/s/g' \
            -e 's/[0-9.][0-9.]* GFLOP\/s/R GFLOP\/s/g' -e 's/[0-9.][0-9.]* files\/s/R files\/s/g' \
            -e 's/ecgfit [0-9][0-9.]*[a-z0-9.-]*/ecgfit VERSION/g' >"$WORK/$name.txt"
    if [ "${GENERATE:-0}" = 1 ]; then
        cp "$WORK/$name.txt" "$G/$name.txt"; pass "golden $name regenerated"; return
    fi
    if diff -u "$G/$name.txt" "$WORK/$name.txt" >"$WORK/.diff" 2>&1; then pass "golden $name"; else
        fail "golden $name differs (GENERATE=1 make check refreshes it)"; sed 's/^/# /' "$WORK/.diff" | head -30; fi
}

gold synth synth p --n 150 --seed 11 --vo2-rate 0.6 --jobs 1
gold labels -C p labels --jobs 1
gold labels-fields -C p labels --fields vo2max,p46_i2,20116-0.0 --jobs 1
gold labels-typo -C p labels --fields vo2maks
gold preprocess -C p preprocess --jobs 1
# 64 embedding values per participant with an ECG: smooth functions of the eid
awk -F, 'NR > 1 { print $1 }' p/ukb_main.csv | tr -d '"' | sort -n >eids.txt
ls p/ecg | sed -n 's/_20205_2_0.xml$//p' | sort -n >ecg_eids.txt
awk 'BEGIN { printf "eid"; for (k = 0; k < 64; k++) printf ",pclr_output_%d", k; print "" }
     { printf "%s", $1; for (k = 0; k < 64; k++) printf ",%.6f", sin(($1 % 9973) * (k + 1) * 0.001) + (k == 7 ? 0 : 0);
       print "" }' ecg_eids.txt >emb.csv
gold import-embeddings -C p import embeddings emb.csv --name emb
gold train -C p train --target vo2max,sbp --features basic,full --model lasso,elasticnet,xgboost --jobs 1 --bootstrap 100
gold train-spelling -C p train --target p30038_i1 --features basic --model lasso --jobs 1 --bootstrap 100
gold predict -C p predict --model 30038-1.0/full/lasso --bootstrap 100
gold replicate -C p replicate --model basic,friend,wasserman,jones
for f in text md latex csv; do gold "report-$f" -C p report --format "$f"; done
gold report-train -C p report --split train --target vo2max
# text fits $COLUMNS (least important columns left out and named); --wide keeps all
COLUMNS=80 gold report-80 -C p report
COLUMNS=80 gold report-80-wide -C p report --wide --target sbp
COLUMNS=80 gold report-80-md -C p report --format md --target sbp
gold report-top -C p report --features-top=3 --target sbp
gold report-compare -C p report --compare vo2max/full/lasso,vo2max/basic/lasso
# Table 1 and the fitness summary, every format (tableone's cells)
for f in text md latex csv html; do gold "table1-$f" -C p table1 --groupby sex --pval --smd --htest-name --format "$f"; done
gold table1-seed -C p table1 --preset seed --pval --smd
gold table1-options -C p table1 --vars age,bmi,crp,smoking --groupby sex --pval --ci --test-stat --no-include-null \
    --min-max=bmi --nonnormal crp --decimals 2 --pval-digits 4 --caption "Cohort" --format latex --label tab:cohort
COLUMNS=80 gold table1-80 -C p table1 --groupby sex --pval --smd --htest-name
gold table1-ungrouped -C p table1 --all
gold summary -C p summary
gold table1-typo -C p table1 --vars agee
gold export-labels -C p export labels -o -
gold export-labels-tsv -C p export labels --format tsv -o -
gold export-seed-layout -C p export labels -o labels.csv --seed-layout seed
gold export-predictions -C p export predictions --model vo2max/basic/xgboost -o -
gold export-metrics -C p export metrics -o -
gold export-metrics-file -C p export metrics -o metrics.csv
gold export-embeddings -C p export embeddings -o emb-out.csv
check "embeddings round-trip: the same eids" cmp -s <(cut -d, -f1 emb.csv) <(cut -d, -f1 emb-out.csv)
gold import-labels -C p import labels seed/SYSTOLIC_BP_mean.csv
gold help --help
for c in init labels preprocess embed merge train predict replicate report export import encoder synth; do
    gold "help-$c" "$c" --help
done
gold unknown-command trian
gold bad-target -C p train --target vo2maks --features basic --model lasso
done_testing
