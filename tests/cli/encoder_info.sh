#!/bin/sh
# encoder_info.sh — `ecgfit encoder info FILE` on a PCLR-config model written
# here with h5py (tests/unit/keras_h5_make.py), on the real Keras fixtures in
# ../shared, on broken files; and `encoder new` argument handling.  TAP.
. "$top_srcdir/tests/cli/lib.sh"

py=${PYTHON3:-/usr/bin/python3}
make_h5="$top_srcdir/tests/unit/keras_h5_make.py"
shared=${ECGFIT_SHARED:-$top_srcdir/../shared}
[ -d "$shared" ] || shared=

run_cmd encoder --help
if [ "$RC" -ne 0 ]; then
    echo "1..0 # SKIP the encoder command is not in this build's command table"
    exit 0
fi

# expect_out PATTERN DESCRIPTION: stdout of the last run_cmd matches (grep -E).
expect_out() {
    if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then pass "$2"; else
        fail "$2: stdout lacks /$1/"; diag "stdout: $OUT"; fi
}

# ---- usage errors
expect_status 2 "encoder without a subcommand" encoder
expect_status 2 "encoder info without a file" encoder info
expect_status 2 "unknown encoder subcommand" encoder frobnicate x.h5
expect_err "unknown subcommand 'frobnicate'" "names the unknown subcommand"
expect_status 2 "encoder new without --arch" encoder new -o "$WORK/x.h5"
expect_status 2 "encoder new with an unknown --arch" encoder new --arch resnet -o "$WORK/x.h5"
expect_err "unknown --arch 'resnet'" "names the unknown architecture"
expect_status 2 "encoder new without -o" encoder new --arch pclr
expect_status 2 "encoder new with a bad --width-scale" encoder new --arch pclr --width-scale abc -o "$WORK/x.h5"
expect_status 2 "encoder new with a bad --input-steps" encoder new --arch pclr --input-steps 0 -o "$WORK/x.h5"
check "no file left behind by usage errors" test ! -e "$WORK/x.h5"

# ---- data errors
expect_status 1 "encoder info on a missing file" encoder info "$WORK/none.h5"
expect_err "none\.h5: no such file" "missing file is named"
printf 'not an hdf5 file\n' > "$WORK/text.h5"
expect_status 1 "encoder info on a text file" encoder info "$WORK/text.h5"
expect_err "text\.h5: not an HDF5 file" "text file is rejected as not HDF5"

if ! "$py" -c 'import h5py, numpy' >/dev/null 2>&1; then
    diag "h5py is not available: generated-model checks skipped"
    done_testing
    exit $?
fi

# ---- a PCLR-config model
if [ -n "$shared" ]; then
    pclr="$WORK/pclr.h5"
    check "keras_h5_make.py writes a PCLR-config model" \
        "$py" "$make_h5" model "$shared/reference/pclr-model-config.json" "$pclr" --strings fixed
    expect_status 0 "encoder info on the PCLR-config model" encoder info "$pclr"
    expect_out '^Model: +functional_1 \(Keras 2\.4\.0\)$' "model name and Keras version"
    expect_out '^Input: +4096 x 12 ' "input 4096 x 12"
    expect_out '^Output: +320 values$' "output 320"
    expect_out '^Parameters: +6,394,912$' "6,394,912 parameters"
    expect_out '^Compute: +3\.652 GFLOP per input$' "3.652 GFLOP per input"
    sum=$(sha256sum "$pclr" | cut -d' ' -f1)
    expect_out "^SHA-256: +$sum\$" "sha256 matches sha256sum"
    expect_out '^ *8  conv1d_3 +Conv1D +activation_1 +1024x128 +262,144  k=16 s=4 same pad 6/6$' \
        "conv1d_3 row: 1024x128, 262,144 params, pad 6/6"
    expect_out '^ *1  conv1d +Conv1D +ecg +4096x64 +12,288  k=16 s=1 same pad 7/8$' "conv1d row: pad 7/8"
    expect_out '^ *10  add +Add +conv1d_3,conv1d_1 +1024x128 +0$' "add row lists its two inputs in order"
    expect_out '^ *40  embed +GlobalAveragePooling1D +activation_8 +320 +0  mean over steps$' "embed row"
    rows=$(printf '%s\n' "$OUT" | grep -Ec '^ *[0-9]+  ')
    if [ "$rows" -eq 41 ]; then pass "41 layer rows"; else fail "41 layer rows: got $rows"; fi

    "$py" "$make_h5" edit "$pclr" "$WORK/lstm.h5" class add_2 LSTM
    expect_status 1 "an unsupported layer class is a data error" encoder info "$WORK/lstm.h5"
    expect_err "lstm\.h5: model_config: layer 'add_2' \(LSTM\): not supported by ecgfit \(supported: " \
        "the message names file, layer, class and the supported list"
    "$py" "$make_h5" edit "$pclr" "$WORK/shape.h5" wrong-shape conv1d_5 'conv1d_5/kernel:0'
    expect_status 1 "a weight of the wrong shape is a data error" encoder info "$WORK/shape.h5"
    expect_err "layer 'conv1d_5' \(Conv1D\): weight kernel .* has shape \(15, 128, 196\), the config implies \(16, 128, 196\)" \
        "the message gives both shapes"
fi

# ---- the real Keras fixtures
fx="$shared/fixtures/keras"
if [ -n "$shared" ] && [ -f "$fx/tf2.8-functional-resnet1d.h5" ]; then
    expect_status 0 "encoder info on the tf.keras 2.8 ResNet" encoder info "$fx/tf2.8-functional-resnet1d.h5"
    expect_out '^Parameters: +507,979$' "resnet: 507,979 parameters"
    expect_out '^SHA-256: +25570b5a20a3b91cb2cae299284af8c9482357d7352c51ff72201b82060a6671$' "resnet: sha256"
    expect_status 0 "encoder info on the Keras 3.13 model" encoder info "$fx/keras3.13-functional-conv1d.h5"
    expect_out '^Model: +.*\(Keras 3\.13\.0\)$' "keras3: version"
    expect_out '^Parameters: +40,069$' "keras3: 40,069 parameters"
    expect_status 0 "encoder info on a dl4j Sequential model" encoder info "$fx/dl4j-conv1d/conv1d_k2_s3_d1_cl_same_model.h5"
    expect_out '^ *1  conv0 +Conv1D +conv0_input +6x4 +28  k=2 s=3 same pad 0/1, bias, sigmoid$' \
        "dl4j: conv0 row, TF SAME split 0/1"
fi

# ---- encoder new (the writer), read back
expect_status 0 "encoder new --arch pclr, small" \
    encoder new --arch pclr --width-scale 0.25 --input-steps 1024 --seed 3 -o "$WORK/small.h5"
expect_status 0 "encoder info on what encoder new wrote" encoder info "$WORK/small.h5"
expect_out '^Input: +1024 x 12 ' "the written model has the requested input length"
expect_out '^ *40  embed +GlobalAveragePooling1D ' "the written model ends at embed"

done_testing
