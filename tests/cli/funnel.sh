#!/bin/sh
# synth + labels + export on a small synthetic cohort: the funnel and the
# exported table against golden files, RAP naming equivalent to ukbconv,
# and synth deterministic for a seed.
. "$top_srcdir/tests/cli/lib.sh"

expect_status 0 "synth writes a project" synth "$WORK/a" --n 80 --seed 3 --vo2-rate 0.5 --jobs 2
check "main CSV written" test -s "$WORK/a/ukb_main.csv"
check "project config written" test -s "$WORK/a/ecgfit.ini"
n=$(ls "$WORK/a/ecg" | grep -c '_20205_2_0\.xml$')
[ "$n" -gt 20 ] && pass "instance-2 ECG files written ($n)" || fail "only $n ECG files"

expect_status 0 "labels on the synthetic cohort" -C "$WORK/a" labels --jobs 2
printf '%s\n' "$OUT" | sed "s|$WORK|WORK|g" >"$WORK/funnel.txt"
golden funnel.txt "$WORK/funnel.txt"
expect_status 0 "export labels" -C "$WORK/a" export labels -o "$WORK/a.csv"
golden labels_export.csv "$WORK/a.csv"
head -1 "$WORK/a.csv" | grep -q '^eid,age,sex,bmi,' && pass "export header starts eid,age,sex,bmi" \
    || fail "export header: $(head -1 "$WORK/a.csv" | cut -c1-80)"
expect_status 0 "export to standard output" -C "$WORK/a" export labels -o - --format tsv
printf '%s\n' "$OUT" | head -1 | grep -q "$(printf '^eid\tage')" && pass "tsv to stdout" || fail "tsv to stdout"

# The same cohort in RAP naming gives the same table.
expect_status 0 "synth --naming rap" synth "$WORK/r" --n 80 --seed 3 --vo2-rate 0.5 --naming rap --no-ecg
head -c 200 "$WORK/r/ukb_main.csv" | grep -q '^participant.eid,participant.p31' && pass "RAP header" || fail "RAP header"
ecgfit init "$WORK/r" --main-csv "$WORK/r/ukb_main.csv" --ecg-dir "$WORK/a/ecg" --force >/dev/null
expect_status 0 "labels on RAP naming" -C "$WORK/r" labels
expect_status 0 "export RAP labels" -C "$WORK/r" export labels -o "$WORK/r.csv"
check "RAP and ukbconv exports are identical" cmp -s "$WORK/a.csv" "$WORK/r.csv"

# Deterministic: same seed, same bytes; another seed, other bytes.
ecgfit -q synth "$WORK/b" --n 80 --seed 3 --vo2-rate 0.5 --jobs 1 2>/dev/null
check "same seed: identical main CSV" cmp -s "$WORK/a/ukb_main.csv" "$WORK/b/ukb_main.csv"
check "same seed: identical ECG folder" diff -r -q "$WORK/a/ecg" "$WORK/b/ecg"
ecgfit -q synth "$WORK/c" --n 80 --seed 4 --no-ecg 2>/dev/null
check "other seed: other data" sh -c "! cmp -s '$WORK/a/ukb_main.csv' '$WORK/c/ukb_main.csv'"

# Seed layout.
expect_status 0 "export --seed-layout" -C "$WORK/a" export labels -o "$WORK/x.csv" --seed-layout "$WORK/seed"
for f in 30038-1.0.csv SYSTOLIC_BP_mean.csv DIASTOLIC_BP_mean.csv eid_age2_sex_bmi2.csv 924-2.0.csv; do
    check "seed layout has $f" test -s "$WORK/seed/$f"
done
head -1 "$WORK/seed/30038-1.0.csv" | grep -qx 'eid,30038-1.0' && pass "seed file header eid,FIELD" || fail "seed file header"

# Resume: a synth run over an existing folder keeps the files already there.
rm "$WORK/b/ukb_main.csv"
ls "$WORK/b/ecg" | head -3 | while read -r f; do rm "$WORK/b/ecg/$f"; done
ecgfit -q synth "$WORK/b" --n 80 --seed 3 --vo2-rate 0.5 2>/dev/null
check "resumed synth gives the same files" diff -r -q "$WORK/a/ecg" "$WORK/b/ecg"
done_testing
