#!/bin/sh
# tui_tables.sh — the terminal application's Tables screen, its `:` command
# line and its sixel figures, driven through tmux: p-values toggled on show
# their column; Table 1 exported from the screen (x) and from `:` is the file
# `ecgfit table1 -o` writes; a typo after `:` shows the CLI's usage error
# with its did-you-mean and the TUI goes on; Tab completes a command, an
# option and (twice) lists a group's subjects; Up recalls the last line;
# `--graphics sixel` writes a sixel image (DCS ESC P ... q ... ESC \) for v
# and the screen is back after a key; without sixel v says so.
. "${top_srcdir:-.}/tests/cli/lib.sh"

run_cmd tui --help
if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q -- '--graphics auto|sixel|braille'; then
    pass "tui --help names --graphics"
else fail "tui --help: exit $RC"; diag "$OUT" "$ERR"; fi
run_cmd tui --list-keys
if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q '^Tables screen:' &&
    printf '%s\n' "$OUT" | grep -q 'command-prompt'; then
    pass "tui --list-keys lists the Tables screen and the : command line"
else fail "tui --list-keys"; diag "$OUT" "$ERR"; fi

if ! command -v tmux >/dev/null 2>&1; then
    echo "# tmux is not installed: the interactive tests are skipped (apt-get install tmux)"
    done_testing
    exit $?
fi

P="$WORK/proj"
if ! ecgfit synth --n 200 "$P" >"$WORK/synth.log" 2>&1 || ! ecgfit -C "$P" labels -q >"$WORK/labels.log" 2>&1; then
    fail "synth + labels"; cat "$WORK/synth.log" "$WORK/labels.log" | sed 's/^/# /'; done_testing; exit 1
fi

TMUX_KEY_PAUSE=0.15
. "${top_srcdir:-.}/tests/cli/tmux.sh"
text() { tm send-keys -t t -l -- "$1"; sleep 0.15; }

tm new-session -d -s t -x 200 -y 60 "env -u TMUX PS1='prompt$ ' ECGFIT_BIN='$ECGFIT_BIN' sh"
tm set-option -g status off >/dev/null
keys "cd '$P'" Enter
keys '"$ECGFIT_BIN" tui --screen tables --graphics braille; echo "EXIT=$?"' Enter

# ---- the Tables screen ----
expect_screen 'Table 1, grouped by Sex' "Tables: Table 1 grouped by sex is drawn"
expect_screen '^ Age at imaging visit \(years\), mean \(SD\) +[0-9]+ +[0-9.]+ \([0-9.]+\)' "Tables: a row with its numbers"
if screen_text | grep -q 'P-Value'; then fail "no P-Value column before p"; else pass "no P-Value column before p"; fi
keys p
expect_screen 'Overall +Female +Male +P-Value' "p: the P-Value column appears"
keys s
expect_screen 'SMD \(Female,Male\)' "s: the SMD column appears"
keys s
keys +
expect_screen 'decimals 2' "+: two decimals"
expect_screen 'Age at imaging visit \(years\), mean \(SD\) +[0-9]+ +[0-9]+\.[0-9][0-9] \(' "+: the cells have two decimals"
keys -
keys t t
expect_screen 'Fitness metrics' "t t: the fitness summary"
keys t
expect_screen 'Table 1, grouped by Sex' "t: back to Table 1"

# export from the screen: x, the format list, the file name
keys x
expect_screen 'Export as' "x: the format list"
keys Enter
expect_screen 'export to .*table1\.tex' "the file name is asked, table1.tex proposed"
keys Enter
expect_screen "wrote Table 1 as LaTeX \(booktabs\) to .*/proj/table1\.tex" "x: the path is shown after writing"
ecgfit -C "$P" table1 --groupby sex --pval --format latex -o "$WORK/cli.tex" 2>/dev/null
if [ -s "$P/table1.tex" ] && cmp -s "$P/table1.tex" "$WORK/cli.tex"; then
    pass "x wrote the file table1 -o writes"
else fail "x: table1.tex differs from the CLI's"; diff "$P/table1.tex" "$WORK/cli.tex" | head | sed 's/^/# /'; fi

# ---- the : command line ----
keys :
text 'table1 --groupby sex --format md -o t1.md'
keys Enter
wait_for 'table1: done' 10
if [ -s "$P/t1.md" ] && grep -q '^| n ' "$P/t1.md"; then
    pass ":table1 --format md -o t1.md writes the Markdown table"
else fail ":table1 -o t1.md"; screen_text | tail -3 | sed 's/^/# |/'; fi
keys :
text 'tabel1 --pval'
keys Enter
expect_screen "unknown command 'tabel1'; did you mean table1\?" ":tabel1: the CLI's usage error with did-you-mean"
keys :
text 'table1 --pvall'
keys Enter
expect_screen "table1: unknown option '--pvall'; did you mean --pval\?" ":table1 --pvall: the option's did-you-mean"
expect_screen 'Table 1, grouped by Sex' "the screen is intact after the errors"
keys :
text 'ta'
keys Tab
expect_screen '^:table1 *$' "Tab completes the command"
text '--gr'
keys Tab
expect_screen '^:table1 --groupby *$' "Tab completes an option"
text '--format '
keys Tab
keys Tab
expect_screen 'csv +html +latex +md +text' "a second Tab lists the candidates"
keys C-u
text 'export m'
keys Tab
expect_screen '^:export metrics *$' "Tab completes a group's subject"
keys Escape
expect_screen 'P-Value' "Esc closes the command line"
keys :
keys Up
expect_screen '^:table1 --pvall *$' "Up recalls the last command line"
keys Up
expect_screen '^:tabel1 --pval *$' "Up again: the one before"
keys Escape
keys L
expect_screen ':tabel1 --pval' "the log has the typed line"
expect_screen "did you mean table1" "and its error"
keys q

# ---- sizes ----
tm resize-window -t t -x 80 -y 24
expect_screen 'Table 1 \(t\) +group Sex' "80x24: the options line"
expect_screen 'lines 1-[0-9]+ of [0-9]+' "80x24: where the view is"
keys l l l l l l l l
expect_screen '^ Age at imaging visit \(y.*(…|~).*[0-9] \(' "80x24: the labels stay when scrolled sideways"
tm resize-window -t t -x 200 -y 60
expect_screen 'Overall +Female +Male +P-Value' "200x60 again: every column"

# v without sixel: said, the Braille drawing stays
keys 3
expect_screen 'II rhythm' "the ECG screen"
keys v
expect_screen 'cannot show images' "v without sixel says the terminal cannot show images"
keys Q
expect_screen 'EXIT=0' "Q quits"

# ---- sixel ----
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "# gnuplot is not installed: the sixel test is skipped"
    done_testing
    exit $?
fi
keys clear Enter
tm pipe-pane -t t -o "cat >'$WORK/bytes'"
keys '"$ECGFIT_BIN" tui --screen ecg --graphics sixel; echo "EXIT=$?"' Enter
expect_screen 'II rhythm' "--graphics sixel: the ECG screen"
keys v
expect_screen 'the figure \(sixel\): any key returns' "v: the figure is shown" 20
tm pipe-pane -t t
ESC=$(printf '\033')
if LC_ALL=C tr -d '\n' <"$WORK/bytes" | LC_ALL=C grep -aq "${ESC}P[0-9;]*q\"[0-9;]*.*#[0-9].*${ESC}\\\\"; then
    pass "v wrote a sixel image (ESC P ... q ... ESC \\)"
else fail "no sixel image in the terminal's bytes"; fi
keys x
expect_screen 'II rhythm' "any key: the screen is back"
if screen_text | grep -q 'any key returns'; then fail "the figure's hint stays"; else pass "the figure's hint is gone"; fi
keys Q
expect_screen 'EXIT=0' "Q quits after a figure"
ls /tmp/ecgfit-tui-*.six >/dev/null 2>&1 && [ -z "$TMPDIR" ] && diag "(a figure file of another run in /tmp)"

done_testing
