#!/bin/sh
# local-slurm.sh — start a one-node SLURM cluster on this machine (as root),
# for tests/cli/slurm.sh: munged, slurmctld and slurmd from Debian's
# slurm-wlm and munge, one partition "debug" with this machine's cores.
# Usage: tests/slurm/local-slurm.sh start|stop.  CI runs `start` after
# installing the packages; the test skips when no controller answers.
set -eu

host=$(hostname -s)
cpus=$(nproc)
conf=/etc/slurm/slurm.conf

case "${1:-start}" in
stop)
    for d in slurmd slurmctld munged; do pkill -x "$d" 2>/dev/null || true; done
    exit 0
    ;;
start) ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

[ "$(id -u)" -eq 0 ] || { echo "$0: must run as root" >&2; exit 1; }
command -v slurmctld >/dev/null || { echo "$0: slurm-wlm is not installed" >&2; exit 1; }

# munge: a key, then the daemon (as its own user, as Debian's unit runs it)
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 2>/dev/null
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > "$conf" <<CONF
ClusterName=ecgfit-ci
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerParameters=sched_interval=1
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

# wait until the node takes work
i=0
while [ "$i" -lt 30 ]; do
    if sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; then
        sinfo
        exit 0
    fi
    sleep 1
    i=$((i + 1))
done
echo "$0: the node did not come up; slurmctld/slurmd logs:" >&2
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
