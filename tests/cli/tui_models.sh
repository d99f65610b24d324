#!/bin/sh
# tui_models.sh — the Models and Result screens driven through tmux on a
# small synthetic project with one model trained from the command line:
# the rows equal `ecgfit report`'s cells; a model ticked and run from the
# screen appears as a row; s sorts by R2 (high first); / filters; e exports
# the table as report --format md does; Enter opens a result with both
# plots, the top features and the hyper-parameters; g writes the gnuplot
# figures (when gnuplot is installed); 80x24 <-> 200x60; help lists the
# keys.  Skipped without tmux.
. "${top_srcdir:-.}/tests/cli/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed (apt-get install tmux)"
    exit 0
fi
UTF8=$(locale -a 2>/dev/null | grep -ixE 'c\.utf-?8' | head -n 1)
[ -n "$UTF8" ] || UTF8=C.UTF-8

P="$WORK/proj"
if ! ecgfit synth --n 800 "$P" >"$WORK/synth.log" 2>&1 || ! ecgfit -C "$P" labels -q >"$WORK/labels.log" 2>&1 ||
    ! ecgfit -C "$P" train --target grip_left --features basic --model lasso >"$WORK/train.log" 2>&1; then
    fail "synth + labels + train"; cat "$WORK/synth.log" "$WORK/labels.log" "$WORK/train.log" | sed 's/^/# /'
    done_testing; exit 1
fi

TMUX_BAIL_ON_EXIT=1
. "${top_srcdir:-.}/tests/cli/tmux.sh"

# The report's cells of every row (target features model n r R2 MAE RMSE),
# one line each, single spaces: what the screen must show, in its order.
report_rows() {
    ecgfit -C "$P" report --format md |
        awk -F'|' '/^\| / && !/^\| target/ {
            for (i = 2; i <= NF; i++) { gsub(/^ +| +$/, "", $i) }
            print $2, $4, $5, $6, $7, $8, $9, $10 }'
}
# The screen's result rows with runs of spaces squeezed.
screen_rows() { screen_text | tr -s ' ' | sed 's/^ //'; }
rows_match() {
    local want have missing=0
    want=$(report_rows)
    have=$(screen_rows)
    [ -n "$want" ] || return 1
    printf '%s\n' "$want" | while IFS= read -r line; do
        printf '%s\n' "$have" | grep -qF -- "$line" || { echo "missing: $line"; }
    done
}

tm new-session -d -s t -x 200 -y 60 "env -u TMUX LC_ALL=$UTF8 PS1='prompt$ ' ECGFIT_BIN='$ECGFIT_BIN' ECGFIT_REAL_BIN='$ECGFIT_REAL_BIN' sh"
tm set-option -g status off >/dev/null
keys "cd '$P'" Enter
keys '"$ECGFIT_BIN" -C . tui --screen models; echo "EXIT=$?"' Enter
expect_screen 'targets +\[x\] vo2max \(n [0-9,]+\)' "Models: the targets with their n, the first one ticked"
expect_screen 'features +\[x\] basic +\[ \] ecg +\[ \] full +\[ \] ecg-params' "Models: the feature sets to tick"
expect_screen 'models +\[x\] lasso +\[ \] elasticnet +\[ \] xgboost +\[ \] mlp' "Models: the model types to tick"
expect_screen 'khurshid-basic' "Models: the published equations to tick"
expect_screen 'grip_left +basic +lasso' "Models: the trained model's row"

# the rows are report's numbers
wait_for 'R2 \[95% CI\]' 5
miss=$(rows_match)
if [ -z "$miss" ] && [ -n "$(report_rows)" ]; then pass "Models rows carry report's cells (n, r, R2, MAE, RMSE)"
else fail "Models rows differ from report"; printf '%s\n' "$miss" | sed 's/^/# /'; screen_text | sed 's/^/# |/'; fi

# tick xgboost (vo2max and basic are ticked) and run it: the row appears
keys j j l l Space
expect_screen '\[x\] lasso +\[ \] elasticnet +\[x\] xgboost' "Space ticks xgboost"
keys Enter
expect_screen 'vo2max +basic +lasso +[0-9]' "the trained lasso row appears" 60
expect_screen 'vo2max +basic +xgboost +[0-9]' "the trained xgboost row appears" 60
expect_screen 'train: done' "the bottom line says train is done" 60
miss=$(rows_match)
if [ -z "$miss" ]; then pass "after training, the rows still equal report's"
else fail "rows differ from report after training"; printf '%s\n' "$miss" | sed 's/^/# /'; fi

# s six times: target, features, model, n, r, R2
keys s s s s s s
expect_screen 'results on the test rows, by R2 \(high first\)' "s cycles to the R2 column"
# the expected order: report's rows by their R2 estimate, high first
want=$(ecgfit -C "$P" report --format md | awk -F'|' '/^\| / && !/^\| target/ {
        for (i = 2; i <= NF; i++) { gsub(/^ +| +$/, "", $i) }
        split($8, e, " "); print e[1] "\t" $2 " " $4 " " $5 }' | sort -t "$(printf '\t')" -k1,1gr | cut -f2)
have=$(screen_rows | grep -E '^(grip_left|vo2max) (basic|fixed) ' | cut -d' ' -f1-3)
if [ -n "$want" ] && [ "$want" = "$have" ]; then pass "rows ordered by R2, high first"
else fail "rows not ordered by R2"; printf 'want %s\n' $want | sed 's/^/# /'; screen_text | sed 's/^/# |/'; fi
keys S
expect_screen 'results on the test rows, by R2 \(low first\)' "S reverses the sort"

# / filters
keys / x g b
expect_screen 'filter: xgb_ +\(1 of 3 results' "/ filters as typed"
keys Enter
expect_screen '1 result on the test rows matching "xgb"' "Enter keeps the filter"
keys /
keys Escape
expect_screen '^ *3 results' "Esc clears the filter"

# e exports as report --format md
keys e BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace m o d e l s . m d Enter
expect_screen "exported the results table to .*/models\\.md" "e exports and shows the path"
ecgfit -C "$P" report --format md -o "$WORK/report.md" >/dev/null 2>&1
if [ -f "$P/models.md" ] && cmp -s "$P/models.md" "$WORK/report.md"; then pass "the export equals report --format md"
else fail "export differs from report --format md"; diff "$P/models.md" "$WORK/report.md" | head -5 | sed 's/^/# /'; fi

# help lists the keys
keys '?'
expect_screen 'Keys of the Models screen' "?: the Models screen's keys"
expect_screen 'sort by the next column' "help lists s"
keys q

# Enter on a row: the Result screen with both plots
keys Home
keys k k k k k k j j j j
keys Enter
expect_screen 'Predicted \(y\) vs measured \(x\)' "Result: the scatter's title"
expect_screen 'Bland-Altman: predicted - measured' "Result: the Bland-Altman plot's title"
expect_screen 'bias -?[0-9.]+ \[' "Result: the bias and limits of agreement"
expect_screen '[⠁-⣿]' "Result: the Braille canvas is drawn"
expect_screen '┤' "Result: axes with ticks"
expect_screen 'Top [0-9]+ of [0-9]+ features, by' "Result: the top features"
expect_screen 'chosen: ' "Result: the chosen hyper-parameters"
expect_screen 'CV R2: -?[0-9.]+ \(SD' "Result: the CV score"
keys '?'
expect_screen 'Keys of the Result screen' "?: the Result screen's keys"
expect_screen 'write the figures with gnuplot' "help lists g"
keys q
expect_screen 'Bland-Altman' "q from help goes back to the result"
if command -v gnuplot >/dev/null 2>&1; then
    keys g
    expect_screen "figures written in .*: scatter-" "g writes the figures and names them" 30
    n=$(ls "$P"/scatter-*.png "$P"/bland-altman-*.png 2>/dev/null | wc -l)
    if [ "$n" -ge 2 ]; then pass "the scatter and Bland-Altman PNGs exist"
    else fail "figures missing"; ls "$P" | sed 's/^/# /'; fi
else
    pass "# SKIP gnuplot is not installed: g is not tried"
fi

# 80x24
tm resize-window -t t -x 80 -y 24
expect_screen 'Predicted vs measured' "80x24: the result redraws"
expect_screen '^ *MAE [0-9.]+ \[' "80x24: the metrics take two lines, uncut"
keys Escape
expect_screen 'target +features +model' "Esc goes back to the Models screen"
expect_screen 'vo2max +basic +xgboost' "80x24: the rows fit"
# capture-pane -J joins wrapped lines: a line that overflowed is wider than 80
if [ "$(screen_text | LC_ALL=$UTF8 wc -L)" -le 80 ]; then pass "80x24: no line is wider than the window"
else fail "80x24: a line overflows"; fi
tm resize-window -t t -x 200 -y 60
expect_screen 'R2 \[95% CI\]' "200x60: the CIs come back"

keys q
expect_screen 'EXIT=0' "q quits from the Models screen"

# the C locale at 80x24: ASCII only, the Result's canvas too
tm resize-window -t t -x 80 -y 24
keys clear Enter
keys 'LC_ALL=C "$ECGFIT_REAL_BIN" tui --screen models; echo "EXIT=$?"' Enter
expect_screen 'dR2' "C locale: the Delta R2 column in ASCII"
keys End Enter
expect_screen 'Predicted vs measured +-- identity' "C locale: the result opens"
expect_screen '^ *[0-9]+\+' "C locale: ASCII axis ticks"
if screen_text | LC_ALL=C grep -q '[^ -~]'; then fail "C locale: something non-ASCII was drawn"; screen_text | sed 's/^/# |/'
else pass "C locale: only ASCII drawn"; fi
keys q q
expect_screen 'EXIT=0' "C locale: q back, q quits"
done_testing
