#!/bin/bash
# table1.sh — `table1` and `summary` on a synthetic project: every number
# against an independent pandas + scipy computation (tests/parity/table1_ref.py;
# skipped without python3-pandas / python3-scipy), also on a cut-down extract
# lacking some fields; the LaTeX compiled when pdflatex is there; -o; bad input.
. "$top_srcdir/tests/cli/lib.sh"
py=${PYTHON3:-/usr/bin/python3}
P="$WORK/p"
if ! ecgfit -q synth "$P" --n 3000 --seed 7 --vo2-rate 0.3 --no-ecg 2>"$WORK/synth.err"; then
    echo "not ok 1 - synth failed"; sed 's/^/# /' "$WORK/synth.err"; echo "1..1"; exit 1
fi
# ECG files (empty: only their names matter to labels) for 9 in 10 participants
mkdir -p "$P/ecg/07"
tail -n +2 "$P/ukb_main.csv" | cut -d, -f1 | tr -d '"' | awk 'NR % 10 != 0' |
    while read -r e; do : >"$P/ecg/07/${e}_20205_2_0.xml"; done
# columns of no registry field: rare (auto-detected categorical, a Fisher
# 2x2 against sex), arm (three groups), both with missing values
tail -n +2 "$P/ukb_main.csv" | cut -d, -f1 | tr -d '"' |
    awk 'BEGIN { print "eid,rare,arm" }
         { r = (NR % 401 == 1) ? 1 : 0; if (NR % 53 == 0) r = ""; a = NR % 3; if (NR % 71 == 0) a = "";
           print $1 "," r "," a }' >"$WORK/extra.csv"
ecgfit init "$P" --main-csv "$P/ukb_main.csv" --ecg-dir "$P/ecg" --force >/dev/null &&
ecgfit -q -C "$P" labels >/dev/null 2>"$WORK/l.err" &&
ecgfit -q -C "$P" import labels "$WORK/extra.csv" >/dev/null 2>>"$WORK/l.err" &&
ecgfit -q -C "$P" export labels -o "$WORK/participants.csv" 2>>"$WORK/l.err" ||
    { echo "not ok 1 - labels/import/export failed"; sed 's/^/# /' "$WORK/l.err"; echo "1..1"; exit 1; }

# ---- numbers against pandas + scipy ------------------------------------------
CODINGS="sex=9,smoking=90,ethnicity=1001,walking_pace=100313,walk_unaided=100267,tiredness=100484"
parity() { # parity NAME REF-ARGS -- ECGFIT-ARGS
    local name=$1; shift
    local ref=()
    while [ "$1" != -- ]; do ref+=("$1"); shift; done; shift
    if ! ecgfit -C "$P" table1 --format csv --full-digits -o "$WORK/$name.csv" "$@" 2>"$WORK/$name.err"; then
        fail "$name: table1 failed"; sed 's/^/# /' "$WORK/$name.err"; return
    fi
    if [ "$HAVE_PY" = 0 ]; then pass "$name: # SKIP python3-pandas/python3-scipy absent"; return; fi
    if "$py" "$top_srcdir/tests/parity/table1_ref.py" "$WORK/participants.csv" "$WORK/$name.csv" \
            "$ECGFIT_DATADIR/codings.tsv" --codings-of "$CODINGS" "${ref[@]}" >"$WORK/$name.tap" 2>&1; then
        pass "$name: $(grep -c '^ok' "$WORK/$name.tap") values equal pandas/scipy's"
    else
        fail "$name: differs from pandas/scipy"; grep -v '^ok' "$WORK/$name.tap" | head -40 | sed 's/^/# /'
    fi
}
HAVE_PY=1
"$py" -c 'import pandas, scipy' 2>/dev/null || HAVE_PY=0

V1=age,bmi,height,crp,triglycerides,smoking,ethnicity,walking_pace,sbp,rare
parity sex-welch --vars $V1 --categorical smoking,ethnicity,walking_pace,rare --nonnormal crp,triglycerides \
    --groupby sex -- --vars $V1 --nonnormal crp,triglycerides --groupby sex --pval --smd --htest-name --test-stat \
    --missing-by-group
parity sex-pooled-nonull --vars $V1 --categorical smoking,ethnicity,walking_pace,rare --nonnormal crp \
    --groupby sex --no-include-null --equal-var -- \
    --vars "$V1,21001-2.0" --nonnormal crp --groupby p31 --pval --smd --htest-name --test-stat --no-include-null --equal-var
V2=age,bmi,crp,sex,smoking,walk_unaided,tiredness
parity arm-anova --vars $V2 --categorical sex,smoking,walk_unaided,tiredness --nonnormal crp --groupby arm -- \
    --vars $V2 --nonnormal crp --groupby arm --pval --smd --htest-name --test-stat --missing-by-group
parity pace-all --vars age,vo2max,sex,smoking --categorical sex,smoking --groupby walking_pace --all -- \
    --vars age,vo2max,sex,smoking --groupby walking_pace --pval --smd --htest-name --test-stat --all
parity ungrouped --vars age,grip_left,fev1,sex,tiredness --categorical sex,tiredness --nonnormal fev1 -- \
    --vars age,grip_left,fev1,sex,tiredness --nonnormal fev1

# ---- a cut-down extract: no CRP, no impedance BMI, no smoking -----------------
C="$WORK/cut"
mkdir -p "$C"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); split(h, f, "-");
                   keep[i] = (f[1] != "30710" && f[1] != "23104" && f[1] != "20116") } }
         { line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line (line == "" ? "" : ",") $i; print line }' \
    "$P/ukb_main.csv" >"$C/main.csv"
ecgfit init "$C" --main-csv "$C/main.csv" --ecg-dir "$P/ecg" --force >/dev/null &&
    ecgfit -q -C "$C" labels >/dev/null 2>"$WORK/cut.err" &&
    ecgfit -q -C "$C" export labels -o "$WORK/cut.csv" 2>>"$WORK/cut.err" ||
    { fail "cut-down extract: labels failed"; sed 's/^/# /' "$WORK/cut.err"; }
run_cmd -C "$C" table1 --vars age,crp,bmi_impedance,smoking,sex --groupby sex --pval
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "Not in this extract, left out: crp (30710), bmi_impedance (23104), smoking (20116)"; then
    pass "absent registry variables are left out with a note"
else fail "absent registry variables: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd -C "$C" table1 --preset seed --pval --smd
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "left out: .*crp (30710)" &&
        printf '%s\n' "$OUT" | grep -q "grouped by VO2max at instance 1"; then
    pass "--preset seed on the cut-down extract"
else fail "--preset seed on the cut-down extract: exit $RC"; diag "$OUT" "$ERR"; fi
if ecgfit -C "$C" table1 --format csv --full-digits -o "$WORK/cut-t1.csv" --vars age,bmi,sex,ethnicity --groupby sex \
        --pval --smd 2>"$WORK/cut-t1.err" && [ "$HAVE_PY" = 1 ]; then
    if "$py" "$top_srcdir/tests/parity/table1_ref.py" "$WORK/cut.csv" "$WORK/cut-t1.csv" "$ECGFIT_DATADIR/codings.tsv" \
            --codings-of "$CODINGS" --vars age,bmi,sex,ethnicity --categorical sex,ethnicity --groupby sex \
            >"$WORK/cut.tap" 2>&1; then pass "cut-down extract: values equal pandas/scipy's"
    else fail "cut-down extract differs"; grep -v '^ok' "$WORK/cut.tap" | head -20 | sed 's/^/# /'; fi
else pass "cut-down extract parity # SKIP python3-pandas/python3-scipy absent"; fi

# ---- presets, summary, formats ----------------------------------------------------
run_cmd -C "$P" table1 --preset seed --pval --smd --htest-name
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "SMD (No VO2max,VO2max)" &&
        printf '%s\n' "$OUT" | grep -q "Current smoker" && printf '%s\n' "$OUT" | grep -q "Ethnic background, n (%) *White"; then
    pass "--preset seed: grouped by VO2max, smoking and ethnicity grouped as the seed"
else fail "--preset seed: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd -C "$P" summary --groupby sex
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "^Fitness metrics, grouped by Sex" &&
        printf '%s\n' "$OUT" | grep -q "Usual walking pace, n (%)" && printf '%s\n' "$OUT" | grep -q "VO2max per kg"; then
    pass "summary: every registry target, categorical ones as n (%)"
else fail "summary: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd -C "$P" table1 --vars age,sex --groupby sex --format latex --caption 'Cohort & 50% (test_1)' --label tab:cohort \
    -o "$WORK/t1.tex"
if [ "$RC" = 0 ] && grep -q '\\caption{Cohort \\& 50\\% (test\\_1)}' "$WORK/t1.tex" && grep -q '\\label{tab:cohort}' "$WORK/t1.tex" &&
        printf '%s\n' "$ERR" | grep -q "wrote the LaTeX table .* to $WORK/t1.tex"; then
    pass "-o writes the LaTeX file (caption escaped, label) and says so"
else fail "-o latex: exit $RC"; diag "$ERR"; cat "$WORK/t1.tex" | sed 's/^/# /'; fi
ecgfit -C "$P" table1 --preset seed --pval --smd --htest-name --test-stat --ci --format latex -o "$WORK/seed.tex" 2>/dev/null
if command -v pdflatex >/dev/null 2>&1; then
    printf '%s\n' '\documentclass{article}' '\usepackage{booktabs}' '\usepackage[T1]{fontenc}' \
        '\usepackage[landscape,margin=1cm]{geometry}' '\begin{document}' '\tiny' '\input{seed.tex}' '\input{t1.tex}' \
        '\end{document}' >"$WORK/doc.tex"
    if (cd "$WORK" && pdflatex -interaction=nonstopmode -halt-on-error doc.tex >pdflatex.log 2>&1); then
        pass "the LaTeX compiles with pdflatex"
    else fail "pdflatex failed"; tail -20 "$WORK/pdflatex.log" | sed 's/^/# /'; fi
else
    pass "LaTeX compile # SKIP pdflatex is not installed"
fi
run_cmd -C "$P" table1 --vars age,sex --groupby sex --format html
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q '<th style="text-align:right">Female</th>'; then pass "html"; else
    fail "html: exit $RC"; diag "$OUT"; fi
COLUMNS=60 run_cmd -C "$P" table1 --vars age,smoking --groupby sex --pval --smd --htest-name
w=$(printf '%s\n' "$OUT" | grep -v '^Rows\|^P-values\|^ ' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q -- "--wide"; then pass "text fits COLUMNS=60, names what it left out"
else fail "COLUMNS=60: exit $RC, widest $w"; diag "$OUT"; fi
run_cmd -C "$P" table1 --vars age,smoking --order smoking=Current/0,sex=Male --groupby sex
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep "Smoking" | grep -q "Current" &&
        printf '%s\n' "$OUT" | grep -A1 "Smoking" | tail -1 | grep -q "Never" &&
        printf '%s\n' "$OUT" | grep -q "Male  *Female"; then
    pass "--order puts levels (by label or code) and group columns first"
else fail "--order: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd -C "$P" table1 --vars smoking --limit 2
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "Previous" && ! printf '%s\n' "$OUT" | grep -q "Current"; then
    pass "--limit 2 keeps the two most frequent levels"
else fail "--limit: exit $RC"; diag "$OUT" "$ERR"; fi

# ---- bad input ---------------------------------------------------------------------
expect_status 2 "unknown variable" -C "$P" table1 --vars age,agee
expect_err "unknown variable 'agee'; did you mean age\?" "unknown variable: did you mean"
expect_status 2 "--pval without --groupby" -C "$P" table1 --vars age --pval
expect_err "give --groupby" "--pval needs a group"
ecgfit -q -C "$P" import labels <(tail -n +2 "$P/ukb_main.csv" | cut -d, -f1 | tr -d '"' |
    awk 'BEGIN { print "eid,one" } { print $1 ",1" }') >/dev/null 2>&1
expect_status 1 "groupby with one level" -C "$P" table1 --vars age --groupby one
expect_err "one: 1 level in these rows; a grouped table needs two or more" "one level: says so"
expect_status 1 "groupby a continuous variable" -C "$P" table1 --vars sex --groupby age
expect_err "age is continuous" "continuous group: says so"
expect_status 2 "--order with an unknown level" -C "$P" table1 --vars smoking --order smoking=Sometimes
expect_err "'Sometimes' is no level" "unknown level named"
expect_status 2 "--nonnormal of a variable not in the table" -C "$P" table1 --vars age --nonnormal bmi
expect_status 2 "--label with LaTeX specials" -C "$P" table1 --vars age --format latex --label 'a}b'
expect_status 1 "no store" -C "$WORK/none" table1
echo "1..$T"
[ "$FAILED" = 0 ]
