#!/bin/sh
# Bad input to `labels`: each case gets a clear message naming file and line,
# a documented exit status, and the rest of the cohort is still processed.
. "$top_srcdir/tests/cli/lib.sh"

mkdir -p "$WORK/ecg"
for e in 1000001 1000002 1000003; do : >"$WORK/ecg/${e}_20205_2_0.xml"; done
H='"eid","31-0.0","21001-2.0","21003-2.0","4080-2.0","4080-2.1"'
good1='"1000001","0","25.1","60","120","124"'
good2='"1000002","1","28.4","65","",""'

# project P using CSV file $WORK/P.csv
project() {
    ecgfit init "$WORK/$1" --main-csv "$WORK/$1.csv" --ecg-dir "$WORK/ecg" --force >/dev/null 2>&1
}
labels() { p=$1; shift; run_cmd -C "$WORK/$p" labels --fields sbp "$@"; }

project missing
run_cmd -C "$WORK/missing" labels
[ "$RC" -eq 1 ] && pass "missing CSV: exit 1" || fail "missing CSV: exit $RC"
expect_err "missing.csv: .*(No such file|cannot open)" "missing CSV named"

: >"$WORK/empty.csv"; project empty
labels empty
[ "$RC" -eq 1 ] && pass "empty CSV: exit 1" || fail "empty CSV: exit $RC"
expect_err "empty.csv.*empty" "empty CSV explained"

echo "$H" >"$WORK/header.csv"; project header
labels header
[ "$RC" -eq 1 ] && pass "header only: exit 1" || fail "header only: exit $RC"
expect_err "header.csv.*no usable participant rows" "header only explained"

printf '%s\n%s\n' '"id","31-0.0","21001-2.0","21003-2.0","4080-2.0","4080-2.1"' "$good1" >"$WORK/noeid.csv"; project noeid
labels noeid
[ "$RC" -eq 1 ] && pass "missing eid: exit 1" || fail "missing eid: exit $RC"
expect_err "noeid.csv:1: no participant id column" "missing eid names file and header line"

printf 'f.eid\tf.31.0.0\tf.21001.2.0\n1000001\t0\t25\n' >"$WORK/rtab.csv"; project rtab
labels rtab
[ "$RC" -eq 1 ] && pass "tab-separated main file: exit 1" || fail "tab-separated: exit $RC"
expect_err "rtab.csv:1: the header is tab-separated" "a tab-separated file is named as such"

printf '%s\n%s\n' "$H" "$good1" >"$WORK/absent.csv"; project absent
run_cmd -C "$WORK/absent" labels --fields sbp,30038-1.0
[ "$RC" -eq 1 ] && pass "requested field absent: exit 1" || fail "absent field: exit $RC"
expect_err "absent.csv:1: .*30038-1.0" "absent field named with the header line"

printf '%s\n%s\n%s\n%s\n' "$H" "$good1" '"1000003","0","22"' "$good2" >"$WORK/ragged.csv"; project ragged
labels ragged
[ "$RC" -eq 0 ] && pass "ragged row: the rest is processed (exit 0)" || fail "ragged: exit $RC"
expect_err "ragged.csv:3: .*3 cells.*6" "ragged row names line and counts"
case "$OUT" in *"rows in main CSV"*3*) pass "ragged: funnel printed" ;; *) fail "ragged: funnel"; diag "$OUT" ;; esac
check "ragged: rejects file lists the row" grep -q "ragged.csv:3:" "$WORK/ragged/labels-rejects.txt"

printf '%s\n%s\n%s\n%s\n' "$H" "$good1" '"1000003","0","22","abc","120","121"' "$good2" >"$WORK/nonnum.csv"; project nonnum
labels nonnum
[ "$RC" -eq 0 ] && pass "non-numeric cell: exit 0" || fail "non-numeric: exit $RC"
expect_err "nonnum.csv:3: column 4 '21003-2.0'.*'abc' is not a number" "non-numeric names line, column and value"
run_cmd -C "$WORK/nonnum" labels --fields sbp --strict
[ "$RC" -eq 1 ] && pass "--strict turns a rejected row into exit 1" || fail "--strict: exit $RC"

printf '%s\n%s\n%s\n%s\n' "$H" "$good1" "$good2" "$good1" >"$WORK/dup.csv"; project dup
labels dup
expect_err "dup.csv:4: duplicate eid 1000001 \(first on line 2\)" "duplicate eid names both lines"

printf '%s\n%s\n%s\n' "$H" "$good1" '"1000002","1","28.4","65","12' >"$WORK/quote.csv"; project quote
labels quote
[ "$RC" -eq 1 ] && pass "unterminated quote: exit 1" || fail "unterminated quote: exit $RC"
expect_err "quote.csv:3: .*(quote|unterminated)" "unterminated quote names the line it started on"

{ echo "$H"; echo "$good1"; printf '"1000003","0","2\0002","60","1","2"\n'; echo "$good2"; } >"$WORK/nul.csv"; project nul
labels nul
[ "$RC" -eq 0 ] && pass "embedded NUL: rest processed" || fail "NUL: exit $RC"
expect_err "nul.csv:3: .*NUL" "embedded NUL names the line"

{ echo "$H,\"99999-0.0\""; echo "$good1,\"x\""; printf '"1000002","1","28.4","65","130","131","'; head -c 1048576 /dev/zero | tr '\0' 'y'; printf '"\n'; } >"$WORK/long.csv"; project long
labels long
[ "$RC" -eq 0 ] && pass "a 1 MB line is read" || { fail "1 MB line: exit $RC"; diag "$ERR"; }
case "$OUT" in *"rows in main CSV"*2*) pass "1 MB line: both rows" ;; *) fail "1 MB line rows"; diag "$OUT" ;; esac

printf '%s\n%s\n%s' "$H" "$good1" "$good2" >"$WORK/trunc.csv"; project trunc
labels trunc
[ "$RC" -eq 0 ] && pass "last line without newline is read" || fail "truncated last line: exit $RC"

printf '%s\n%s\n' "$H" "$good1" >"$WORK/noecg.csv"
ecgfit init "$WORK/noecg" --main-csv "$WORK/noecg.csv" --ecg-dir "$WORK/nowhere" >/dev/null 2>&1
labels noecg
[ "$RC" -eq 1 ] && pass "missing ECG folder: exit 1" || fail "missing ECG folder: exit $RC"
expect_err "nowhere: ECG folder does not exist" "missing ECG folder named"
mkdir -p "$WORK/emptyecg"
ecgfit init "$WORK/noecg" --main-csv "$WORK/noecg.csv" --ecg-dir "$WORK/emptyecg" --force >/dev/null 2>&1
labels noecg
[ "$RC" -eq 1 ] && pass "ECG folder without files: exit 1" || fail "empty ECG folder: exit $RC"
expect_err "emptyecg: no ECG files named EID_20205_2_0.xml" "empty ECG folder explained"

printf '%s\n%s\n%s\n' "$H" "$good1" '"1000002","1","0x1A","65","130","131"' >"$WORK/hex.csv"; project hex
labels hex
expect_err "hex.csv:3: column 3 '21001-2.0'.*'0x1A' is not a number" "hex is not a number (pandas would not read it)"

printf '%s\n%s\n%s\n' "$H" "$good1" '"1000002","1","28.4","6
5","130","131"' >"$WORK/nl.csv"; project nl
labels nl
expect_err "nl.csv:3: .*'6.n5' is not a number" "a quoted newline is escaped in the one-line message"
check "rejects file has one line per row" test "$(wc -l <"$WORK/nl/labels-rejects.txt")" -eq 1
printf '%s\n%s\n' "$H" "$good1" >"$WORK/nl.csv"
labels nl
check "a clean rerun removes the stale rejects list" test ! -e "$WORK/nl/labels-rejects.txt"

printf '%s,"21003-2.0"\n%s,"61"\n' "$H" "$good1" >"$WORK/dupcol.csv"; project dupcol
labels dupcol
[ "$RC" -eq 1 ] && pass "duplicated header column: exit 1" || fail "duplicated header column: exit $RC"
expect_err "dupcol.csv:1: column '21003-2.0' \(for age\) appears twice.*column 7" "duplicated column named with both places"

printf '%s\n%s\n' "$H" "$good1" >"$WORK/typo.csv"; project typo
run_cmd -C "$WORK/typo" labels --fields sbpp
[ "$RC" -eq 2 ] && pass "--fields typo is a usage error" || fail "--fields typo: exit $RC"
expect_err "did you mean sbp" "--fields typo suggests the key"
run_cmd -C "$WORK/typo" labels --fields Female_count
[ "$RC" -eq 2 ] && pass "unknown --fields key: exit 2" || fail "unknown key: exit $RC"

# A failed run leaves the previous store as it was.
printf '%s\n%s\n%s\n' "$H" "$good1" "$good2" >"$WORK/keep.csv"; project keep
labels keep
sum1=$(cksum <"$WORK/keep/ecgfit.h5")
printf '%s\n%s\n%s\n' "$H" "$good1" '"1000002","1' >"$WORK/keep.csv"
labels keep
[ "$RC" -eq 1 ] && [ "$sum1" = "$(cksum <"$WORK/keep/ecgfit.h5")" ] && pass "a failed run leaves the store intact" \
    || fail "store changed by a failed run (exit $RC)"
check "no temporary store files left behind" test -z "$(ls "$WORK/keep" | grep -v -e '^ecgfit\.h5$' -e '^ecgfit\.ini$' -e rejects)"
done_testing
