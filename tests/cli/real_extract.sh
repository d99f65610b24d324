#!/bin/bash
# real_extract.sh — extracts shaped like real UK Biobank applications: only
# some registry fields, a renamed column, RAP naming, no age; every command
# that takes a target accepts each UKB spelling of it and prints the key;
# `labels --fields` adds to the store, `predict` never overwrites a fit's
# metrics with those of nothing.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1

ecgfit -q synth full --n 400 --seed 5 --vo2-rate 0.8 --no-ecg 2>/dev/null || { echo "not ok 1 - synth"; echo 1..1; exit 1; }
ecgfit -q synth rap --n 400 --seed 5 --vo2-rate 0.8 --no-ecg --naming rap 2>/dev/null

# cut FILE OUT PATTERN [RENAME_FROM RENAME_TO]: keep eid and the columns whose
# name matches PATTERN (an awk regex), optionally renaming one.
cut_csv() {
    awk -F, -v pat="$3" -v from="${4:-}" -v to="${5:-}" '
        NR == 1 { for (i = 1; i <= NF; i++) { n = $i; gsub(/"/, "", n);
                      if (i == 1 || n ~ pat) { keep[++k] = i; name[k] = (n == from ? to : n) } }
                  for (j = 1; j <= k; j++) printf "%s%s", name[j], (j < k ? "," : "\n"); next }
        { for (j = 1; j <= k; j++) { v = $keep[j]; gsub(/"/, "", v); printf "%s%s", v, (j < k ? "," : "\n") } }' \
        "$1" > "$2"
}
# An application with sex, age, BMI, VO2max and blood pressure only.
cut_csv full/ukb_main.csv part.csv '^(31|21003|21001|30038|4080|4079)-'
ecgfit -q init part --main-csv part.csv
expect_status 0 "labels on a partial extract, no --fields" -C part labels
check "funnel printed" grep -q "with each target" .out
check "absent fields listed on one line" grep -Eq "^Not in this extract \([0-9]+ registry fields\): height \(50-2\.0\), weight" .out
check "the present targets extracted" grep -Eq "^ +vo2max .*[0-9]+ +\[[0-9]+\]" .out
expect_status 1 "--fields naming a field the extract lacks" -C part labels --fields fev1
expect_err "part.csv:1: 1 requested column is not in the header: 3063-2.0 \(for fev1\)" "names the file, line and column"

# A renamed column and another instance are hinted.
cut_csv full/ukb_main.csv renamed.csv '^(31|21003|21001|30038)-|^50-0' 30038-1.0 vo2_max
ecgfit -q init renamed --main-csv renamed.csv
expect_status 0 "labels with a renamed column" -C renamed labels
check "renamed column hinted" grep -q "vo2max (30038-1.0; has 30038-0.0; closest: 'vo2_max')" .out
check "other instances hinted" grep -q "height (50-2.0; has 50-0.0)" .out

# RAP naming, cut the same way.
cut_csv rap/ukb_main.csv rap.csv '^participant\.(eid|p31|p21003_|p21001_|p30038_)'
ecgfit -q init rapp --main-csv rap.csv
expect_status 0 "labels on a partial RAP extract" -C rapp labels
check "RAP: vo2max extracted" grep -Eq "^ +vo2max " .out

# No age: labels runs and says so; train refuses what needs age.
cut_csv full/ukb_main.csv noage.csv '^(31|21001|30038)-'
ecgfit -q init noage --main-csv noage.csv
expect_status 0 "labels without age" -C noage labels
expect_err "warning: age not in this extract" "warns that age is missing"
check "funnel says so" grep -q "(age not in this extract)" .out
expect_status 1 "train basic without age" -C noage train --target vo2max --features basic --model lasso
expect_err "features basic need age, sex and BMI, and /participants has no age" "names the missing column"

# Every spelling of a target, through every command that takes one.
ecgfit -C part train --target p30038_i1 --features basic --model lasso --bootstrap 50 >train.out 2>&1
check "train --target p30038_i1 prints vo2max" grep -Eq "^vo2max +basic +lasso" train.out
for t in vo2max 30038-1.0 p30038_i1 participant.p30038_i1 f.30038.1.0; do
    expect_status 0 "export predictions --target $t" -C part export predictions --target "$t" --features basic \
        --model lasso -o -
    check "  header names vo2max" test "$(head -1 .out)" = "eid,vo2max,vo2max_predicted,split"
done
expect_status 0 "predict --model f.30038.1.0/basic/lasso" -C part predict --model f.30038.1.0/basic/lasso --bootstrap 50
check "  prints the key" grep -q "with vo2max/basic/lasso" .out
expect_status 0 "report --target participant.p30038_i1" -C part report --target participant.p30038_i1
check "  shows vo2max" grep -Eq "^vo2max +(ml/kg/min +)?basic +lasso" .out
expect_status 0 "export metrics --target 30038-1.0" -C part export metrics --target 30038-1.0 -o -
check "  rows of vo2max" test "$(grep -c '^vo2max,basic,lasso,' .out)" = 3
expect_status 1 "report --target sbp (no results yet)" -C part report --target sbp
expect_err "no results for target sbp yet" "says there are none yet"
expect_status 1 "one reading of sbp is not sbp" -C part train --target 4080-2.0 --features basic --model lasso
expect_err "sbp is the mean of the field 4080 instance 2 readings" "says which column it belongs to"
expect_status 0 "replicate --target p30038_i1" -C part replicate --model basic --target p30038_i1
check "  prints vo2max" grep -q "vo2max" .out

# labels --fields adds; it never drops the other columns.
ncols() { h5ls "$1/ecgfit.h5/participants" 2>/dev/null | wc -l; }
if command -v h5ls >/dev/null; then
    before=$(ncols part)
    expect_status 0 "labels --fields vo2max on a full store" -C part labels --fields vo2max
    check "no column lost ($before before, $(ncols part) after)" test "$(ncols part)" = "$before"
    check "the kept ones are listed" grep -q "^Kept from the store (not in this run; --replace drops them): vo2max_i0, sbp, dbp" .out
else
    pass "# SKIP h5ls (hdf5-tools) not installed"
fi
expect_status 0 "predict after labels --fields" -C part predict --model vo2max/basic/lasso --bootstrap 50

# A target gone from the store: predict refuses, the metrics stay.
ecgfit -q -C part export metrics -o metrics.before
expect_status 0 "labels --replace --fields sbp" -q -C part labels --replace --fields sbp
expect_status 1 "predict without its target" -C part predict --model vo2max/basic/lasso
expect_err "the target vo2max is no longer in /participants" "names the missing column"
ecgfit -q -C part export metrics -o metrics.after
check "stored metrics intact" cmp -s metrics.before metrics.after
done_testing
