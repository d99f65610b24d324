#!/bin/bash
# plot.sh — `ecgfit plot KIND` on a small synthetic project: each kind's
# script (with its inline data) against tests/data/expected/plot/, each kind
# rendered by the real gnuplot to PNG, SVG and PDF (file magic checked), a
# target label with quotes, backslashes and backquotes from a field
# registry, usage errors with did-you-mean, and gnuplot missing or failing
# (exit 1, gnuplot's own message, the script left beside the figure).
# The golden scripts use embeddings imported from a fixed CSV (as golden.sh),
# so their numbers do not depend on the CPU's SIMD path; the embed stage's
# own embeddings are drawn too.  Lasso only, to stay fast.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1
G=plot
[ "${GENERATE:-0}" = 1 ] && mkdir -p "$EXPECTED/$G"
have_gp=0
command -v gnuplot >/dev/null 2>&1 && have_gp=1
skip() { T=$((T + 1)); echo "ok $T # skip $*"; }

expect_status 0 "synth" -q synth p --n 150 --seed 11 --vo2-rate 0.6 --jobs 1
# the registry's label of vo2max, with every character gnuplot could expand
LABEL='VO2 "peak" it'"'"'s `echo x` \n @m'
LABEL=$LABEL awk -F'\t' -v OFS='\t' '$1 == "vo2max" { $11 = ENVIRON["LABEL"] } { print }' \
    "${ECGFIT_DATADIR:-$top_srcdir/share/ecgfit}/fields.tsv" >p/fields.tsv
sed -i 's/^fields_file =.*/fields_file = fields.tsv/' p/ecgfit.ini
expect_status 0 "labels (a registry with an odd vo2max label)" -q -C p labels --jobs 1
expect_status 0 "preprocess" -q -C p preprocess --jobs 1
ls p/ecg | sed -n 's/_20205_2_0.xml$//p' | sort -n >ecg_eids.txt
awk 'BEGIN { printf "eid"; for (k = 0; k < 16; k++) printf ",pclr_output_%d", k; print "" }
     { printf "%s", $1; for (k = 0; k < 16; k++) printf ",%.6f", sin(($1 % 9973) * (k + 1) * 0.001); print "" }' \
    ecg_eids.txt >emb.csv
expect_status 0 "import embeddings" -q -C p import embeddings emb.csv --name emb
expect_status 0 "train" -q -C p train --target vo2max,sbp --features basic,full --model lasso --jobs 1 --bootstrap 100
EID=$(sed -n 3p ecg_eids.txt)

# gp NAME ARGS...: plot with --script NAME.gp; compare the script (the ECG's
# samples counted, not listed) with the golden file.
gp() {
    local name=$1; shift
    run_cmd -C p plot "$@" -o "$name.png" --script "$name.gp"
    if [ "$have_gp" = 1 ]; then
        if [ "$RC" -eq 0 ]; then pass "plot $name (exit 0)"; else fail "plot $name: exit $RC"; diag "$ERR"; fi
    fi
    [ -f "$name.gp" ] || { fail "plot $name left no script"; diag "$ERR"; return; }
    awk '/^\$ecg << EOD$/ { print; inblk = 1; n = 0; next }
         inblk && /^EOD$/ { print "# " n " data lines"; inblk = 0 }
         inblk { n++; next } { print }' "$name.gp" >"$name.gp.txt"
    golden "$G/$name.gp" "$name.gp.txt"
}
gp scatter scatter --target vo2max --features full --model lasso
gp bland-altman bland-altman --target 30038-1.0 --features basic --model lasso --split train
gp importance importance --target sbp --features full --model lasso
gp contribution contribution --target vo2max --model lasso
gp delta-r2 delta-r2 --model lasso
gp ecg ecg --eid "$EID"
gp ecg-raw ecg --eid "$EID" --raw
gp embedding embedding --target p30038_i1

# embeddings of the C encoder (a small one) beside the imported ones
expect_status 0 "encoder new" -q encoder new --arch pclr --width-scale 0.125 --seed 1 -o enc.h5
expect_status 0 "embed" -q -C p embed --encoder enc.h5 --jobs 1
expect_status 2 "embedding with two embeddings in the store" -C p plot embedding --target vo2max -o x.png
expect_err "several embeddings \(emb, enc\): choose one with --embeddings NAME" "asks which"
run_cmd -C p plot embedding --target vo2max --embeddings enc -o enc-map.png --script enc-map.gp
if [ "$have_gp" = 1 ]; then check "the embed stage's embeddings map" test "$RC" -eq 0 -a -s enc-map.png; fi
check "their script: a PCA map of enc" grep -q "^set title 'Embeddings enc, n = [0-9]*'$" enc-map.gp

check "the label reaches the script single-quoted, quote doubled" \
    grep -qF "set title 'VO2 \"peak\" it''s \`echo x\` \\n @m' . \"\\n\"" scatter.gp
check "the script names its output quoted" grep -qxF "set output 'scatter.png'" scatter.gp
check "inline data, '.' decimals" grep -Eq '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$' scatter.gp
check "importance: feature names as quoted tic labels" grep -q "^set ytics ('" importance.gp
check "ecg: 25 mm/s and 10 mm/mV on the page" grep -q "25 mm/s    10 mm/mV" ecg.gp
check "ecg: one scale on both axes" grep -qx "set size ratio -1" ecg.gp

# ---- the real gnuplot: every kind in every format -------------------------------
magic() { # magic FILE KIND
    case $2 in
        png) [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ;;
        svg) head -c 400 "$1" | grep -q '<svg' ;;
        pdf) [ "$(head -c 5 "$1")" = "%PDF-" ] ;;
    esac
}
if [ "$have_gp" = 1 ]; then
    for f in png svg pdf; do
        bad=""
        for k in scatter bland-altman importance contribution delta-r2 ecg embedding; do
            case $k in
                scatter | bland-altman) a="--target vo2max --features full --model lasso" ;;
                importance) a="--target vo2max --features full --model lasso" ;;
                contribution) a="--target sbp --model lasso" ;;
                delta-r2) a="--model lasso" ;;
                ecg) a="--eid $EID" ;;
                embedding) a="--target sbp --embeddings emb" ;;
            esac
            # shellcheck disable=SC2086
            "$ECGFIT_BIN" -q -C p plot $k $a -o "r-$k.$f" 2>"$WORK/.e" || bad="$bad $k(exit $?: $(head -c 200 "$WORK/.e"))"
            [ -s "r-$k.$f" ] && magic "r-$k.$f" $f || bad="$bad $k(not $f)"
            [ -s "$WORK/.e" ] && bad="$bad $k(said: $(head -c 200 "$WORK/.e"))"
        done
        if [ -z "$bad" ]; then pass "every kind renders to $f"; else fail "rendering to $f:$bad"; fi
    done
    # one group only: no empty plot clause for gnuplot to warn about
    run_cmd -q -C p plot importance --target vo2max --features basic --model lasso -o imp-basic.png
    check "importance with clinical features only, silently" test "$RC" -eq 0 -a -z "$ERR"
    run_cmd -q -C p plot embedding --target age --embeddings emb -o emb-age.png
    check "an embedding map where every target is known, silently" test "$RC" -eq 0 -a -z "$ERR"
    expect_status 0 "--size 6,4 and a .PDF name" -C p plot scatter --target vo2max --features full --model lasso \
        -o big.PDF --size 6,4
    check "pdf written" magic big.PDF pdf
    expect_err "wrote big.PDF" "says what it wrote"
else
    skip "gnuplot is not installed: no rendering"
    skip "gnuplot is not installed: no rendering"
    skip "gnuplot is not installed: no rendering"
    skip "gnuplot is not installed: no rendering"
    skip "gnuplot is not installed: no rendering"
    skip "gnuplot is not installed: no rendering"
fi

# ---- gnuplot missing or failing ----------------------------------------------------
# run_path DIRS ARGS...: run_cmd with PATH=DIRS for ecgfit alone
run_path() {
    local p=$1; shift
    PATH="$p" "$ECGFIT_BIN" "$@" >"$WORK/.out" 2>"$WORK/.err"
    RC=$?
    OUT=$(cat "$WORK/.out")
    ERR=$(cat "$WORK/.err")
}
mkdir -p nogp fakegp
run_path "$WORK/nogp" -C p plot scatter --target vo2max --features full --model lasso -o miss.png
if [ "$RC" -eq 1 ]; then pass "no gnuplot on PATH: exit 1"; else fail "no gnuplot on PATH: exit $RC"; fi
expect_err "cannot run gnuplot: No such file or directory \(install gnuplot" "says gnuplot is missing and how to get it"
expect_err "The script and its data are in miss.gp: run \`gnuplot miss.gp\`" "names the script left"
check "the script is left beside the figure" test -s miss.gp
check "it is the figure's script" cmp -s <(sed 's/miss\.png/scatter.png/' miss.gp) scatter.gp
check "no figure" test ! -e miss.png
printf '#!/bin/sh\ncat >/dev/null\necho "line 42: all points y value undefined!" >&2\nexit 1\n' >fakegp/gnuplot
chmod +x fakegp/gnuplot
run_path "$WORK/fakegp:$PATH" -C p plot ecg --eid "$EID" -o fail.svg --script mine.gp
if [ "$RC" -eq 1 ]; then pass "a failing gnuplot: exit 1"; else fail "a failing gnuplot: exit $RC"; fi
expect_err "gnuplot failed \(exit status 1\)" "says gnuplot failed"
expect_err "line 42: all points y value undefined!" "with gnuplot's own message"
expect_err "are in mine.gp" "points to the --script file"
check "no FILE.gp when --script was given" test ! -e fail.gp

# ---- usage and data errors -----------------------------------------------------------
expect_status 2 "plot without a kind" -C p plot
expect_err "expected what to plot: scatter, bland-altman" "lists the kinds"
expect_status 2 "a mistyped kind" -C p plot scater
expect_err "did you mean scatter" "did you mean"
expect_status 2 "no -o" -C p plot delta-r2 --model lasso
expect_err "give -o FILE.png, FILE.svg or FILE.pdf" "asks for -o"
expect_status 2 "-o with another extension" -C p plot delta-r2 --model lasso -o x.jpg
expect_err "must end in .png, .svg or .pdf" "names the extensions"
expect_status 2 "a mistyped target" -C p plot scatter --target vo2maks --features full --model lasso -o x.png
expect_err "did you mean vo2max" "did you mean for the target"
expect_status 2 "a mistyped model" -C p plot scatter --target vo2max --features full --model laso -o x.png
expect_err "no result with model 'laso' for vo2max; did you mean lasso" "did you mean for the model"
expect_status 2 "a model not trained" -C p plot delta-r2 --model xgboost -o x.png
expect_err "the store has: lasso" "lists the models there are"
expect_status 2 "scatter without --features" -C p plot scatter --target vo2max --model lasso -o x.png
expect_err "give --target T --features F --model M" "names the options"
expect_status 2 "--size without a comma" -C p plot delta-r2 --model lasso -o x.png --size 4
expect_status 2 "--eid not a number" -C p plot ecg --eid 12ab -o x.png
expect_status 1 "an eid without an ECG" -C p plot ecg --eid 999999999 -o x.png
expect_err "no ECG for eid 999999999 in /ecg" "says so"
check "no figure after an error" test ! -e x.png
expect_status 0 "replicate a published model" -q -C p replicate --model friend
expect_status 1 "importance of a published model" -C p plot importance --target vo2max --features fixed \
    --model friend -o x.png
expect_err "vo2max/fixed/friend is a published model with fixed coefficients" "says it has none"
run_cmd -C p plot scatter --target vo2max --features fixed --model friend -o fixed.png --script fixed.gp
check "the scatter of a published model" grep -q "^set title .*'fixed/friend, test set" fixed.gp

# every option of every kind is in the man page
man="${top_builddir:-$top_srcdir}/man/ecgfit.1"
if [ -f "$man" ]; then
    missing=""
    for k in "" scatter bland-altman importance contribution delta-r2 ecg embedding; do
        # shellcheck disable=SC2086
        for opt in $("$ECGFIT_BIN" plot $k --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
            grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $k:$opt"
        done
        grep -q "^\.SS plot $(printf '%s' "$k" | sed 's/-/\\\\-/g')\$" "$man" || [ -z "$k" ] || missing="$missing $k:section"
    done
    if [ -z "$missing" ]; then pass "every plot option is in the man page"; else fail "not in the man page:$missing"; fi
else
    fail "man page $man was not built"
fi
done_testing
