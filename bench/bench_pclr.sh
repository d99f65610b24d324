#!/bin/sh
# bench_pclr.sh — the C inference engine on the full PCLR architecture
# (random weights) against OpenBLAS's sgemm peak and PyTorch, in one run.
#
# Times, at 1 and 2 threads: bench/bench_pclr (ef_nn_run on BENCH_BATCH ECGs
# of 4096x12), a 2048^3 sgemm (the peak the engine's GEMMs can reach), and
# bench/torch_pclr.py (the same network in Debian's python3-torch,
# torch.set_num_threads).  Prints ECGs/s, GFLOP/s, the ratios and the
# engine's peak RSS.  Targets: >= 60% of the sgemm peak and >= 1.0x PyTorch
# at 2 threads; peak RSS < 300 MB.
# Environment: BENCH_BIN (folder of bench_pclr; default ./bench), BENCH_BATCH (16),
# BENCH_SECONDS (3 per measurement), BENCH_REPEAT (3 rounds, best kept), BENCH_MB (runner micro-batch, 0 = default),
# PYTHON3 (/usr/bin/python3), OPENBLAS_CORETYPE (see below), ECGFIT_GEMM (openblas|own|auto:
# the engine's GEMM; its choice is printed as "gemm").
# Every figure is the best over the rounds (the timings inside are best-of too).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${BENCH_BIN:-./bench}
batch=${BENCH_BATCH:-16}
secs=${BENCH_SECONDS:-3}
mb=${BENCH_MB:-0}
py=${PYTHON3:-/usr/bin/python3}
repeat=${BENCH_REPEAT:-3}
have_torch=no
if "$py" -c 'import torch' 2>/dev/null; then
    have_torch=yes
else
    echo "PyTorch missing (Debian: apt-get install python3-torch): no comparison"
fi

# OpenBLAS picks its kernels from the CPU unless OPENBLAS_CORETYPE says
# otherwise (some environments force Haswell = AVX2); the core in use is printed.
echo "cores: $(nproc) (shared machine: expect noise); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# best of BENCH_REPEAT rounds, each timing everything once (the machine is shared)
peak= ours= t1= t2=
i=0
while [ "$i" -lt "$repeat" ]; do
    peak="$peak
$("$bin/bench_pclr" peak)"
    ours="$ours
$("$bin/bench_pclr" "$batch" "$secs" "$mb")"
    if [ "$have_torch" = yes ]; then
        t1="$t1
$("$py" "$here/torch_pclr.py" "$batch" 1 "$secs")"
        t2="$t2
$("$py" "$here/torch_pclr.py" "$batch" 2 "$secs")"
    fi
    i=$((i + 1))
done
best() {  # best TEXT KEY: the largest value following KEY
    echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k && $(i + 1) + 0 > m) m = $(i + 1) + 0 } END { print m + 0 }'
}
echo "OpenBLAS kernels: $(echo "$peak" | sed -n 's/^openblas_core //p' | sort -u | tr '\n' ' ')"
echo "$ours" | grep -E '^(layers|gflop|batch|gemm)' | sort -u | tr '\n' ' '; echo
e1=$(best "$ours" ecg_per_s_1); e2=$(best "$ours" ecg_per_s_2)
g1=$(best "$ours" gflops_1); g2=$(best "$ours" gflops_2)
p1=$(best "$peak" sgemm_peak_1); p2=$(best "$peak" sgemm_peak_2)
q1=$(best "$t1" ecg_per_s_1); q2=$(best "$t2" ecg_per_s_2)
rss=$(best "$ours" peak_rss_mb)
tv=$(echo "$t1" | sed -n 's/^torch \([^ ]*\).*/\1/p' | head -n 1)
awk -v e1="$e1" -v e2="$e2" -v g1="$g1" -v g2="$g2" -v p1="$p1" -v p2="$p2" -v q1="$q1" -v q2="$q2" \
    -v rss="$rss" -v tv="${tv:-none}" 'BEGIN {
    printf "%-8s %9s %9s %14s %10s %14s %10s\n", "threads", "ECGs/s", "GFLOP/s", "sgemm GFLOP/s", "of peak", "torch ECGs/s", "x torch";
    printf "%-8d %9.2f %9.1f %14.1f %9.0f%% %14.2f %10.2f\n", 1, e1, g1, p1, 100 * g1 / p1, q1, (q1 > 0) ? e1 / q1 : 0;
    printf "%-8d %9.2f %9.1f %14.1f %9.0f%% %14.2f %10.2f\n", 2, e2, g2, p2, 100 * g2 / p2, q2, (q2 > 0) ? e2 / q2 : 0;
    printf "PyTorch %s; ecgfit peak RSS %.1f MB\n", tv, rss;
    printf "targets at 2 threads: >= 60%% of sgemm peak (%s), >= 1.0x PyTorch (%s); RSS < 300 MB (%s)\n",
        (g2 / p2 >= 0.6) ? "met" : "NOT met", (q2 <= 0) ? "not measured" : ((e2 / q2 >= 1) ? "met" : "NOT met"),
        (rss < 300) ? "met" : "NOT met";
}'
