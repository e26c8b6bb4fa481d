#!/usr/bin/env bash
# The app fully loaded: how long until the status bar reads `loaded in`, and peak RSS.
#
#   benches/full_load.sh DIR
#
# Starts `$TRAILSCOPE --no-save DIR` under GNU time in a fresh tmux server (private socket
# `tmux -L tsfull`, 120x30), polls the status bar every 0.5 s until it reads `loaded in`, prints
# it (the figure is the app's own: from the start of the load to the loader's end), presses
# `q` and prints how long the process took to exit (the cross-event rules' final run and
# tearing the store down), its wall time and its peak RSS (in MiB and in bytes).
#
# Environment:
#   TRAILSCOPE  trailscope binary                       (default target/profiling/trailscope)
#   TIMEOUT     seconds to wait for the load            (default 1800)
set -euo pipefail
export LC_ALL=C
[ $# -eq 1 ] || { echo "usage: benches/full_load.sh DIR" >&2; exit 2; }
DIR=$1
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
TIMEOUT=${TIMEOUT:-1800}
command -v tmux >/dev/null || { echo "full_load.sh: needs tmux" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "full_load.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
OUT=$(mktemp)
SOCKET=tsfull
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; rm -f "$OUT"' EXIT
tmux -L "$SOCKET" -f /dev/null new-session -d -s s -x 120 -y 30 \
  env DIR="$DIR" sh -c '/usr/bin/time -f "%e %M" -o "$0" "$@" --no-save "$DIR"' "$OUT" "$TRAILSCOPE"
line=
for _ in $(seq 1 $((TIMEOUT * 2))); do
  line=$(tmux -L "$SOCKET" capture-pane -p -t s 2>/dev/null | tail -1)
  case "$line" in *"loaded in"*) break ;; esac
  sleep 0.5
done
case "$line" in *"loaded in"*) ;; *) echo "full_load.sh: not loaded after ${TIMEOUT}s: $line" >&2; exit 1 ;; esac
echo "status bar: $(echo "$line" | tr -s ' ')"
start=$(date +%s%N)
tmux -L "$SOCKET" send-keys -t s q
while tmux -L "$SOCKET" has-session -t s 2>/dev/null; do sleep 0.2; done
read -r wall rss < "$OUT"
# GNU time reports KiB: print MiB (what earlier runs printed as "MB") and bytes, for ratios.
echo "q -> exit $(( ($(date +%s%N) - start) / 1000000 )) ms; process ${wall} s; peak RSS $((rss / 1024)) MiB ($((rss * 1024)) bytes)"
