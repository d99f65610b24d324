# lib.sh — TAP helpers for the CLI tests (sourced).  Each test runs the built
# binary in a clean environment and a scratch folder; GENERATE=1 rewrites the
# golden files in tests/data/expected instead of comparing.
set -u
: "${ECGFIT_BIN:?run through make check}"
: "${top_srcdir:?run through make check}"
export LC_ALL=C TERM=dumb HOME="${TMPDIR:-/tmp}"
unset ECGFIT_PROJECT
T=0
FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecgfit-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# ECGFIT_TEST_LOCALE=de_DE.UTF-8 (tests/local.mk): ecgfit runs with that
# LC_ALL, through a wrapper, while the tests' own tools (awk, printf, sort)
# keep C's numbers.  ECGFIT_REAL_BIN is the binary itself, for a check that
# sets its own locale (the TUI's ASCII fallback under C).
ECGFIT_REAL_BIN=$ECGFIT_BIN
if [ "${ECGFIT_TEST_LOCALE:-C}" != C ]; then
    norm() { printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -d -- '-'; }
    if ! locale -a 2>/dev/null | while read -r l; do norm "$l"; echo; done |
            grep -qxF "$(norm "$ECGFIT_TEST_LOCALE")"; then
        echo "Bail out! locale $ECGFIT_TEST_LOCALE is not installed (locale-gen)"
        exit 1
    fi
    printf '#!/bin/sh\nLC_ALL=%s exec %s "$@"\n' "'$ECGFIT_TEST_LOCALE'" "'$ECGFIT_BIN'" >"$WORK/.ecgfit-locale"
    chmod +x "$WORK/.ecgfit-locale"
    ECGFIT_BIN="$WORK/.ecgfit-locale"
fi
EXPECTED="$top_srcdir/tests/data/expected"

ecgfit() { "$ECGFIT_BIN" "$@"; }

pass() { T=$((T + 1)); echo "ok $T - $*"; }
fail() { T=$((T + 1)); FAILED=$((FAILED + 1)); echo "not ok $T - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# run_cmd: run ecgfit, capturing $OUT, $ERR and $RC.
run_cmd() {
    "$ECGFIT_BIN" "$@" >"$WORK/.out" 2>"$WORK/.err"
    RC=$?
    OUT=$(cat "$WORK/.out")
    ERR=$(cat "$WORK/.err")
}

# expect_status WANT DESCRIPTION ARGS...: run ecgfit and check the exit status.
expect_status() {
    local want=$1 what=$2; shift 2
    run_cmd "$@"
    if [ "$RC" -eq "$want" ]; then pass "$what (exit $RC)"; else
        fail "$what: exit $RC, want $want"; diag "stdout: $OUT" "stderr: $ERR"; fi
}

# expect_err PATTERN DESCRIPTION: stderr of the last run_cmd matches (grep -E).
expect_err() {
    if printf '%s\n' "$ERR" | grep -Eq -- "$1"; then pass "$2"; else
        fail "$2: stderr lacks /$1/"; diag "stderr: $ERR"; fi
}

# golden NAME FILE: compare FILE with tests/data/expected/NAME.
golden() {
    if [ "${GENERATE:-0}" = 1 ]; then
        cp "$2" "$EXPECTED/$1"; pass "golden $1 regenerated"; return
    fi
    if diff -u "$EXPECTED/$1" "$2" >"$WORK/.diff" 2>&1; then pass "matches golden $1"; else
        fail "differs from golden $1 (GENERATE=1 make check refreshes it)"; sed 's/^/# /' "$WORK/.diff" | head -40; fi
}

done_testing() {
    echo "1..$T"
    [ "$FAILED" -eq 0 ]
}
