#!/bin/sh
# train_const.sh — feature columns constant over the training rows (dead
# encoder units) are fitted as the seed's StandardScaler does: scaled to 0,
# one warning line, results unchanged.  Embeddings imported from a CSV with
# emb:6 all 0, emb:7 all 0.1, emb:8 constant in the training rows only and
# emb:9 non-zero in one training row (so constant in the training rows of one
# CV fold).  Then, with python3-sklearn, the seed's FULL flow with and without
# the constant columns (tests/parity/seed_const.py) against ecgfit's results.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1
py=${PYTHON3:-/usr/bin/python3}

# mkemb OUT [TEST_EIDS]: 10 columns for every participant of labels.csv, sorted by eid
mkemb() {
    awk -F, -v tf="${2:-/dev/null}" -v spike="${3:-}" '
      BEGIN { while ((getline l < tf) > 0) test[l] = 1 }
      NR == 1 { for (i = 1; i <= NF; i++) if ($i == "vo2max") c = i
                printf "eid"; for (k = 0; k < 10; k++) printf ",pclr_output_%d", k; print ""; next }
      { e = $1; v = $c == "" ? 35 : $c
        printf "%s,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,0,0.1,%.9g,%.9g\n", e, v / 10 + sin(e * 0.37), sin(e * 1.3),
               cos(e * 0.71), (e % 97) / 13.0, sin(e * 0.011) * 3, v / 20 + cos(e * 2.1),
               (e in test) ? sin(e * 0.5) : 2.5, e == spike ? 4 : 0 }' labels.csv |
        { read -r h; echo "$h"; sort -t, -k1,1n; } >"$1"
}

expect_status 0 "synth a cohort" -q synth p --n 600 --vo2-rate 1 --seed 3 --no-ecg
expect_status 0 "labels" -q -C p labels --special-codes seed
expect_status 0 "export labels" -q -C p export labels -o labels.csv --seed-layout seed
# the split first (it depends on the rows only), to make emb:8 vary in the test rows alone
mkemb emb0.csv
expect_status 0 "import embeddings" -q -C p import embeddings emb0.csv --name emb
expect_status 0 "train basic for the split" -q -C p train --target vo2max --features basic --model lasso --jobs 2 \
    --bootstrap 0
expect_status 0 "export its split" -q -C p export predictions --target vo2max --features basic --model lasso -o split.csv
grep ',test$' split.csv | cut -d, -f1 >test.txt
spike=$(grep ',train$' split.csv | sed -n 5p | cut -d, -f1)
mkemb emb.csv test.txt "$spike"
check "emb:8 varies in the test rows" test "$(cut -d, -f10 emb.csv | sort -u | wc -l)" -gt 50
expect_status 0 "import the embeddings with constant columns" -q -C p import embeddings emb.csv --name emb

expect_status 0 "train full with 3 columns constant in the training rows" -C p train --target vo2max --features full \
    --model lasso,elasticnet,xgboost,mlp --jobs 2 --bootstrap 0
expect_err "^ecgfit: warning: 3 of 13 feature columns are constant in the training rows of vo2max/full \(scaled to 0 as \
sklearn does\): emb:6, emb:7, emb:8$" "one warning line: how many, which"
check "... once for the four models" test "$(grep -c 'constant' .err)" -eq 1
check "constant columns are not reported as identical pairs" test "$(grep -c 'identical' .err)" -eq 0
for m in lasso elasticnet xgboost mlp; do
    check "$m fitted, test r > 0.5" grep -Eq "^vo2max +full +$m +307 +77 +0\.[5-9]" .out
done

printf 'age\nsex\nbmi\nemb:0\nemb:1\nemb:2\nemb:3\nemb:4\nemb:5\nemb:9\n' >nc.txt
expect_status 0 "train without the constant columns" -C p train --target vo2max --features nc.txt \
    --model lasso,elasticnet,xgboost --jobs 2 --bootstrap 0
check "... no constant warning" test "$(grep -c 'constant' .err)" -eq 0
# flat: constant; nearflat: 0.1 and one ulp more, constant by sklearn's test (var <= n eps var + (n mean eps)^2)
awk -F, 'NR == 1 { print "eid,flat,nearflat"; next } { print $1 ",3.5," (NR % 3 ? "0.1" : "0.10000000000000002") }' \
    labels.csv >flat.csv
expect_status 0 "import constant columns" -q -C p import labels flat.csv
printf 'emb:6\nemb:7\nemb:8\nnearflat\n' >allc.txt
expect_status 0 "only constant columns: lasso still fits (the mean)" -C p train --target vo2max --features allc.txt \
    --model lasso --jobs 2 --bootstrap 0
expect_err "4 of 4 feature columns are constant .*: emb:6, emb:7, emb:8, nearflat$" "and says so, sklearn's threshold"
expect_status 1 "a constant target is an error" -C p train --target flat --features basic --model lasso
expect_err "the target flat is constant \(3.5\) in all 385 usable rows: there is nothing to predict" "naming it"

if ! "$py" -c 'import sklearn, pandas' 2>/dev/null; then
    echo "ok $((T + 1)) # SKIP python3-sklearn (with pandas) is not installed: no parity with the seed"
    T=$((T + 1))
    done_testing
    exit
fi
mkdir pred
for f in full nc; do
    for m in lasso elasticnet xgboost; do
        ecgfit -q -C p export predictions --target vo2max --features $f --model $m -o pred/${f}_$m.csv ||
            fail "export predictions $f/$m"
    done
done
ecgfit -q -C p report --format csv -o report.csv || fail "report"
"$py" "$top_srcdir/tests/parity/seed_const.py" seed emb.csv 6,7,8 pred report.csv 30038-1.0 >py.out 2>py.err
rc=$?
# the script's TAP, renumbered into this one
while read -r line; do
    case $line in
        "ok "*) pass "seed flow: ${line#ok * - }" ;;
        "not ok "*) fail "seed flow: ${line#not ok * - }" ;;
    esac
done <py.out
check "seed_const.py ran to the end (exit $rc)" test "$rc" -eq 0 -a "$(grep -c '^1\.\.' py.out)" -eq 1
[ "$rc" -eq 0 ] || sed 's/^/# /' py.err
done_testing
