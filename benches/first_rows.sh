#!/usr/bin/env bash
# Time to first rows: from starting the TUI on DIR until the first event row is on screen.
#
#   benches/first_rows.sh DIR                 trailscope --no-save DIR
#   benches/first_rows.sh -- open NAME        trailscope open NAME (any arguments after --)
#
# Each run starts a fresh tmux server (private socket `tmux -L tsbench`, 120x30) whose window
# runs `sh -c 'date +%s%N > T0; exec "$TRAILSCOPE" DIR'`: the clock starts in that shell, just
# before the exec, so the figure includes process start. The script then polls
# `tmux capture-pane -p` about every 10 ms until a line holds an event row (a table cell that
# starts with a timestamp, `│20YY-`, or `│  20YY-` once findings add the table's gutter),
# takes the time, sends `q` and kills the tmux server.
# The figure includes tmux's redraw and up to one polling interval; the polling itself costs a
# little CPU on the same machine.
#
# Environment:
#   TRAILSCOPE  trailscope binary                  (default target/profiling/trailscope)
#   RUNS        runs; the median is reported       (default 5)
#   TIMEOUT     seconds to wait for rows per run   (default 60)
#   IDLE_WAIT   before each run wait up to this many seconds until the CPUs are less than 15%
#               busy over one second; 0 disables   (default 120)
set -euo pipefail
export LC_ALL=C

die() { echo "first_rows.sh: $*" >&2; exit 2; }
[ $# -ge 1 ] || die "usage: benches/first_rows.sh DIR | benches/first_rows.sh -- ARGS..."
if [ "$1" = "--" ]; then
  shift
  ARGS=("$@")
  DIR=
else
  [ $# -eq 1 ] || die "usage: benches/first_rows.sh DIR | benches/first_rows.sh -- ARGS..."
  DIR=$1
fi
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
RUNS=${RUNS:-5}
TIMEOUT=${TIMEOUT:-60}
IDLE_WAIT=${IDLE_WAIT:-120}
SOCKET=tsbench

[ -z "$DIR" ] || [ -e "$DIR" ] || die "'$DIR' does not exist"
[ -x "$TRAILSCOPE" ] || die "trailscope binary '$TRAILSCOPE' not found or not executable (cargo build --profile profiling, or set TRAILSCOPE=/path/to/trailscope)"
command -v tmux >/dev/null || die "tmux is not on PATH (apt-get install tmux)"
if tmux -L "$SOCKET" has-session 2>/dev/null; then
  die "a tmux server is already running on socket '$SOCKET' (tmux -L $SOCKET kill-server)"
fi
TRAILSCOPE=$(cd "$(dirname "$TRAILSCOPE")" && pwd)/$(basename "$TRAILSCOPE")
if [ -n "$DIR" ]; then
  case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
  # Reading files is what is measured, not saving them as an investigation.
  ARGS=(--no-save "$DIR")
fi
LABEL="${ARGS[*]}"

WORK=$(mktemp -d)
cleanup() { tmux -L "$SOCKET" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# shellcheck source=benches/idle.sh
source "$(dirname "${BASH_SOURCE[0]}")/idle.sh"

# The command tmux runs: arguments passed positionally so no path needs quoting in the script.
INNER='date +%s%N > "$0"; exec "$@"'

results=()
for ((i = 1; i <= RUNS; i++)); do
  busy=$(wait_idle)
  rm -f "$WORK/t0"
  tmux -L "$SOCKET" -f /dev/null new-session -d -s first -x 120 -y 30 \
    sh -c "$INNER" "$WORK/t0" "$TRAILSCOPE" "${ARGS[@]}"
  deadline=$(( $(date +%s) + TIMEOUT ))
  t1=
  while :; do
    if tmux -L "$SOCKET" capture-pane -p -t first 2>/dev/null | grep -qE '│ {0,2}20[0-9]{2}-'; then
      t1=$(date +%s%N); break
    fi
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 0.01
  done
  tmux -L "$SOCKET" send-keys -t first q 2>/dev/null || true
  sleep 0.2
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  [ -n "$t1" ] || die "run $i: no event row on screen after ${TIMEOUT}s"
  [ -s "$WORK/t0" ] || die "run $i: the start time was not recorded"
  ms=$(( (t1 - $(cat "$WORK/t0")) / 1000000 ))
  echo "run $i: first rows after $ms ms (CPU ${busy}% busy before)"
  results+=("$ms")
  sleep 0.5
done

median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}')
echo "first rows, $LABEL: median ${median} ms of $RUNS runs (all: ${results[*]} ms)"
