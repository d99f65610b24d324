#!/bin/bash
# train.sh — `train`, `predict`, `report`, `export predictions|metrics` on a
# small synthetic cohort: the summary, the store, the files, and bad input
# (usage errors, no labels, absent target, absent columns, no embeddings,
# fewer rows than folds, a singular design, unknown results).
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1

expect_status 0 "synth a cohort" -q synth coh --n 400 --seed 4 --vo2-rate 1 --no-ecg
expect_status 2 "train without --target" -C coh train --features basic --model lasso
expect_err "give --target, --features and --model" "says what is needed"
expect_status 2 "unknown model" -C coh train --target vo2max --features basic --model forest
expect_err "--model must be lasso, elasticnet, xgboost or mlp, not 'forest'" "names the models"
expect_status 2 "--test-size 1.5" -C coh train --target vo2max --features basic --model lasso --test-size 1.5
expect_status 1 "train before labels" -C coh train --target vo2max --features basic --model lasso
expect_err "run \`ecgfit labels\` first" "says to run labels"

expect_status 0 "labels (21001-2.0 is bmi's cell: one column)" -q -C coh labels --fields vo2max,21001-2.0
expect_status 1 "a target not in the store" -C coh train --target grip_left --features basic --model lasso
expect_err "target 'grip_left' is not in /participants" "names the target"
expect_err "ecgfit labels --fields grip_left" "says how to extract it"
printf 'age\nsex\nwaist\n' > feats.txt
expect_status 1 "a feature file naming an absent column" -C coh train --target vo2max --features feats.txt --model lasso
expect_err "feats.txt:3: feature 'waist' is not a /participants column" "names file, line and column"
expect_status 1 "ecg features without embeddings" -C coh train --target vo2max --features ecg --model lasso
expect_err "run \`ecgfit embed\`" "says to run embed"
expect_status 1 "fewer rows than folds" -C coh train --target vo2max --features basic --model lasso --folds 300
expect_err "too few for 300-fold cross-validation" "says so"
check "a failed train leaves no results" test -z "$(ecgfit -C coh report 2>/dev/null)"

expect_status 0 "train basic x lasso,elasticnet" -C coh train --target 30038-1.0 --features basic \
    --model lasso,elasticnet --jobs 2 --bootstrap 200
check "summary table" grep -q "test r \[95% CI\]" .out
check "summary row for lasso" grep -Eq "^vo2max +basic +lasso +[0-9]+ +[0-9]+ +0\.[0-9]+ \[" .out
check "counts dropped rows" grep -q "dropped (missing feature or target)" .out
printf 'age\nsex\nbmi\n21001-2.0\n' > dup.txt
expect_status 2 "a feature list naming bmi twice (by key and UKB id)" -C coh train --target vo2max --features dup.txt --model lasso
expect_err "dup.txt:4: 'bmi' is listed twice \\(line 3" "names the file, the line and the column"
ecgfit -q -C coh export labels -o labels.csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bmi") c = i; print "eid,bmi_copy"; next } { print $1 "," $c }' \
    labels.csv > bmi_copy.csv
expect_status 0 "import a copy of bmi" -q -C coh import labels bmi_copy.csv
printf 'age\nsex\nbmi\nbmi_copy\n' > dup.txt
expect_status 0 "a singular design (bmi twice) fits" -C coh train --target vo2max --features dup.txt --model lasso
expect_err "features bmi and bmi_copy are identical" "and says so"

expect_status 0 "report" -C coh report
check "report lists three results" test "$(grep -c '^vo2max' .out)" -eq 3
check "report has CIs and Bland-Altman" grep -q "BA bias \[LoA\]" .out
expect_status 0 "report --format md" -C coh report --format md --split train
check "md table" grep -Eq "^\| vo2max +\| [^|]*\| basic" .out
expect_status 0 "report --format latex" -C coh report --format latex -o rep.tex
check "latex table" grep -q 'begin{tabular}' rep.tex
expect_status 0 "report --features-top --compare" -C coh report --features-top=2 \
    --compare vo2max/basic/lasso,vo2max/basic/elasticnet
check "top features" grep -q "Top 2 features of vo2max/basic/lasso" .out
check "paired Delta R2" grep -q "Paired difference in test R2" .out
expect_status 1 "--compare with an unknown result" -C coh report --compare vo2max/basic/lasso,vo2max/basic/mlp
expect_err "no predictions for vo2max/basic/mlp \(the store has: vo2max/basic/elasticnet" "lists the results"

expect_status 0 "export predictions" -C coh export predictions --target vo2max --features basic --model lasso \
    --format csv -o pred.csv
check "predictions header" test "$(head -1 pred.csv)" = "eid,vo2max,vo2max_predicted,split"
check "train and test rows" test "$(grep -c ',test$' pred.csv)" -gt 10 -a "$(grep -c ',train$' pred.csv)" -gt 40
expect_status 0 "export metrics" -C coh export metrics --format csv -o met.csv
check "metrics: 3 results x 3 splits" test "$(wc -l < met.csv)" -eq 10
check "metrics header" grep -q "^target,features,model,split,n,r,r_lo,r_hi,r2" met.csv
expect_status 2 "export predictions without a model" -C coh export predictions -o x.csv

# libxgboost is loaded when XGBoost is first used, not at start: without it
# only XGBoost fails, and says which library it could not load.
ECGFIT_LIBXGBOOST=$WORK/nonexistent/libxgboost.so.0 expect_status 1 "xgboost without libxgboost" \
    -C coh train --target vo2max --features basic --model xgboost --bootstrap 0
expect_err "XGBoost needs libxgboost, which cannot be loaded: .*/nonexistent/libxgboost.so.0: cannot open" \
    "names the library it could not load"
ECGFIT_LIBXGBOOST=$WORK/nonexistent/libxgboost.so.0 expect_status 0 "lasso without libxgboost" \
    -C coh predict --model vo2max/basic/lasso
expect_status 0 "predict with a stored model" -C coh predict --model vo2max/basic/lasso
check "predict says how many" grep -q "^Predicted [0-9]* participants" .out
expect_status 0 "predict --target --features --model" -C coh predict --target vo2max --features basic --model lasso
expect_status 0 "export predictions after predict" -C coh export predictions --model vo2max/basic/lasso -o pred2.csv
check "same predictions after predict" cmp -s pred.csv pred2.csv
expect_status 1 "predict an unknown model" -C coh predict --model vo2max/full/lasso
expect_err "no model vo2max/full/lasso" "names it"
expect_status 2 "predict with a bad name" -C coh predict --model vo2max/basic
done_testing
