#!/bin/sh
# The command surface: help, version, usage errors, and that every option in
# --help is in the man page.
. "$top_srcdir/tests/cli/lib.sh"

expect_status 0 "--help" --help
case "$OUT" in *"Usage: ecgfit"*labels*synth*) pass "--help lists commands" ;; *) fail "--help lists commands" ;; esac
expect_status 0 "--version" --version
case "$OUT" in "ecgfit "[0-9]*) pass "--version prints the version" ;; *) fail "--version: $OUT" ;; esac
for c in init labels export synth; do
    expect_status 0 "$c --help" "$c" --help
    case "$OUT" in "Usage: ecgfit "*) pass "$c --help shows usage" ;; *) fail "$c --help shows usage" ;; esac
done
expect_status 2 "unknown command" frobnicate
expect_err "unknown command 'frobnicate'" "unknown command named"
expect_status 2 "unknown global option" --frobnicate
expect_status 2 "unknown command option" labels --frobnicate
expect_status 2 "planned command says it is not available" train --target vo2max
expect_err "not available in this version" "planned command message"
expect_status 2 "no command off a terminal" </dev/null
expect_status 2 "synth without --n" synth "$WORK/x"
expect_status 2 "synth with a bad --naming" synth "$WORK/x" --n 5 --naming xml
expect_status 2 "labels with a bad --special-codes" labels --special-codes none
expect_status 1 "labels outside a project" -C "$WORK" labels
expect_err "not an ecgfit project" "outside a project: says so"

# Every long option printed by a --help is documented in the man page.
man="$top_builddir/man/ecgfit.1"
if [ -f "$man" ]; then
    missing=""
    for c in "" init labels export synth; do
        # shellcheck disable=SC2086
        for opt in $("$ECGFIT_BIN" $c --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
            grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $c:$opt"
        done
    done
    if [ -z "$missing" ]; then pass "every --help option is in the man page"; else fail "not in the man page:$missing"; fi
else
    fail "man page $man was not built"
fi
done_testing
