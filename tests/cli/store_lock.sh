#!/bin/bash
# store_lock.sh — one writer at a time per project: a second writer gets
# "project busy: COMMAND is writing (pid N)" (exit 1) or, with --wait, waits;
# concurrent imports and trains lose no update.
. "$top_srcdir/tests/cli/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
P="$WORK/p"

expect_status 0 "synth" -q synth "$P" --n 120 --seed 5 --no-ecg
expect_status 0 "labels" -q -C "$P" labels --jobs 1
check "the lock file is .ecgfit.h5.lock in the project" test -f "$P/.ecgfit.h5.lock"
check "... and records the generation" grep -q '^generation [1-9]' "$P/.ecgfit.h5.lock"
expect_status 0 "export labels" -q -C "$P" export labels -o "$WORK/labels.csv"
# label files for `import labels`: one column each
for c in a b c d e f; do
    awk -F, -v c="$c" 'NR == 1 { print "eid,col_" c; next } { print $1 "," NR % 7 }' "$WORK/labels.csv" \
        >"$WORK/$c.csv"
done
columns() { "$ECGFIT_BIN" -q -C "$P" export labels -o - | head -1; }

# ---- a writer holding the lock (a stand-in taking the same fcntl lock) ----
if "$PY" -c 'import fcntl' 2>/dev/null; then
    cat >"$WORK/hold.py" <<'EOF'
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.lockf(fd, fcntl.LOCK_EX)   # a POSIX lock: conflicts with ecgfit's OFD lock
rec = "ecgfit store lock\ngeneration 0\npid %d\ncommand train\nend 0\n" % os.getpid()
os.pwrite(fd, (rec.ljust(159) + "\n").encode(), 0)
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
EOF
    "$PY" "$WORK/hold.py" "$P/.ecgfit.h5.lock" "$WORK/held" 1.5 &
    holder=$!
    for _ in $(seq 100); do [ -f "$WORK/held" ] && break; sleep 0.05; done
    expect_status 1 "import while another writer holds the project: exit 1" -C "$P" import labels "$WORK/a.csv"
    expect_err "project busy: train is writing \(pid $holder\)" "the busy error names the command and pid"
    expect_err "--wait" "... and suggests --wait"
    expect_status 0 "--wait (after the command) waits for it" -q -C "$P" import labels "$WORK/a.csv" --wait
    expect_err "project busy: train is writing.*waiting" "... saying so"
    wait "$holder"
    case "$(columns)" in *col_a*) pass "the waiting import is stored" ;; *) fail "col_a missing: $(columns)" ;; esac
else
    pass "# SKIP python3 without fcntl"
fi

# ---- two real writers at once ----
# Without --wait: each either stores its column or says busy; none is lost.
lost=0 busy=0
for round in 1 2 3; do
    "$ECGFIT_BIN" -q -C "$P" import labels "$WORK/b.csv" >/dev/null 2>"$WORK/b.err" &
    pb=$!
    "$ECGFIT_BIN" -q -C "$P" import labels "$WORK/c.csv" >/dev/null 2>"$WORK/c.err" &
    pc=$!
    wait "$pb"; rb=$?
    wait "$pc"; rc=$?
    cols=$(columns)
    for x in b c; do
        r=$rb; [ "$x" = c ] && r=$rc
        if [ "$r" -eq 0 ]; then
            case "$cols" in *"col_$x"*) ;; *) lost=$((lost + 1)); diag "round $round: col_$x lost" ;; esac
        elif grep -q "project busy" "$WORK/$x.err"; then
            busy=$((busy + 1))
        else
            lost=$((lost + 1)); diag "round $round: import $x failed: $(cat "$WORK/$x.err")"
        fi
    done
done
check "concurrent imports: every one stored or refused as busy ($busy busy)" test "$lost" -eq 0

# With --wait: all of them are stored.
pids=""
for c in d e f; do
    "$ECGFIT_BIN" --wait -q -C "$P" import labels "$WORK/$c.csv" >/dev/null 2>"$WORK/$c.err" &
    pids="$pids $!"
done
st=0
for p in $pids; do wait "$p" || st=1; done
check "three concurrent imports with --wait succeed" test "$st" -eq 0
cols=$(columns)
case "$cols" in *col_d*col_e*col_f*|*col_d*col_f*col_e*|*col_e*col_d*col_f*|*col_e*col_f*col_d*|*col_f*col_d*col_e*|*col_f*col_e*col_d*)
    pass "... and all three columns are stored" ;;
*) fail "columns after concurrent imports: $cols" ;; esac

# Two trains at once (one result per fit, the lock per fit) with --wait.
"$ECGFIT_BIN" --wait -q -C "$P" train --target sbp --features basic --model lasso --jobs 1 \
    --bootstrap 10 >/dev/null 2>"$WORK/t1.err" &
t1=$!
"$ECGFIT_BIN" --wait -q -C "$P" train --target sbp --features basic --model elasticnet,xgboost --jobs 1 \
    --bootstrap 10 >/dev/null 2>"$WORK/t2.err" &
t2=$!
wait "$t1"; r1=$?
wait "$t2"; r2=$?
check "two concurrent trains with --wait succeed" test "$r1" -eq 0 -a "$r2" -eq 0
[ "$r1" -eq 0 ] || diag "$(cat "$WORK/t1.err")"
[ "$r2" -eq 0 ] || diag "$(cat "$WORK/t2.err")"
"$ECGFIT_BIN" -q -C "$P" export metrics -o "$WORK/metrics.csv" 2>/dev/null
n=$(grep -c -e '^sbp,basic,lasso,test' -e '^sbp,basic,elasticnet,test' -e "^sbp,basic,xgboost,test" "$WORK/metrics.csv")
check "... and all three models' results are stored ($n of 3)" test "$n" -eq 3
done_testing
