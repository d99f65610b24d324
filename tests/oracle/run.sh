#!/bin/bash
# run.sh — ecgfit's Keras inference against an independent implementation of
# the Keras semantics: tfjs-layers builds each network from the .h5
# model_config and h5wasm reads the weights (keras_oracle.mjs); nn_apply runs
# the same file through ef_nn_load_keras + ef_nn_run.  TAP output.
#
#  - the PCLR architecture written by `ecgfit encoder new` (or ef_nn_write_pclr
#    through nn_apply while the command does not exist): synthetic ECGs from
#    `ecgfit synth/preprocess/export ecg` and the real example ECG
#    (../shared/reference/ukb-ecg-example.xml), embeddings and an inner layer;
#  - the writer's other string storages and a 2500-step, quarter-width variant;
#  - models written by h5wasm, not by ecgfit (tfjs-built, seeded weights);
#  - the real Keras fixtures of ../shared/fixtures/keras against their references.
# Agreement: max|ecgfit - reference| / max|reference| <= 1e-4 (PCLR, tfjs refs)
# or 1e-5 (the fixtures).  Run by `make check-oracle`.
set -u
: "${top_srcdir:?run through make check-oracle}"
: "${top_builddir:?run through make check-oracle}"
ECGFIT=${ECGFIT_BIN:-$top_builddir/ecgfit}
NNAPPLY=$top_builddir/tests/oracle/nn_apply
SRC=$top_srcdir/tests/oracle
JS=$top_builddir/tests/oracle/js          # node_modules: build tree, not source tree
SHARED=$top_srcdir/../shared
TOL=1e-4
FIXTOL=1e-5
export LC_ALL=C TERM=dumb
unset ECGFIT_PROJECT

T=0
FAILED=0
pass() { T=$((T + 1)); echo "ok $T - $*"; }
fail() { T=$((T + 1)); FAILED=$((FAILED + 1)); echo "not ok $T - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
skip_all() {
    if [ "${ECGFIT_ORACLE_REQUIRED:-0}" = 1 ]; then
        echo "1..1"; echo "not ok 1 - oracle unavailable: $*"; exit 1
    fi
    echo "1..0 # SKIP $*"; exit 0
}

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip_all "node or npm not found"
[ -x "$NNAPPLY" ] || skip_all "$NNAPPLY not built (make check-oracle builds it)"
mkdir -p "$JS" || skip_all "cannot create $JS"
for f in package.json package-lock.json keras_oracle.mjs; do
    cmp -s "$SRC/$f" "$JS/$f" || cp "$SRC/$f" "$JS/$f"
done
if ! cmp -s "$JS/package-lock.json" "$JS/node_modules/.ecgfit-lock" 2>/dev/null; then
    (cd "$JS" && npm ci --no-audit --no-fund --loglevel=error) >"$JS/npm.log" 2>&1 ||
        skip_all "npm ci failed (offline, no cache?); see $JS/npm.log"
    cp "$JS/package-lock.json" "$JS/node_modules/.ecgfit-lock"
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/ecgfit-oracle-XXXXXX")
trap 'rm -rf "$W"' EXIT
# tfjs prints a banner on stderr: keep stderr in a file, show it on failure.
oracle() { node "$JS/keras_oracle.mjs" "$@" 2>"$W/node.err"; }
oracle randn "$W/smoke.f32" 4 1 && oracle compare "$W/smoke.f32" "$W/smoke.f32" 0 >/dev/null ||
    { diag "$(tail -5 "$W/node.err")"; skip_all "the oracle does not start (node $(node --version))"; }
cd "$W" || exit 1
echo "# node $(node --version), tfjs $(node -p "require('$JS/node_modules/@tensorflow/tfjs/package.json').version"), h5wasm $(node -p "require('$JS/node_modules/h5wasm/package.json').version")"

# compare DESCRIPTION GOT REF TOL
compare() {
    local what=$1 out
    if out=$(oracle compare "$2" "$3" "$4"); then pass "$what: $out"; else
        fail "$what: ${out:-no output} (tolerance $4)"; diag "$(tail -5 "$W/node.err")"; fi
}
# apply DESCRIPTION ARGS...: nn_apply, failure reported
apply() {
    local what=$1 out; shift
    if out=$("$NNAPPLY" "$@" 2>"$W/apply.err"); then diag "nn_apply $what: $out"; return 0; fi
    fail "nn_apply $what"; diag "$(tail -5 "$W/apply.err")"; return 1
}
# predict DESCRIPTION ARGS...: the oracle's predictions
predict() {
    local what=$1 out; shift
    if out=$(oracle predict "$@"); then diag "tfjs $what: $out"; return 0; fi
    fail "tfjs $what"; diag "$(tail -5 "$W/node.err")"; return 1
}

# ---- 1. the PCLR architecture written by ecgfit ----
if "$ECGFIT" encoder new --help >/dev/null 2>&1; then
    how="ecgfit encoder new"
    "$ECGFIT" -q encoder new --arch pclr --seed 7 -o pclr.h5 >"$W/enc.out" 2>&1
else
    how="nn_apply --write-pclr (no encoder command yet)"
    "$NNAPPLY" --write-pclr pclr.h5 --seed 7 >"$W/enc.out" 2>&1
fi
if [ -s pclr.h5 ]; then pass "PCLR model written ($how)"; else
    fail "PCLR model written ($how)"; diag "$(cat "$W/enc.out")"; fi
if [ "$how" = "ecgfit encoder new" ]; then
    "$NNAPPLY" --write-pclr direct.h5 --seed 7 >/dev/null 2>&1
    if cmp -s pclr.h5 direct.h5; then pass "encoder new writes exactly ef_nn_write_pclr's file (seed 7)"; else
        fail "encoder new and ef_nn_write_pclr (seed 7) differ"; fi
fi
info=$("$NNAPPLY" --info pclr.h5 2>&1)
if [ "$info" = "4096 12 320 6394912" ]; then pass "ecgfit loads it: 4096x12 -> 320, 6,394,912 parameters"; else
    fail "ecgfit loads it: got '$info'"; fi

# synthetic ECGs through ecgfit's own ECG stage
"$ECGFIT" -q synth coh --n 10 --seed 3 >/dev/null 2>&1 &&
    "$ECGFIT" -q -C coh preprocess --jobs 2 >/dev/null 2>&1 &&
    "$ECGFIT" -q -C coh export ecg --format npy -o npy >/dev/null 2>&1
nsyn=$(ls npy/*.npy 2>/dev/null | wc -l)
if [ "$nsyn" -ge 4 ]; then pass "$nsyn synthetic ECGs (synth, preprocess, export ecg --format npy)"; else
    fail "synthetic ECGs: $nsyn"; fi
# ... and the real example ECG through `ecgfit preprocess`
EX=$SHARED/reference/ukb-ecg-example.xml
have_ex=0
if [ -f "$EX" ] && [ "$nsyn" -ge 1 ]; then
    mkdir -p ex/ecg && cp "$EX" ex/ecg/1000001_20205_2_0.xml
    if "$ECGFIT" -q init ex --main-csv coh/ukb_main.csv --ecg-dir ex/ecg >/dev/null 2>&1 &&
        "$ECGFIT" -q -C ex preprocess >/dev/null 2>&1 &&
        "$ECGFIT" -q -C ex export ecg --format npy -o exnpy >/dev/null 2>&1 && [ -f exnpy/1000001.npy ]; then
        have_ex=1; pass "real example ECG preprocessed"
    else fail "real example ECG preprocessed"; fi
else
    diag "../shared/reference/ukb-ecg-example.xml absent: real-ECG case skipped"
fi

if [ "$nsyn" -ge 1 ]; then
    oracle npy2f32 syn.f32 npy/*.npy
    if predict "PCLR, synthetic" pclr.h5 syn.f32 syn.ref.f32 &&
        apply "PCLR, synthetic" pclr.h5 syn.got.f32 npy/*.npy; then
        compare "PCLR embeddings of $nsyn synthetic ECGs: ecgfit vs tfjs" syn.got.f32 syn.ref.f32 $TOL
    fi
    # an inner layer through ef_nn_run_to: the end of unit 2, before pooling
    oracle npy2f32 syn2.f32 $(ls npy/*.npy | head -2)
    if predict "PCLR activation_4" pclr.h5 syn2.f32 act4.ref.f32 activation_4 &&
        apply "PCLR activation_4" --layer activation_4 pclr.h5 act4.got.f32 syn2.f32; then
        compare "PCLR activation_4 (256x196) of 2 ECGs: ecgfit vs tfjs" act4.got.f32 act4.ref.f32 $TOL
    fi
    # one thread, batch 1 == two threads, batch 8 (no dependence on batching)
    if apply "PCLR, batch 1, 1 thread" --batch 1 --threads 1 pclr.h5 syn.b1.f32 syn.f32; then
        compare "PCLR embeddings at batch 1 / 1 thread vs tfjs" syn.b1.f32 syn.ref.f32 $TOL
    fi
fi
if [ $have_ex = 1 ]; then
    oracle npy2f32 ex.f32 exnpy/1000001.npy
    if predict "PCLR, example ECG" pclr.h5 ex.f32 ex.ref.f32 &&
        apply "PCLR, example ECG" pclr.h5 ex.got.f32 exnpy/1000001.npy; then
        compare "PCLR embedding of the real example ECG: ecgfit vs tfjs" ex.got.f32 ex.ref.f32 $TOL
    fi
fi

# ---- 2. the writer's other string storages; a 2500-step, quarter-width variant ----
oracle randn small.f32 $((3 * 2500 * 12)) 5
for s in default utf8 fixed; do
    if ! "$NNAPPLY" --write-pclr small-$s.h5 --width 0.25 --steps 2500 --seed 9 --strings $s >/dev/null 2>"$W/apply.err"; then
        fail "write PCLR width 0.25, 2500 steps, $s strings"; diag "$(tail -3 "$W/apply.err")"
    elif predict "PCLR/4 2500 steps, $s strings" small-$s.h5 small.f32 small-$s.ref.f32 &&
        apply "PCLR/4 2500 steps, $s strings" small-$s.h5 small-$s.got.f32 small.f32; then
        compare "PCLR width 0.25, 2500 steps, $s strings: ecgfit vs tfjs" small-$s.got.f32 small-$s.ref.f32 $TOL
    fi
done
if cmp -s small-default.ref.f32 small-fixed.ref.f32 && cmp -s small-default.ref.f32 small-utf8.ref.f32; then
    pass "string storage does not change the model (tfjs outputs identical)"
else fail "string storage changes the model"; fi

# ---- 3. models written by h5wasm (tfjs-built, seeded), not by ecgfit ----
for kind in pclr wide; do
    if out=$(oracle mini $kind mini-$kind.h5 mini-$kind.in.f32 mini-$kind.ref.f32 11); then
        diag "h5wasm model: $out"
        if apply "h5wasm $kind model" mini-$kind.h5 mini-$kind.got.f32 mini-$kind.in.f32; then
            compare "model written by h5wasm ($kind layers): ecgfit vs tfjs" mini-$kind.got.f32 mini-$kind.ref.f32 $TOL
        fi
    else fail "tfjs/h5wasm builds the $kind model"; diag "$(tail -5 "$W/node.err")"; fi
done

# ---- 4. the real Keras fixtures (references: tfjs for the three models, Keras for dl4j) ----
FX=$SHARED/fixtures/keras
if [ -d "$FX" ]; then
    for m in tf2.8-functional-resnet1d.h5 tf2.3-inceptiontime-conv1d.hdf5 keras3.13-functional-conv1d.h5; do
        base=${m%.*}
        [ -f "$FX/$m" ] || { fail "fixture $m missing"; continue; }
        mkdir -p "fx-$base" && oracle unpack "$FX/$base.ref.h5" "fx-$base" >/dev/null
        for ref in fx-$base/output_*.f32; do
            layer=${ref#fx-$base/output_}; layer=${layer%.f32}
            if apply "$m $layer" --layer "$layer" "$FX/$m" "$ref.got" "fx-$base/input.f32"; then
                compare "fixture $m, layer $layer: ecgfit vs reference" "$ref.got" "$ref" $FIXTOL
            fi
        done
    done
    n=0; bad=0; worst=""
    for m in "$FX"/dl4j-conv1d/*_model.h5; do
        [ -f "$m" ] || continue
        b=$(basename "$m" _model.h5); mkdir -p "dl4j-$b"
        n=$((n + 1))
        if oracle unpack "${m%_model.h5}_inputs_and_outputs.h5" "dl4j-$b" >/dev/null &&
            "$NNAPPLY" "$m" "dl4j-$b/got.f32" "dl4j-$b/inputs_conv0_input.f32" >/dev/null 2>"$W/apply.err" &&
            out=$(oracle compare "dl4j-$b/got.f32" "dl4j-$b/predictions_conv0.f32" $FIXTOL); then
            r=${out#* rel }; worst="$worst ${b%_cl_same}:${r%% *}"
        else
            bad=$((bad + 1)); diag "$b: ${out:-} $(tail -2 "$W/apply.err")"
        fi
        out=""
    done
    if [ $n -gt 0 ] && [ $bad = 0 ]; then pass "$n dl4j Conv1D 'same' models vs Keras's own predictions (<= $FIXTOL)"; else
        fail "dl4j Conv1D models: $bad of $n disagree"; fi
    diag "dl4j rel. errors:$worst"
else
    diag "../shared/fixtures/keras absent: fixture cases skipped"
fi

echo "1..$T"
[ $FAILED = 0 ]
