#!/bin/sh
# tui.sh — the terminal application driven through tmux (send-keys,
# capture-pane) on a small synthetic project: every screen opens and shows
# its content; a stage runs, is cancelled and resumed from the Pipeline
# screen; the window is resized 80x24 <-> 200x60; quitting (q, SIGTERM)
# gives the shell back a sane terminal.  Also the sides that need no
# terminal: `tui --help`, the hint without one, TERM=dumb and unknown TERMs.
. "${top_srcdir:-.}/tests/cli/lib.sh"

run_cmd tui --help
if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q '^Usage: ecgfit \[-C DIR\] tui'; then
    pass "tui --help prints its help without a terminal"
else fail "tui --help: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd tui --list-keys
if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q 'select-screen pipeline' &&
    printf '%s\n' "$OUT" | grep -q '^Pipeline screen:'; then
    pass "tui --list-keys prints the keymaps"
else fail "tui --list-keys: exit $RC"; diag "$OUT" "$ERR"; fi
expect_status 2 "tui without a terminal is a usage error" tui
expect_err "needs a terminal" "and says it needs a terminal"

if ! command -v tmux >/dev/null 2>&1; then
    diag "tmux is not installed: the interactive tests are skipped (apt-get install tmux)"
    done_testing
    exit $?
fi

P="$WORK/proj"
if ! ecgfit synth --n 400 "$P" >"$WORK/synth.log" 2>&1 || ! ecgfit -C "$P" labels -q >"$WORK/labels.log" 2>&1; then
    fail "synth + labels for the TUI project"; cat "$WORK/synth.log" "$WORK/labels.log" | sed 's/^/# /'
    done_testing
    exit 1
fi
# More ECG files (copies under new eids) so that a single-threaded
# preprocess lasts long enough to be cancelled by a key press.
k=0
for f in "$P"/ecg/*_20205_2_0.xml; do
    for c in 1 2 3 4 5 6 7 8; do
        k=$((k + 1))
        cp "$f" "$P/ecg/$((3000000 + k))_20205_2_0.xml"
    done
done
ecgfit -C "$P" >"$WORK/hint.out" 2>&1
if [ $? -eq 2 ] && grep -q "opens the interactive interface" "$WORK/hint.out"; then
    pass "ecgfit with no command in a project, without a terminal: a short hint"
else fail "no-command hint"; sed 's/^/# /' "$WORK/hint.out"; fi

. "${top_srcdir:-.}/tests/cli/tmux.sh"

# A shell in an 80x24 window; the TUI runs in it as a user would start it.
tm new-session -d -s t -x 80 -y 24 "env -u TMUX PS1='prompt$ ' ECGFIT_BIN='$ECGFIT_BIN' sh"
tm set-option -g status off >/dev/null
keys "cd '$P'" Enter

keys 'TERM=dumb "$ECGFIT_BIN"; echo "EXIT=$?"' Enter
expect_screen "cannot run here: the terminal is 'dumb'" "TERM=dumb: says curses cannot drive it"
expect_screen 'EXIT=1' "TERM=dumb: exits 1 without drawing"
keys 'clear' Enter
keys 'TERM=no-such-term "$ECGFIT_BIN"; echo "EXIT=$?"' Enter
expect_screen "unknown terminal type 'no-such-term'" "an unknown TERM: says so and points to the batch commands"
keys 'clear' Enter

keys '"$ECGFIT_BIN"; echo "EXIT=$?"' Enter
expect_screen '^ ecgfit [0-9.]+ +project: ' "the frame: title with version and project"
expect_screen 'SYNTHETIC DATA' "the synthetic banner"
expect_screen '1 Project +2 Pipeline +3 ECG +4 Models +5 Tables' "the screen bar"
expect_screen 'main CSV +ukb_main.csv' "Project: the sources"
expect_screen 'labels +400 participants' "Project: the stages"
expect_screen 'with an instance-2 ECG' "Project: the cohort funnel"

keys 2
expect_screen 'Enter runs: ecgfit labels' "2: the Pipeline screen"
keys 3
expect_screen 'ECG' "3: the ECG screen"
keys 4
expect_screen 'Models' "4: the Models screen"
keys 5
expect_screen 'Tables' "5: the Tables screen"
keys Tab
expect_screen 'Sources' "Tab cycles back to Project"
keys '?'
expect_screen 'Keys of the Project screen' "?: help from the keymap"
expect_screen 'select the next|cohort funnel' "help lists the screen's keys"
keys q
expect_screen 'Sources' "q goes back from help"
keys L
expect_screen 'nothing logged yet|ecgfit' "L: the log"
keys q

# run preprocess single-threaded, cancel it, resume it
keys 2 j
expect_screen 'Enter runs: ecgfit preprocess' "Pipeline: preprocess selected"
keys l +
expect_screen 'jobs \[1\]' "Pipeline: --jobs edited in place"
keys Enter
expect_screen 'preprocess.*(ECGs|starting).*Esc cancel' "the bottom line shows the running stage" 20
keys '?'
expect_screen 'Keys of the Pipeline screen' "the UI answers keys while the stage runs"
keys q
expect_screen 'Enter runs: ecgfit preprocess' "and goes back to the Pipeline"
# Cancel only once some ECGs are done: an Esc before the first one leaves
# nothing to resume (a race CI once lost).
expect_screen ' [1-9][0-9,]*/[0-9,]+ ECGs' "the bottom line counts the ECGs done" 30
keys Escape
expect_screen 'preprocess: cancelled' "Esc cancels the stage" 30
expect_screen 'partly done' "the stage shows as partly done"
keys r
expect_screen 'preprocess: done in' "r resumes it to the end" 120
keys L
expect_screen 'already done \(resumed\) +[1-9]' "the log shows the resumed run's output"
keys q

# s: the stage as a SLURM job array, its command on the : line to edit
keys s
expect_screen '^:slurm preprocess --shards 8 --cpus 1 *$' "s puts the slurm command on the : line"
keys Enter
expect_screen 'slurm: done' "Enter runs it"
if grep -qx '#SBATCH --array=1-8' "$P/slurm/preprocess.sbatch" 2>/dev/null; then
    pass "the script is in the project's slurm folder"
else fail "no $P/slurm/preprocess.sbatch with --array=1-8"; fi
keys k s
expect_screen 'only preprocess and embed run in shards' "s on labels says which stages shard"
keys j

# resize at any moment, to large and back to 80x24
keys 1
tm resize-window -t t -x 200 -y 60
expect_screen 'Sources .* Cohort funnel' "200x60: sources and funnel side by side"
tm resize-window -t t -x 80 -y 24
expect_screen '^1 Project +2 Pipeline' "back to 80x24: the frame redrawn"
if [ "$(screen_text | wc -l)" -le 24 ]; then pass "80x24: nothing drawn past the window"; else fail "80x24 overflow"; fi

# q quits and the shell's terminal works (echo on, canonical input)
keys q
expect_screen 'EXIT=0' "q quits with status 0"
keys 'stty -a | tr " " "\n" | grep -xE "echo|icanon" | sort | tr "\n" " "; echo' Enter
expect_screen '(^|\$ )echo icanon *$' "the terminal is restored (echo, icanon)"
keys 'echo prompt-works' Enter
expect_screen '(^|\$ )prompt-works *$' "the shell prompt works after quitting"

# SIGTERM restores the terminal too
keys clear Enter
keys 'sh -c '"'"'echo $$ >tui.pid; exec "$ECGFIT_BIN" tui --screen pipeline'"'"'; echo "EXIT=$?"' Enter
expect_screen 'Enter runs: ecgfit' "--screen pipeline opens the Pipeline screen"
kill -TERM "$(cat "$P/tui.pid")"
expect_screen 'EXIT=143' "SIGTERM ends it (status 128 + 15)"
keys 'stty -a | tr " " "\n" | grep -xE "echo|icanon" | sort | tr "\n" " "; echo' Enter
expect_screen '(^|\$ )echo icanon *$' "SIGTERM: the terminal is restored"

# an input newer than the stage's output: the stage is stale
touch -d "@$(($(date +%s) + 120))" "$P/ukb_main.csv"
keys clear Enter
keys '"$ECGFIT_BIN" tui --no-color; echo "EXIT=$?"' Enter
expect_screen 'stale: the main CSV changed after labels ran' "Project: a changed input makes the stage stale"
keys Q
expect_screen 'EXIT=0' "Q quits at once"

# Ctrl-C quits too, and leaves the terminal sane
keys clear Enter
keys '"$ECGFIT_BIN"; echo "EXIT=$?"' Enter
expect_screen 'Cohort funnel' "opened again"
keys C-c
expect_screen 'EXIT=130' "Ctrl-C quits (status 128 + 2)"
keys 'stty -a | tr " " "\n" | grep -xE "echo|icanon" | sort | tr "\n" " "; echo' Enter
expect_screen '(^|\$ )echo icanon *$' "Ctrl-C: the terminal is restored"

done_testing
