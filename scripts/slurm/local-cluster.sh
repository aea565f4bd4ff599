#!/usr/bin/env bash
# A throwaway single-node Slurm cluster on this machine, everything in one
# folder: a munge daemon on its own socket and key, slurmctld and slurmd on
# free ports, their state, spool and logs. For trying the job scripts of
# docs/scaling.md (and for test/cli/slurm.test.ts); not for production.
#
#   scripts/slurm/local-cluster.sh start DIR   # then: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm/local-cluster.sh stop DIR    # stops the daemons started in DIR
#
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge
# (`apt-get install -y slurm-wlm munge`). `start` exits non-zero with a
# message on stderr when anything is missing or a daemon does not come up;
# it then stops what it had started.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin" # munged, slurmctld and slurmd live there

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

stop() {
  # slurmd before slurmctld, munged last; each by the pid in its pid file
  for name in slurmd slurmctld munged; do
    local pidfile="$dir/$name.pid"
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

fail() {
  echo "local-cluster: $*" >&2
  stop
  exit 1
}

# The last lines of the given log files that exist, on one line.
logs() {
  local f
  for f in "$@"; do
    [ -s "$f" ] && printf '[%s] %s ' "${f##*/}" "$(tail -n 3 "$f" | tr '\n' ' ')"
  done
  return 0
}

# A TCP port nobody listens on (best effort; slurmctld fails loudly otherwise).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo 6817
}

start() {
  [ "$(id -u)" -eq 0 ] || fail "needs root (slurmd starts jobs as their user); running as $(id -un)"
  for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (apt-get install -y slurm-wlm munge)"
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 700 "$dir"
  mkdir -p "$dir/state" "$dir/spool"
  local host
  host=$(hostname -s 2>/dev/null || uname -n)
  host=${host%%.*}

  # munge: own key, socket, pid, log and seed files in the folder
  mungekey --create --force --keyfile="$dir/munge.key" >/dev/null 2>&1 ||
    fail "mungekey could not create a key in $dir"
  chmod 400 "$dir/munge.key"
  munged --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" >"$dir/munged.out" 2>&1 ||
    fail "munged did not start: $(logs "$dir/munged.out" "$dir/munged.log")"

  local ctld_port slurmd_port
  ctld_port=$(free_port)
  slurmd_port=$(free_port)
  [ "$slurmd_port" != "$ctld_port" ] || slurmd_port=$((ctld_port + 1))
  cat >"$dir/slurm.conf" <<EOF
# single-node test cluster written by scripts/slurm/local-cluster.sh
ClusterName=spillover-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# schedule within a second or two (a test waits on it), not every 30-60 s
SchedulerParameters=sched_interval=2,bf_interval=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
MinJobAge=3600
KillWait=10
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=2048 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$dir/plugstack.conf"
  export SLURM_CONF="$dir/slurm.conf"

  # -c: a fresh controller, no state from an earlier cluster in this folder
  slurmctld -c -f "$SLURM_CONF" >"$dir/slurmctld.out" 2>&1 ||
    fail "slurmctld did not start: $(logs "$dir/slurmctld.out" "$dir/slurmctld.log")"
  slurmd -f "$SLURM_CONF" -N "$host" >"$dir/slurmd.out" 2>&1 ||
    fail "slurmd did not start: $(logs "$dir/slurmd.out" "$dir/slurmd.log")"

  # ready when the node is idle
  local state=""
  for _ in $(seq 1 150); do
    state=$(sinfo -h -N -n "$host" -o '%t' 2>/dev/null || true)
    case "$state" in
      idle*) break ;;
    esac
    sleep 0.2
  done
  case "$state" in
    idle*) ;;
    *) fail "node $host did not become idle within 30 s (state: '${state:-none}'); logs in $dir: $(logs "$dir/slurmctld.log" "$dir/slurmd.log")" ;;
  esac
  echo "export SLURM_CONF=$dir/slurm.conf"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
