# Sourced by the benchmark scripts: wait for idle CPUs before each timed run, since the
# machines are shared. Needs IDLE_WAIT (seconds; 0 disables) set by the caller.

cpu_busy() { # percent of all CPUs busy over one second
  local a b c d e f g h t1 i1 t2 i2
  read -r _ a b c d e f g h _ < /proc/stat; t1=$((a+b+c+d+e+f+g+h)); i1=$((d+e))
  sleep 1
  read -r _ a b c d e f g h _ < /proc/stat; t2=$((a+b+c+d+e+f+g+h)); i2=$((d+e))
  echo $(( 100 - 100 * (i2 - i1) / (t2 - t1 > 0 ? t2 - t1 : 1) ))
}

wait_idle() { # until less than 15% busy, at most IDLE_WAIT seconds; prints the last reading
  local busy n=0
  [ "$IDLE_WAIT" -gt 0 ] || { echo "-"; return; }
  busy=$(cpu_busy)
  while [ "$busy" -ge 15 ] && [ "$n" -lt "$IDLE_WAIT" ]; do busy=$(cpu_busy); n=$((n + 1)); done
  echo "$busy"
}
