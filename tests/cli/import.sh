#!/bin/sh
# import embeddings|labels: round trips through export, ml4h's TSV, and
# errors naming FILE:LINE.
. "$top_srcdir/tests/cli/lib.sh"

if ! "$ECGFIT_BIN" import --help >/dev/null 2>&1; then
    echo "1..0 # SKIP this ecgfit has no import command"
    exit 0
fi

P="$WORK/p"
expect_status 0 "synth" -q synth "$P" --n 60 --seed 9 --no-ecg
expect_status 1 "import labels before labels: no /participants" -C "$P" import labels "$WORK/none.csv"
printf 'eid,x\n1,2\n' >"$WORK/one.csv"
expect_status 1 "import labels needs /participants" -C "$P" import labels "$WORK/one.csv"
expect_err "run .ecgfit labels. first" "says to run labels first"
expect_status 0 "labels" -q -C "$P" labels
expect_status 0 "export labels" -q -C "$P" export labels -o "$WORK/labels.csv"

# Embeddings, sorted by eid, values exact in binary: export gives the same bytes.
awk -F, 'NR == 1 { printf "eid"; for (k = 0; k < 8; k++) printf ",pclr_output_%d", k; print ""; next }
         NR <= 41 { printf "%s", $1; for (k = 0; k < 8; k++) printf ",%.9g", (($1 + k * 13) % 64) / 8.0 - 3; print "" }' \
    "$WORK/labels.csv" >"$WORK/body.csv"
{ head -1 "$WORK/body.csv"; tail -n +2 "$WORK/body.csv" | sort -t, -k1,1n; } >"$WORK/emb.csv"
expect_status 0 "import the seed's CSV" -C "$P" import embeddings "$WORK/emb.csv"
printf '%s\n' "$OUT" | grep -q 'Imported 40 embeddings (8 values each, csv).*/embeddings/emb' \
    && pass "summary: 40 x 8, named after the file" || fail "summary: $OUT"
expect_status 0 "export embeddings" -q -C "$P" export embeddings --format csv -o "$WORK/out.csv"
check "round trip: export writes the imported CSV byte for byte" cmp -s "$WORK/emb.csv" "$WORK/out.csv"

# ml4h's TSV, rows in any order: stored sorted by eid, same numbers.
{ printf 'sample_id'; for k in 0 1 2 3 4 5 6 7; do printf '\tlatent_%d' "$k"; done; echo;
  tail -n +2 "$WORK/emb.csv" | sort -t, -k2,2 | tr ',' '\t'; } >"$WORK/ml4h.tsv"
expect_status 0 "import ml4h TSV" -C "$P" import embeddings "$WORK/ml4h.tsv" --name ml4h
expect_status 0 "export it as TSV" -q -C "$P" export embeddings --name ml4h --format tsv -o "$WORK/out.tsv"
{ head -1 "$WORK/ml4h.tsv"; tail -n +2 "$WORK/emb.csv" | tr ',' '\t'; } >"$WORK/want.tsv"
check "TSV round trip, rows sorted by eid" cmp -s "$WORK/want.tsv" "$WORK/out.tsv"
expect_status 0 "re-import under the same name replaces" -C "$P" import embeddings "$WORK/emb.csv" --name ml4h
printf '%s\n' "$OUT" | grep -q 'replacing' && pass "says it replaced" || fail "no replace note: $OUT"

# Embedding errors, each with FILE:LINE.
cp "$WORK/emb.csv" "$WORK/bad.csv"
sed -i '3s/,[^,]*$/,0.5x/' "$WORK/bad.csv"
expect_status 1 "bad number" -C "$P" import embeddings "$WORK/bad.csv"
expect_err "bad.csv:3:.*pclr_output_7 '0.5x' is not a finite number" "bad number: FILE:LINE and column"
cp "$WORK/emb.csv" "$WORK/ragged.csv"
sed -i '4s/,[^,]*$//' "$WORK/ragged.csv"
expect_status 1 "ragged row" -C "$P" import embeddings "$WORK/ragged.csv"
expect_err "ragged.csv:4:.*8 fields, the header has 9" "ragged row: FILE:LINE"
{ cat "$WORK/emb.csv"; sed -n 2p "$WORK/emb.csv"; } >"$WORK/dup.csv"
expect_status 1 "duplicate eid" -C "$P" import embeddings "$WORK/dup.csv"
expect_err "dup.csv:42:.*duplicate eid .*first on line 2" "duplicate eid: both lines"
printf 'id,pclr_output_0\n1,2\n' >"$WORK/hdr.csv"
expect_status 1 "first column not eid" -C "$P" import embeddings "$WORK/hdr.csv"
expect_err "hdr.csv:1:" "header error names line 1"
: >"$WORK/empty.csv"
expect_status 1 "empty file" -C "$P" import embeddings "$WORK/empty.csv"
expect_status 1 "missing file" -C "$P" import embeddings "$WORK/nope.csv"
expect_status 2 "bad --name" -C "$P" import embeddings "$WORK/emb.csv" --name 'a/b'
expect_status 2 "unknown kind" -C "$P" import models "$WORK/emb.csv"
expect_status 2 "no file" -C "$P" import embeddings

# Labels: the seed's eid,<value> file; unknown eids counted, NA missing.
e1=$(sed -n 2p "$WORK/labels.csv" | cut -d, -f1)
e2=$(sed -n 3p "$WORK/labels.csv" | cut -d, -f1)
printf 'eid,30038-1.0,grip\n%s,41.5,30\n%s,NA,\n999999999,12,1\n' "$e1" "$e2" >"$WORK/lab.csv"
expect_status 0 "import labels" -C "$P" import labels "$WORK/lab.csv"
printf '%s\n' "$OUT" | grep -q '3 rows: 2 matched a participant, 1 unmatched' && pass "matched / unmatched counts" \
    || fail "counts: $OUT"
expect_err "1 eid of .* not in /participants" "warns about unmatched eids"
expect_status 0 "export labels with the imported columns" -q -C "$P" export labels -o "$WORK/l2.csv"
col=$(head -1 "$WORK/l2.csv" | tr ',' '\n' | grep -nx '30038-1.0' | cut -d: -f1)
[ -n "$col" ] && pass "column 30038-1.0 exported" || fail "no 30038-1.0 column: $(head -1 "$WORK/l2.csv")"
v1=$(grep "^$e1," "$WORK/l2.csv" | cut -d, -f"${col:-1}")
v2=$(grep "^$e2," "$WORK/l2.csv" | cut -d, -f"${col:-1}")
[ "$v1" = 41.5 ] && [ -z "$v2" ] && pass "values land on the right participants (NA is missing)" \
    || fail "values: '$v1' '$v2'"
n=$(tail -n +2 "$WORK/l2.csv" | wc -l)
[ "$n" -eq "$(tail -n +2 "$WORK/labels.csv" | wc -l)" ] && pass "no participant added" || fail "rows now $n"
printf 'eid,v\n%s,1\n%s,x\n' "$e1" "$e2" >"$WORK/badlab.csv"
expect_status 1 "bad label value" -C "$P" import labels "$WORK/badlab.csv"
expect_err "badlab.csv:3:.*v 'x' is not a number" "label error names FILE:LINE"
printf 'eid,v\n%s,1\n%s,2\n' "$e1" "$e1" >"$WORK/duplab.csv"
expect_status 1 "duplicate label eid" -C "$P" import labels "$WORK/duplab.csv"
expect_err "duplab.csv:3:.*duplicate eid" "duplicate label eid names line 3"
done_testing
