# tmux.sh — driving a terminal program in a detached tmux server, for the
# TUI tests (sourced after lib.sh).  The pane is session "t" of a private
# server on $WORK/tmux.sock; the caller starts it with `tm new-session`.
# TMUX_KEY_PAUSE (seconds) waits after each key; TMUX_BAIL_ON_EXIT=1 stops
# the test when a check fails after the program under test printed EXIT=.
SOCK="$WORK/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
screen_text() { tm capture-pane -p -J -t t; }
# wait_for PATTERN [SECONDS]: until the pane shows PATTERN (grep -E).
wait_for() {
    local n=0 max=$((${2:-10} * 10))
    while [ $n -lt $max ]; do
        if screen_text | grep -Eq -- "$1"; then return 0; fi
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}
# expect_screen PATTERN DESCRIPTION [SECONDS]
expect_screen() {
    if wait_for "$1" "${3:-10}"; then pass "$2"; else
        fail "$2: the screen lacks /$1/"; screen_text | sed 's/^/# |/'
        if [ "${TMUX_BAIL_ON_EXIT:-0}" = 1 ]; then
            case $1 in *EXIT*) ;; *)
                if screen_text | grep -q 'EXIT='; then echo "Bail out! the TUI is gone"; exit 1; fi ;;
            esac
        fi
    fi
}
keys() {
    tm send-keys -t t "$@"
    if [ "${TMUX_KEY_PAUSE:-0}" != 0 ]; then sleep "$TMUX_KEY_PAUSE"; fi
}
