#!/bin/sh
# bench_tui.sh — how fast the terminal application answers keys on a store
# of 80,000 participants, idle and while a stage runs.
#
# Makes (once) BENCH_DIR (/tmp/ecgfit-bench-tui): a synthetic cohort of
# BENCH_N (80000) participants without ECGs (`synth --no-ecg`), a second
# small cohort with ECG files (BENCH_ECG_N, 400 people: ~290 ECGs) whose
# folder the big project uses (its eids are the big cohort's first ones),
# then `labels` and `preprocess` on it.  Then it starts `ecgfit tui` on a
# pseudo-terminal (80x24, then 200x60) and sends BENCH_KEYS (400) key
# presses spread over every screen, 40 ms apart; half of them while a stage
# runs (labels over the 80,000 rows, started from the Pipeline screen, and
# started again when it ends).  It prints, for idle and busy keys:
#   redraw: from the key read to the finished redraw (the TUI's own clock,
#           ECGFIT_TUI_TIMING), median and 99th percentile
#   echo:   from writing the key to the first byte drawn after it (includes
#           any wait before the UI thread read the key)
# and the TUI's peak RSS (VmHWM).  Target: p99 < 50 ms.
# Environment: ECGFIT (binary; ./ecgfit), BENCH_DIR, BENCH_N, BENCH_ECG_N,
# BENCH_KEYS, PYTHON3 (/usr/bin/python3).
set -eu

bin=$(cd "$(dirname "${ECGFIT:-./ecgfit}")" && pwd)/$(basename "${ECGFIT:-./ecgfit}")
dir=${BENCH_DIR:-/tmp/ecgfit-bench-tui}
n=${BENCH_N:-80000}
necg=${BENCH_ECG_N:-400}
keys=${BENCH_KEYS:-400}
py=${PYTHON3:-/usr/bin/python3}

if [ ! -f "$dir/big/ecgfit.h5" ]; then
    echo "making the project in $dir (once)..."
    rm -rf "$dir"
    mkdir -p "$dir"
    "$bin" -q synth "$dir/ecgs" --n "$necg" >/dev/null
    "$bin" -q synth "$dir/big" --n "$n" --no-ecg >/dev/null
    "$bin" -q init "$dir/big" --main-csv "$dir/big/ukb_main.csv" --ecg-dir "$dir/ecgs/ecg" --force >/dev/null
    "$bin" -q -C "$dir/big" labels >/dev/null
    "$bin" -q -C "$dir/big" preprocess >/dev/null
fi
"$bin" -C "$dir/big" report >/dev/null 2>&1 || true

BIN=$bin DIR=$dir/big KEYS=$keys "$py" - <<'EOF'
import os, pty, select, signal, statistics, struct, fcntl, termios, time

bin_, proj, nkeys = os.environ["BIN"], os.environ["DIR"], int(os.environ["KEYS"])
timing = "/tmp/ecgfit-bench-tui-timing.txt"

def percentile(v, q):
    v = sorted(v)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))
    return v[k]

def peak(pid):
    """The process's peak resident set so far, in kB (VmHWM)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0

def run(rows, cols, nkeys):
    if os.path.exists(timing):
        os.remove(timing)
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               ECGFIT_TUI_TIMING=timing)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(proj)
        os.execve(bin_, [bin_, "tui"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)

    def drain(t):
        """Read output for t seconds; the time of the first byte (or None)."""
        first = None
        end = time.monotonic() + t
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return first
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return first
                if data and first is None:
                    first = time.monotonic()

    drain(1.5)
    # every screen, its movement keys; Enter on labels starts the stage (Pipeline)
    tour = ["1", "j", "k", "j", "2", "j", "l", "+", "-", "d", "h", "k", "3", "4", "5", "?", "j", "q",
            "L", "k", "q", "\t", "\t", "1", "j", "k"]
    echo_idle, echo_busy, busy_flags = [], [], []
    started = False
    hwm_idle = 0
    for i in range(nkeys):
        busy = i >= nkeys // 2
        if busy and not started:
            hwm_idle = peak(pid)
        if busy and not started or (busy and i % 60 == 0):
            # Pipeline, top stage (labels), Enter twice (it is done: the
            # second confirms): labels over every row;
            # again now and then, since it ends after a few seconds
            for k in ["2", "k", "k", "k", "k", "\r", "\r"]:
                os.write(fd, k.encode())
                drain(0.05)
            started = True
        key = tour[i % len(tour)]
        if busy and key == "2":
            key = "1"   # keep off the Pipeline's Enter
        t0 = time.monotonic()
        os.write(fd, key.encode())
        first = drain(0.04)
        (echo_busy if busy else echo_idle).append((first - t0) * 1e3 if first else float("nan"))
    hwm = peak(pid)
    os.write(fd, b"Q")
    drain(3)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    redraw = [float(x) for x in open(timing).read().split()]
    return redraw, echo_idle, echo_busy, hwm_idle, hwm

for rows, cols in ((24, 80), (60, 200)):
    redraw, ei, eb, hwm_idle, hwm = run(rows, cols, nkeys)
    ei = [x for x in ei if x == x]
    eb = [x for x in eb if x == x]
    print("%dx%d: %d keys (%d while labels ran over the rows)" % (cols, rows, nkeys, nkeys // 2))
    print("  redraw (key read -> redraw done): median %.2f ms  p99 %.2f ms  max %.2f ms  (%d)" %
          (statistics.median(redraw), percentile(redraw, 0.99), max(redraw), len(redraw)))
    print("  echo idle (key written -> first byte): median %.2f ms  p99 %.2f ms" %
          (statistics.median(ei), percentile(ei, 0.99)))
    print("  echo busy (key written -> first byte): median %.2f ms  p99 %.2f ms" %
          (statistics.median(eb), percentile(eb, 0.99)))
    print("  peak RSS %.1f MB browsing; %.1f MB once labels ran inside it" % (hwm_idle / 1024.0, hwm / 1024.0))
EOF
