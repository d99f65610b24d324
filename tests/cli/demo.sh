#!/bin/bash
# demo.sh — `ecgfit demo` in batch (not a terminal) on a small cohort (the
# hidden --n): every stage runs and is timed, the report is printed, the store
# says it is synthetic; a second run reuses every stage and prints the same
# report; an interrupted run resumes to the same results; folders the demo
# must not touch are refused with a clear message.
. "$top_srcdir/tests/cli/lib.sh"
cd "$WORK" || exit 1

N=100
report_of() { sed -n '/^Model comparison/,/^$/p' "$1"; }

expect_status 0 "demo --help" demo --help
check "help names --no-tui" grep -q -- "--no-tui" .out
check "help names --folds" grep -q -- "--folds K" .out
check "help hides the test option --n" sh -c '! grep -q -- "--n " "$1"' sh .out
expect_status 2 "two folders" demo a b
expect_err "unexpected argument 'b'" "says which word is extra"
expect_status 2 "--n below its range" demo d --n 5

# The whole run, off a terminal: no interface, the report on stdout.
expect_status 0 "demo on a new folder" demo d --n $N </dev/null
cp .out first.out
check "says the data are synthetic" grep -q "^ecgfit demo in d: a SYNTHETIC cohort of $N participants" first.out
check "and the encoder weights" grep -q "seeded random weights" first.out
for s in synth encoder labels preprocess embed train report; do
    check "stage $s timed" grep -Eq "^  $s +[0-9]+\.[0-9] s" first.out
done
check "total time" grep -Eq "^Stages \([0-9]+\.[0-9] s in all\):" first.out
check "report: four results" test "$(report_of first.out | grep -Ec '^vo2max +ml/kg/min +(basic|full) +(lasso|xgboost) ')" -eq 4
check "the report says synthetic" grep -q "^SYNTHETIC: the cohort and the encoder weights" first.out
check "says how to go on" grep -Eq "^Next:  ecgfit -C d +the interactive interface" first.out
check "the project's encoder is the demo's" grep -q "^encoder = pclr-demo.h5" d/ecgfit.ini
if command -v h5dump >/dev/null; then
    check "store root attribute synthetic_data = 1" sh -c 'h5dump -a /synthetic_data d/ecgfit.h5 | grep -q "(0): 1$"'
    check "store root attribute synthetic_encoder = 1" sh -c 'h5dump -a /synthetic_encoder d/ecgfit.h5 | grep -q "(0): 1$"'
    check "and a note in words" sh -c 'h5dump -a /synthetic_note d/ecgfit.h5 | grep -q "ecgfit demo"'
else
    for _ in 1 2 3; do pass "# SKIP h5dump (hdf5-tools) not installed"; done
fi

# Again: everything reused, the same report, quickly.
start=$(date +%s)
expect_status 0 "demo again on the same folder" demo d --n $N </dev/null
took=$(( $(date +%s) - start ))
cp .out second.out
for s in encoder labels train; do
    check "$s reused" grep -Eq "^  $s +[0-9.]+ s  done before, reused" second.out
done
check "preprocess reused" grep -Eq "^  preprocess .*\(reused\)" second.out
check "embed reused" grep -Eq "^  embed .*\(reused\)" second.out
report_of first.out > first.rep
report_of second.out > second.rep
check "the same report" cmp -s first.rep second.rep
check "in seconds (took ${took} s)" test "$took" -le 20
expect_status 0 "-q: only the report" -q demo d --n $N </dev/null
check "no stage list with -q" sh -c '! grep -q "^Stages" "$1"' sh .out
check "the report with -q" grep -q "^Model comparison" .out

# Interrupted (SIGTERM, as Ctrl-C) in the middle, then resumed: same results.
"$ECGFIT_BIN" demo c --n $N </dev/null >c1.out 2>c1.err &
pid=$!
for _ in $(seq 1 100); do [ -f c/ecgfit.h5 ] && break; sleep 0.1; done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "demo interrupted in stage [0-9] of [0-9]" c1.err; then
    pass "an interrupted demo says where (exit $rc)"
elif [ "$rc" -eq 0 ]; then
    pass "# SKIP the demo ended before it could be interrupted"
else
    fail "interrupted demo: exit $rc"; diag "$(cat c1.err)"
fi
check "and how to resume" sh -c "[ $rc -eq 0 ] || grep -q 'run \`ecgfit demo c\` again to resume' c1.err"
expect_status 0 "the same command resumes" demo c --n $N </dev/null
report_of .out > resumed.rep
check "resumed run: the same report" cmp -s first.rep resumed.rep

# Folders the demo must not write into.
: > afile
expect_status 2 "DIR is a file" demo afile
expect_err "afile exists and is not a folder" "says it is a file"
mkdir other && echo notes > other/notes.txt
expect_status 2 "DIR is an unrelated folder" demo other
expect_err "other is not empty and holds no ecgfit demo" "says so"
check "and left it alone" test "$(ls other)" = notes.txt
mkdir proj && printf '[project]\nmain_csv = x.csv\n' > proj/ecgfit.ini
expect_status 2 "DIR is another ecgfit project" demo proj
expect_err "proj is an ecgfit project that \`ecgfit demo\` did not make" "says so"
expect_status 1 "DIR holds a demo of another size" demo d --n 120 </dev/null
expect_err "d holds a cohort made with other options" "says so"
expect_status 0 "another --folds on the same folder" demo d --n $N --folds 3 </dev/null
check "trains again, with those folds" grep -Eq "^  train +[0-9.]+ s  vo2max: .*, 3-fold CV" .out
check "the rest reused" grep -Eq "^  labels +[0-9.]+ s  done before, reused" .out
expect_status 0 "-C names the folder too" -C d demo --n $N --folds 3 </dev/null
check "that one" grep -q "^ecgfit demo in d:" .out
check "all reused" grep -Eq "^  train +[0-9.]+ s  done before, reused" .out

done_testing
