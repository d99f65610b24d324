#!/bin/sh
# The command surface: help, version, usage errors, and that every option in
# --help is in the man page.
. "$top_srcdir/tests/cli/lib.sh"

expect_status 0 "--help" --help
case "$OUT" in *"Usage: ecgfit"*labels*synth*) pass "--help lists commands" ;; *) fail "--help lists commands" ;; esac
expect_status 0 "--version" --version
case "$OUT" in "ecgfit "[0-9]*) pass "--version prints the version" ;; *) fail "--version: $OUT" ;; esac
for c in init labels preprocess embed merge train predict replicate report export import encoder synth tui; do
    expect_status 0 "$c --help" "$c" --help
    case "$OUT" in "Usage: ecgfit "*) pass "$c --help shows usage" ;; *) fail "$c --help shows usage" ;; esac
done
expect_status 2 "unknown command" frobnicate
expect_err "unknown command 'frobnicate'" "unknown command named"
expect_status 2 "unknown global option" --frobnicate
expect_status 2 "unknown command option" labels --frobnicate
expect_status 0 "--help lists slurm" --help
check "... with its summary" bash -c 'printf "%s\n" "$1" | grep -q "^  slurm .*SLURM job array"' _ "$OUT"
expect_status 2 "no command off a terminal" </dev/null
expect_status 2 "synth without --n" synth "$WORK/x"
expect_status 2 "synth with a bad --naming" synth "$WORK/x" --n 5 --naming xml
expect_status 2 "labels with a bad --special-codes" labels --special-codes none
expect_status 1 "labels outside a project" -C "$WORK" labels
expect_err "not an ecgfit project" "outside a project: says so"

expect_status 2 "bad --jobs value" labels --jobs 4294967297
expect_err "--jobs must be a whole number from 1 to 256" "--jobs range named"
expect_status 2 "empty --ecg-instance" labels --ecg-instance ''
: >"$WORK/afile"
expect_status 2 "-C on a file" -C "$WORK/afile" labels
expect_err "-C needs a project directory" "-C on a file explained"
expect_status 2 "export with an extra argument" export labels embeddings -o -
expect_err "unexpected argument 'embeddings'" "extra argument named"

# synth refuses a folder holding another cohort, --force replaces it
expect_status 0 "synth a small cohort" -q synth "$WORK/s" --n 20 --seed 1 --no-ecg
expect_status 0 "same command again resumes" synth "$WORK/s" --n 20 --seed 1 --no-ecg
case "$OUT" in *Resumed*) pass "resume is reported" ;; *) fail "resume not reported" ;; esac
expect_status 1 "another seed into the same folder is refused" synth "$WORK/s" --n 20 --seed 2 --no-ecg
expect_err "already holds a synthetic cohort made with other options.*--force" "refusal explains --force"
expect_status 0 "--force replaces it" -q synth "$WORK/s" --n 20 --seed 2 --no-ecg --force
expect_status 1 "init over an existing project is refused" init "$WORK/s" --main-csv nowhere.csv --ecg-dir nowhere
expect_err "already a project" "init refusal explained"
case "$ERR" in *"does not exist"*) fail "init warned about inputs before refusing" ;; *) pass "init refuses before input warnings" ;; esac

# Every long option printed by a --help is documented in the man page.
man="$top_builddir/man/ecgfit.1"
if [ -f "$man" ]; then
    missing=""
    for c in "" init labels preprocess embed merge slurm train predict replicate report export import encoder synth tui; do
        # shellcheck disable=SC2086
        for opt in $("$ECGFIT_BIN" $c --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
            grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $c:$opt"
        done
    done
    if [ -z "$missing" ]; then pass "every --help option is in the man page"; else fail "not in the man page:$missing"; fi
else
    fail "man page $man was not built"
fi
# Off a terminal (a log, a SLURM job), progress is one timestamped line per
# finished unit, flushed as it happens.
ECGFIT_PROGRESS=log "$ECGFIT_BIN" -q synth "$WORK/plog" --n 30 --seed 2 --jobs 1 >/dev/null 2>"$WORK/plog.err"
ECGFIT_PROGRESS=log "$ECGFIT_BIN" synth "$WORK/plog2" --n 30 --seed 2 --jobs 1 >/dev/null 2>"$WORK/plog.err"
check "log progress: timestamped lines" grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} synth: ' "$WORK/plog.err"
check "log progress: the last line says done" sh -c "tail -1 '$WORK/plog.err' | grep -q ': done, '"
done_testing
