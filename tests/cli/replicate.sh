#!/bin/sh
# replicate: Khurshid's fixed models and the reference equations on a
# synthetic project with imported embeddings; parity with the seed's
# replicated_*_model.py logic (tests/parity/seed_replicate.py, --scale sqrt);
# the red-flag warnings; bad input.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}

if ! "$ECGFIT_BIN" replicate --help >/dev/null 2>&1; then
    echo "1..0 # SKIP this ecgfit has no replicate command"
    exit 0
fi

P="$WORK/p"
expect_status 0 "synth" -q synth "$P" --n 120 --seed 5 --vo2-rate 0.6 --jobs 2
expect_status 0 "labels" -q -C "$P" labels --jobs 2
expect_status 0 "export the seed's label files" -q -C "$P" export labels -o "$WORK/labels.csv" --seed-layout "$WORK/seed"

# Embeddings for most participants: 320 deterministic values each.
awk -F, 'NR == 1 { printf "eid"; for (k = 0; k < 320; k++) printf ",pclr_output_%d", k; print ""; next }
         NR % 7 != 0 { printf "%s", $1; for (k = 0; k < 320; k++) printf ",%.4f", (($1 * 31 + k * 17) % 997) / 250.0; print "" }' \
    "$WORK/labels.csv" >"$WORK/emb.csv"
expect_status 0 "import embeddings" -q -C "$P" import embeddings "$WORK/emb.csv" --name PCLR

expect_status 0 "replicate basic + deep, --scale sqrt" -C "$P" replicate --model basic,deep-ecg-vo2 --scale sqrt
expect_err "C3PO-PCLR" "red flag B warning (C3PO-PCLR embeddings)"
expect_err "seed's code, not Khurshid's model" "red flag A warning for --scale sqrt"
printf '%s\n' "$OUT" | grep -q 'khurshid-deep-ecg-vo2' && pass "table lists the Deep ECG-VO2 model" \
    || fail "table: $OUT"
printf '%s\n' "$OUT" | grep -q 'no training rows' && pass "output says every row with a target is a test row" \
    || fail "test-split note missing"

if "$PY" -c 'import h5py, numpy, pandas, sklearn' >/dev/null 2>&1; then
    expect_status 0 "export embeddings for the seed's script" -q -C "$P" export embeddings --format csv -o "$WORK/emb_out.csv"
    "$PY" "$top_srcdir/tests/parity/seed_replicate.py" "$ECGFIT_DATADIR/khurshid-deep-ecg-vo2-coefficients.csv" \
        "$WORK/seed" "$WORK/emb_out.csv" "$P/ecgfit.h5" vo2max >"$WORK/parity.tap" 2>&1
    while IFS= read -r line; do
        case $line in
            "ok "*) pass "parity: ${line#ok * - }" ;;
            "not ok "*) fail "parity: ${line#not ok * - }" ;;
            *) diag "$line" ;;
        esac
    done <"$WORK/parity.tap"
    grep -q '^ok' "$WORK/parity.tap" || fail "parity script ran no checks"
else
    pass "# SKIP parity: Debian's python3 with h5py, numpy, pandas, sklearn not found"
fi

# The cohort: the seed's by default (instance-2 ECG file, age, sex, BMI),
# every participant with --all; n printed both ways.
n_all=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
                 $c["age"] != "" && $c["sex"] != "" && $c["bmi"] != "" && $c["vo2max"] != "" { n++ }
                 END { print n + 0 }' "$WORK/labels.csv")
n_seed=$(awk -F, 'NR == 1 { next } { n++ } END { print n + 0 }' "$WORK/seed/eid_age2_sex_bmi2.csv")
n_seed_t=$(awk -F, 'NR == FNR { if (FNR > 1) t[$1] = 1; next } FNR > 1 && ($1 in t) { n++ } END { print n + 0 }' \
    "$WORK/seed/30038-1.0.csv" "$WORK/seed/eid_age2_sex_bmi2.csv")
expect_status 0 "replicate basic (the seed's cohort)" -C "$P" replicate --model basic --scale sqrt
printf '%s\n' "$OUT" | grep -q "^Cohort: the seed's eid_age2_sex_bmi2.csv (an instance-2 ECG file, age, sex, BMI): $n_seed of " \
    && pass "prints the seed's cohort, n $n_seed" || { fail "seed cohort line (want n $n_seed)"; diag "$OUT"; }
printf '%s\n' "$OUT" | grep -Eq "^  khurshid-basic +$n_seed +$n_seed_t " \
    && pass "basic: predicted $n_seed, n $n_seed_t (the seed's files merged)" || { fail "basic row (want $n_seed $n_seed_t)"; diag "$OUT"; }
expect_status 0 "replicate basic --all" -C "$P" replicate --model basic --scale sqrt --all
printf '%s\n' "$OUT" | grep -q "^Cohort (--all): every participant" && pass "--all says so" || fail "--all cohort line"
printf '%s\n' "$OUT" | grep -Eq "^  khurshid-basic +[0-9]+ +$n_all " \
    && pass "--all: n $n_all, every participant with age, sex, BMI and the target" || { fail "--all n (want $n_all)"; diag "$OUT"; }
[ "$n_all" -gt "$n_seed_t" ] && pass "--all takes more participants ($n_all > $n_seed_t)" \
    || fail "the cohort has no participant without an ECG: --all is not exercised ($n_all vs $n_seed_t)"
if "$PY" -c 'import h5py' >/dev/null 2>&1; then
    n_st=$("$PY" -c 'import sys, h5py; print(int(h5py.File(sys.argv[1], "r")["metrics/vo2max/fixed/khurshid-basic/test"].attrs["n"]))' "$P/ecgfit.h5")
    [ "$n_st" = "$n_all" ] && pass "--all: stored metrics n $n_st" || fail "--all: stored n $n_st, want $n_all"
fi

# --scale sd (default) gives other numbers; no red flag A warning.
expect_status 0 "replicate basic (scale sd)" -C "$P" replicate --model basic
if printf '%s\n' "$ERR" | grep -q "seed's code"; then fail "no sqrt warning with --scale sd"; else pass "no sqrt warning with --scale sd"; fi

# The reference equations need height (50) and weight (21002).
expect_status 0 "replicate friend, wasserman, jones" -C "$P" replicate --model friend,wasserman,jones
for m in friend wasserman jones; do
    printf '%s\n' "$OUT" | grep -q "^  $m " && pass "table row $m" || fail "table row $m missing"
done
if "$PY" -c 'import h5py, numpy, pandas' >/dev/null 2>&1; then
    "$PY" - "$P/ecgfit.h5" "$WORK/labels.csv" >"$WORK/eq.txt" 2>&1 <<'EOF'
import sys
import h5py, numpy as np, pandas as pd
lab = pd.read_csv(sys.argv[2])
with h5py.File(sys.argv[1], "r") as f:
    g = f["predictions/vo2max/fixed/friend"]
    d = pd.DataFrame({"eid": g["eid"][()], "p": g["yhat"][()], "split": g["split"][()], "y": g["y"][()]})
m = d.merge(lab, on="eid")
female = m["sex"] == 0   # UKB coding 9
want = (45.2 - 0.35 * m["age"] - 10.9 * np.where(female, 2, 1) - 0.15 * (m["weight"] * 2.2)
        + 0.68 * (m["height"] * 0.393701) - 0.46 * 2)
ok_split = bool(((m["split"] == 1) == m["y"].notna()).all() and set(m["split"]) <= {1, 2})
print(len(m), float(np.max(np.abs(want - m["p"]))), ok_split)
EOF
    read -r n dmax splits <"$WORK/eq.txt"
    [ "${n:-0}" -gt 10 ] && "$PY" -c "import sys; sys.exit(0 if float('$dmax') < 1e-9 else 1)" 2>/dev/null \
        && pass "FRIEND predictions match the formula for $n participants" || { fail "FRIEND vs formula"; diag "$(cat "$WORK/eq.txt")"; }
    [ "$splits" = True ] && pass "split: test with a target, other without" || fail "splits: $splits"
else
    pass "# SKIP FRIEND formula check: no python3 h5py/pandas"
fi

# Bad input.
expect_status 2 "unknown model" -C "$P" replicate --model lasso
expect_status 2 "bad --scale" -C "$P" replicate --model basic --scale var
expect_status 2 "no --model" -C "$P" replicate
expect_status 1 "unknown target" -C "$P" replicate --model basic --target no_such_column
expect_err "no_such_column" "error names the target"
printf 'model,term,coefficient,center,scale\nbasic,(Intercept),40,,\nbasic,age,-1,50,4\nbasic,waist,1,,\n' >"$WORK/coef.csv"
expect_status 1 "coefficient file with an unknown term" -C "$P" replicate --model basic --coefficients "$WORK/coef.csv"
expect_err "coef.csv:4:.*unknown term 'waist'" "error names FILE:LINE and the term"
awk -F, 'NR == 1 { print "eid,a,b"; next } { print $1 ",1,2" }' "$WORK/labels.csv" >"$WORK/narrow.csv"
expect_status 0 "import narrow embeddings" -q -C "$P" import embeddings "$WORK/narrow.csv"
expect_status 2 "deep model needs --embeddings with two sets" -C "$P" replicate --model deep-ecg-vo2
expect_err "choose one with --embeddings" "asks to choose the embeddings"
expect_status 1 "deep model on 2-wide embeddings" -C "$P" replicate --model deep-ecg-vo2 --embeddings narrow
expect_err "have 2 values per ECG" "error names the width mismatch"
done_testing
