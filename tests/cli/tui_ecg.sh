#!/bin/sh
# tui_ecg.sh — the ECG screen driven through tmux on a small synthetic
# project with one ECG missing a lead (QC flag) and one unreadable file
# (preprocess failure): it opens on a participant's 12 leads and rhythm
# strip with the device's measurements; +/- zooms and Left/Right scroll in
# time; r switches raw/preprocessed; Enter shows one lead large; / jumps to
# an eid; f filters the QC flagged; --eid opens a participant; 80x24 <->
# 200x60 resizes; in the C locale the canvas falls back to ASCII; the help
# lists the screen's keys.  Skipped without tmux.
. "${top_srcdir:-.}/tests/cli/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed (apt-get install tmux)"
    exit 0
fi
UTF8=$(locale -a 2>/dev/null | grep -ixE 'c\.utf-?8' | head -n 1)

P="$WORK/proj"
if ! ecgfit synth --n 60 "$P" >"$WORK/synth.log" 2>&1; then
    fail "synth"; sed 's/^/# /' "$WORK/synth.log"; done_testing; exit 1
fi
set -- "$P"/ecg/*_20205_2_0.xml
QC_FILE=$1 BAD_FILE=$2
QC_EID=$(basename "$QC_FILE" | cut -d_ -f1)
BAD_EID=$(basename "$BAD_FILE" | cut -d_ -f1)
OK_EID=$(basename "$3" | cut -d_ -f1)
# lead V3 taken out of one file (missing_lead), another cut short (a failure)
awk '/<WaveformData lead="V3">/ { skip = 1 } !skip { print } skip && /<\/WaveformData>/ { skip = 0 }' \
    "$QC_FILE" >"$WORK/x.xml" && mv "$WORK/x.xml" "$QC_FILE"
head -c 3000 "$BAD_FILE" >"$WORK/x.xml" && mv "$WORK/x.xml" "$BAD_FILE"
if ! ecgfit -C "$P" labels -q >"$WORK/labels.log" 2>&1 || ! ecgfit -C "$P" preprocess >"$WORK/pp.log" 2>&1; then
    fail "labels + preprocess"; cat "$WORK/labels.log" "$WORK/pp.log" | sed 's/^/# /'; done_testing; exit 1
fi
NECG=$(ls "$P"/ecg/*_20205_2_0.xml | wc -l)

TMUX_BAIL_ON_EXIT=1
. "${top_srcdir:-.}/tests/cli/tmux.sh"

tm new-session -d -s t -x 80 -y 24 "env -u TMUX PS1='prompt$ ' ECGFIT_BIN='$ECGFIT_BIN' ECGFIT_REAL_BIN='$ECGFIT_REAL_BIN' sh"
tm set-option -g status off >/dev/null
keys "cd '$P'" Enter

# the C locale: ASCII canvas
keys 'LC_ALL=C "$ECGFIT_REAL_BIN" tui --screen ecg; echo "EXIT=$?"' Enter
expect_screen "eid > [0-9]+ +1 of $NECG, filter: all" "opens on the first participant, with the list position"
expect_screen '^\+ I -+\+ aVR -+\+ V1 -+\+ V4 -+\+$' "C locale: the 3x4 grid in ASCII box lines"
expect_screen '^\+ II rhythm (-+\+)+-+ 0-10 s  \+/-[0-9.]+ mV -\+$' "the rhythm strip, 10 s, one amplitude scale"
expect_screen 'HR [0-9]+ +PR [0-9-]+ +QRS [0-9]+ +QT [0-9]+ +QTc [0-9]+ +axes P' "the device's measurements"
if screen_text | LC_ALL=C grep -q '[^ -~]'; then fail "C locale: only ASCII drawn"; screen_text | sed 's/^/# |/'
else pass "C locale: only ASCII drawn"; fi
keys q
expect_screen 'EXIT=0' "q quits"
keys clear Enter

if [ -z "$UTF8" ]; then
    diag "no C.UTF-8 locale: the Braille checks are skipped"
    done_testing
    exit $?
fi
keys "LC_ALL=$UTF8 \"\$ECGFIT_REAL_BIN\" tui --screen ecg --eid $OK_EID; echo \"EXIT=\$?\"" Enter
expect_screen "eid ▸ $OK_EID " "--eid opens that participant"
expect_screen '^┌ I (─)+┬ aVR (─)+┬ V1 (─)+┬ V4 (─)+┐$' "UTF-8: box lines"
expect_screen '^├ III (─)+┼ aVF (─)+┼ V3 (─)+┼ V6 (─)+┤$' "the third row of leads"
expect_screen '[⠁-⣿]' "Braille dots"
expect_screen 'r:  raw  \[preprocessed\]' "preprocessed is shown"
keys +
expect_screen 'rhythm ─.* 2\.5-7\.5 s ' "+ zooms in around the middle (5 s)"
keys Right
expect_screen 'rhythm ─.* 3\.75-8\.75 s ' "Right scrolls a quarter later"
keys - - Left Left
expect_screen 'rhythm ─.* 0-10 s ' "- and Left: the whole 10 s again"
keys r
expect_screen 'r: \[raw\] ' "r: the raw ECG from the XML"
keys Enter
expect_screen '^mV +┌ II ─' "Enter: one lead large (II)"
expect_screen '^ +-?1│' "with a millivolt axis"
keys ']'
expect_screen '^mV +┌ III ─' "]: the next lead"
keys Enter r
expect_screen '^┌ I ─' "Enter: back to the 12 leads"
expect_screen 'r:  raw  \[preprocessed\]' "r: preprocessed again"

keys /
expect_screen 'go to eid: _' "/ asks for an eid"
keys "$QC_EID" Enter
expect_screen "eid ▸ $QC_EID " "and goes there"
expect_screen 'QC missing_lead' "its QC flag is shown"
expect_screen '\(no lead\)' "the missing lead says so"
keys f
expect_screen "1 of 2, filter: QC flagged or failed" "f: the QC filter (the flagged and the failed)"
keys n
expect_screen "eid ▸ $BAD_EID " "n: the next one of the filter"
expect_screen "preprocess failed: " "the failed ECG says why (preprocess's message)"
keys p
expect_screen "eid ▸ $QC_EID " "p: back"
keys f f f
expect_screen "filter: all" "f cycles back to all"

tm resize-window -t t -x 200 -y 60
expect_screen 'Device measurements' "200x60: the measurements beside the ECG"
expect_screen "^ $OK_EID +✓ +│" "and the participant list"
tm resize-window -t t -x 80 -y 24
expect_screen '^┌ I (─)+┬ aVR (─)+┬ V1 (─)+┬ V4 (─)+┐$' "back to 80x24: the grid fits"
if [ "$(screen_text | wc -l)" -le 24 ]; then pass "80x24: nothing past the window"; else fail "80x24 overflow"; fi
keys g
# the figure is a job: wait for its end, or q would ask to cancel it
expect_screen 'plot ecg: done|plot ecg\) is not available' "g: the figure, or that plot ecg is not there yet" 60
if screen_text | grep -q 'plot ecg: done'; then
    check "g: the figure is beside the store" test -n "$(ls "$P"/ecg-*.png 2>/dev/null)"
fi
keys '?'
expect_screen 'Keys of the ECG screen' "? lists the screen's keys"
expect_screen 'zoom in / out in time' "from its keymap"
keys q q
expect_screen 'EXIT=0' "q twice: back, then quit"

done_testing
