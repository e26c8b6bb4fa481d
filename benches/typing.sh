#!/usr/bin/env bash
# Typing in `/` in the real binary, in tmux: per keystroke, how long until the first screen of
# the new result is on screen and how long until the complete result is.
#
#   benches/typing.sh DIR [WORD]          (WORD defaults to deleteobject)
#
# Starts `$TRAILSCOPE --no-save DIR` in a fresh tmux server (private socket `tmux -L tstype`,
# 120x30), waits until the status bar reads `loaded in` and the app is idle, presses `/`, then
# types WORD one character at a time. After each key it polls `tmux capture-pane` every POLL
# seconds and reads the count in the status bar
# (`N of M events match`, `N+ of M…` while a preview is shown):
#   first screen  the first capture whose count differs from the last key's complete count;
#   complete      the first capture whose count differs and has no `+` and no `filtering…`.
# A key whose complete count equals the last key's cannot be told from a key not yet handled:
# it is reported as `unchanged`, without times. Figures include tmux's redraw and up to one
# poll interval plus a capture (a few milliseconds).
#
# Environment:
#   TRAILSCOPE  trailscope binary               (default target/release/trailscope)
#   TIMEOUT     seconds to wait for the load    (default 600)
#   POLL        seconds between captures        (default 0.01)
set -euo pipefail
export LC_ALL=C.UTF-8
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: benches/typing.sh DIR [WORD]" >&2; exit 2; }
DIR=$1
WORD=${2:-deleteobject}
TRAILSCOPE=${TRAILSCOPE:-target/release/trailscope}
TIMEOUT=${TIMEOUT:-600}
POLL=${POLL:-0.01}
command -v tmux >/dev/null || { echo "typing.sh: needs tmux" >&2; exit 2; }
SOCKET=tstype
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true' EXIT
tmux -L "$SOCKET" -f /dev/null new-session -d -s s -x 120 -y 30 \
  "$TRAILSCOPE" --no-save "$DIR"
screen() { tmux -L "$SOCKET" capture-pane -p -t s 2>/dev/null || true; }
count() { grep -o '[0-9,]*+\? of [0-9,]* events match' <<<"$1" | head -1 || true; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
loaded=
for _ in $(seq 1 $((TIMEOUT * 4))); do
  case "$(screen | tail -1)" in *"loaded in"*) loaded=1; break ;; esac
  sleep 0.25
done
[ -n "$loaded" ] || { echo "typing.sh: not loaded after ${TIMEOUT}s" >&2; exit 1; }
# The cross-event detection rules run once more after a load; let them finish.
sleep 5
echo "$(screen | tail -1 | tr -s ' ')"
tmux -L "$SOCKET" send-keys -t s /
sleep 1
last="all events"
typed=
for ((i = 0; i < ${#WORD}; i++)); do
  c=${WORD:i:1}
  typed+=$c
  start=$(now_ms)
  tmux -L "$SOCKET" send-keys -t s -l -- "$c"
  first= complete= shown=
  while [ $(( $(now_ms) - start )) -lt 3000 ]; do
    # Not a busy loop: each capture forks a tmux client, and polling flat out takes a core
    # from the scan it is timing.
    sleep "$POLL"
    s=$(screen)
    shown=$(count "$s")
    if [ -n "$shown" ] && [ "$shown" != "$last" ]; then
      [ -n "$first" ] || first=$(( $(now_ms) - start ))
      case "$shown" in *+*) continue ;; esac
      case "$s" in *"filtering…"*) continue ;; esac
      complete=$(( $(now_ms) - start ))
      break
    fi
  done
  if [ -z "$complete" ]; then
    printf '%-16s unchanged (%s)\n' "$typed" "${shown:-no count}"
    last=$(count "$(screen)")
  else
    printf '%-16s first screen %5d ms, complete %5d ms  (%s)\n' "$typed" "$first" "$complete" "$shown"
    last=$shown
  fi
done
