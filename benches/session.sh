#!/usr/bin/env bash
# Saved investigations: saving DIR as one, its size on disk, and reopening it.
#
#   benches/session.sh [DIR]            (default /tmp/gen1m)
#
# 1. Create: in a fresh tmux server (private socket `tmux -L tssession`, 120x30) the window runs
#    `sh -c 'date +%s%N > T0; /usr/bin/time -f "%e %M" -o T "$@"; date +%s%N > EXIT'` with
#    `TRAILSCOPE_DATA_DIR=<fresh dir> trailscope --save big DIR`, polls `tmux capture-pane -p`
#    every ~50 ms until the status bar reads `files loaded in`, then, alternately:
#      wait  polls `trailscope sessions list` every ~0.5 s until it reports all of DIR's events
#            (time to save them all, from process start), then presses q: q → process exit is
#            the final save of the state alone;
#      quit  presses q at once: q → process exit is the final save of every event not saved yet
#            (it runs after the terminal is restored, before the process exits); afterwards
#            `sessions list` must report all the events.
#    Peak RSS from GNU time. After each run: sessions.db (+ -wal) size, blocks and their
#    bytes (python3's sqlite3, read-only). The last run's database is the one reopened below.
# 2. Size: the gzipped source (sum of file sizes and du -b), its uncompressed size (zcat | wc -c),
#    and DuckDB peers in persisted files: `raw` = one row per event (eventTime VARCHAR, the record
#    as JSON text, read with read_json_objects + from_json, as benches/peers.sh reads), `typed` =
#    the same records as typed columns (from_json with the json_group_structure of every record,
#    built from `raw`). Both with preserve_insertion_order = false (out of memory otherwise).
# 3. First rows: benches/first_rows.sh -- open big (TRAILSCOPE_DATA_DIR set), then
#    benches/first_rows.sh DIR, RUNS each; DuckDB: a fresh python process per run, timed inside
#    from duckdb.connect(file, read_only) to fetchall() of 30 rows, with and without
#    ORDER BY eventTime, on both files (process wall including python start and import printed too).
# 4. Full load: alternately `trailscope open big` and `trailscope --no-save DIR`, RUNS each, in
#    tmux until the status bar reads `loaded in`: its "loaded in X (first rows Y)", the event
#    count on screen, peak RSS (GNU time, process lifetime), and the status line itself.
#    At the end `sessions list` must still report all the events for big.
#
# Environment:
#   TRAILSCOPE     trailscope binary                          (default target/profiling/trailscope)
#   RUNS           runs for steps 3 and 4                     (default 5)
#   CREATE_RUNS    runs of each create mode in step 1         (default 2, i.e. 4 creates)
#   DUCKDB_PYTHON  python with the duckdb package; empty skips DuckDB (default /tmp/bench-venv/bin/python)
#   TIMEOUT        seconds to wait for a load, a save or an exit (default 600)
#   IDLE_WAIT      before each heavy step wait up to this many seconds until the CPUs are less
#                  than 15% busy over one second; 0 disables  (default 120)
#   KEEP           1 keeps the work directory (databases) and prints its path (default 0)
set -euo pipefail
export LC_ALL=C

die() { echo "session.sh: $*" >&2; exit 2; }
[ $# -le 1 ] || die "usage: benches/session.sh [DIR]"
DIR=${1:-/tmp/gen1m}
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
RUNS=${RUNS:-5}
CREATE_RUNS=${CREATE_RUNS:-2}
DUCKDB_PYTHON=${DUCKDB_PYTHON-/tmp/bench-venv/bin/python}
TIMEOUT=${TIMEOUT:-600}
IDLE_WAIT=${IDLE_WAIT:-120}
KEEP=${KEEP:-0}
NAME=big
SOCKET=tssession
HERE=$(cd "$(dirname "$0")" && pwd)

[ -e "$DIR" ] || die "'$DIR' does not exist (trailscope-fake generate -n 1000000 -o /tmp/gen1m)"
case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
[ -x "$TRAILSCOPE" ] || die "trailscope binary '$TRAILSCOPE' not found or not executable (cargo build --profile profiling, or set TRAILSCOPE=/path/to/trailscope)"
TRAILSCOPE=$(cd "$(dirname "$TRAILSCOPE")" && pwd)/$(basename "$TRAILSCOPE")
command -v tmux >/dev/null || die "tmux is not on PATH (apt-get install tmux)"
[ -x /usr/bin/time ] || die "GNU time is needed as /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || die "python3 is needed (its sqlite3 module reads the block sizes)"
if [ -n "$DUCKDB_PYTHON" ]; then
  "$DUCKDB_PYTHON" -c 'import duckdb' 2>/dev/null \
    || die "no duckdb in '$DUCKDB_PYTHON' (python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install duckdb; or DUCKDB_PYTHON= to skip)"
fi
for s in $SOCKET tsbench; do
  if tmux -L "$s" has-session 2>/dev/null; then
    die "a tmux server is already running on socket '$s' (tmux -L $s kill-server)"
  fi
done

WORK=$(mktemp -d /tmp/tssession.XXXXXX)
cleanup() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# shellcheck source=benches/idle.sh
source "$(dirname "${BASH_SOURCE[0]}")/idle.sh"
median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
# "1.2 s" / "830 ms" → milliseconds
to_ms() { awk -v t="$1" 'BEGIN {split(t, p, " "); if (p[2] == "s") printf "%d", p[1] * 1000 + 0.5; else printf "%d", p[1]}'; }
status_line() { tmux -L "$SOCKET" capture-pane -p -t s 2>/dev/null | tail -1 | sed 's/ *$//'; }
sessions() { TRAILSCOPE_DATA_DIR=$1 "$TRAILSCOPE" sessions list 2>/dev/null; }
saved_events() { sessions "$1" | awk -F'\t' -v n="$NAME" '$1 == n {split($2, p, " "); print p[1]}'; }
db_bytes() { # sessions.db + -wal (the -shm file is a 32 KB index of the WAL, not data)
  local t=0 f
  for f in "$1/sessions.db" "$1/sessions.db-wal"; do
    [ -e "$f" ] && t=$((t + $(stat -c %s "$f")))
  done
  echo "$t"
}
db_files() { ls -l "$1" | awk 'NR > 1 {printf "%s %s B; ", $NF, $5}'; }
blocks() { # "BLOCKS BLOB_BYTES EVENTS" of investigation NAME
  python3 - "$1/sessions.db" "$NAME" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(*c.execute("SELECT count(*), sum(length(b.data)), sum(b.events) FROM event_blocks b JOIN investigations i ON i.id = b.investigation WHERE i.name = ?", (sys.argv[2],)).fetchone())
EOF
}

# The window's command: start time, the program under GNU time, exit time.
INNER='date +%s%N > "$0"; /usr/bin/time -f "%e %M" -o "$0.time" "$@"; date +%s%N > "$0.exit"'
start_tui() { # T0FILE DATADIR ARGS...
  local t0=$1 data=$2; shift 2
  rm -f "$t0" "$t0.time" "$t0.exit"
  tmux -L "$SOCKET" -f /dev/null new-session -d -s s -x 120 -y 30 \
    env TRAILSCOPE_DATA_DIR="$data" sh -c "$INNER" "$t0" "$TRAILSCOPE" "$@"
}
wait_for() { # PATTERN: polls the status bar until it matches (ERE); prints the line
  local deadline=$(( $(date +%s) + TIMEOUT )) line
  while :; do
    line=$(status_line)
    if printf '%s' "$line" | grep -Eq "$1"; then printf '%s\n' "$line"; return 0; fi
    [ "$(date +%s)" -lt "$deadline" ] || { echo "TIMEOUT waiting for /$1/; screen:" >&2; tmux -L "$SOCKET" capture-pane -p -t s >&2 || true; return 1; }
    sleep 0.05
  done
}
wait_exit() { # T0FILE: waits for the process to exit
  local deadline=$(( $(date +%s) + TIMEOUT ))
  while [ ! -s "$1.exit" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "TIMEOUT waiting for exit; screen:" >&2; tmux -L "$SOCKET" capture-pane -p -t s >&2 || true; return 1; }
    sleep 0.01
  done
}
stop_tui() { tmux -L "$SOCKET" kill-server 2>/dev/null || true; sleep 0.5; }
# Parses a finished status line: prints "EVENTS LOADED_MS FIRST_MS"
parse_loaded() {
  local events took first
  events=$(printf '%s' "$1" | sed -E 's/^ *([0-9,]+) events.*/\1/' | tr -d ,)
  took=$(printf '%s' "$1" | sed -E 's/.* loaded in ([0-9.]+ m?s).*/\1/')
  first=$(printf '%s' "$1" | sed -nE 's/.*\(first rows ([0-9.]+ m?s)\).*/\1/p')
  echo "$events $(to_ms "$took") $(to_ms "${first:-0 ms}")"
}

echo "trailscope: $TRAILSCOPE (sha256 $(sha256sum "$TRAILSCOPE" | cut -c1-16)…)"
echo "data: $DIR; work directory: $WORK; $(nproc) CPUs"
EVENTS=$("$TRAILSCOPE" query "$DIR" -o count)
echo "events in $DIR: $EVENTS"

# ---------------------------------------------------------------------------------------------
echo
echo "== 1. create: --save $NAME $DIR =="
modes=()
for ((i = 1; i <= CREATE_RUNS; i++)); do modes+=(wait quit); done
c_load=() c_saved=() c_qexit=() c_total=() c_rss=() c_size=()
n=0
for mode in "${modes[@]}"; do
  n=$((n + 1))
  data=$WORK/create$n
  busy=$(wait_idle)
  start_tui "$WORK/t0" "$data" --save "$NAME" "$DIR"
  line=$(wait_for ' loaded in ') || die "create $n: the load did not finish"
  t_loaded=$(ms_since "$(cat "$WORK/t0")")
  read -r ev loaded _ <<< "$(parse_loaded "$line")"
  [ "$ev" = "$EVENTS" ] || echo "  WARNING: $ev events on screen, $EVENTS in $DIR"
  if [ "$mode" = wait ]; then
    deadline=$(( $(date +%s) + TIMEOUT ))
    while [ "$(saved_events "$data")" != "$EVENTS" ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "create $n: sessions list never reported $EVENTS events ($(sessions "$data"))"
      sleep 0.5
    done
    t_saved=$(ms_since "$(cat "$WORK/t0")")
    line=$(status_line)
  fi
  screen=$(tmux -L "$SOCKET" capture-pane -p -t s)
  tq=$(now)
  tmux -L "$SOCKET" send-keys -t s q
  wait_exit "$WORK/t0" || die "create $n: no exit after ${TIMEOUT}s"
  qexit=$(( ($(cat "$WORK/t0.exit") - tq) / 1000000 ))
  total=$(( ($(cat "$WORK/t0.exit") - $(cat "$WORK/t0")) / 1000000 ))
  rss=$(awk '{print int($2 / 1000)}' "$WORK/t0.time")
  stop_tui
  after=$(saved_events "$data")
  size=$(db_bytes "$data")
  read -r nblocks blob bev <<< "$(blocks "$data")"
  c_load+=("$loaded") c_qexit+=("$qexit") c_rss+=("$rss") c_size+=("$size")
  if [ "$mode" = wait ]; then
    c_saved+=("$t_saved")
    saved="all $EVENTS saved (sessions list) ${t_saved} ms after start;"
  else
    c_total+=("$total")
    saved="process exit ${total} ms after start;"
  fi
  echo "create $n ($mode, CPU ${busy}% busy before): load ${loaded} ms (status bar; on screen ${t_loaded} ms after start);" \
    "$saved q → exit ${qexit} ms; peak RSS ${rss} MB; sessions list after exit: ${after:-nothing} events;" \
    "$nblocks blocks, $blob blob bytes ($bev events); on disk $size B = $(awk -v s="$size" -v e="$EVENTS" 'BEGIN {printf "%.1f", s / e}') B/event ($(db_files "$data"))"
  echo "  status bar before q: $line"
  if printf '%s' "$line" | grep -Eq 'NOT SAVED|problems|error|cannot'; then echo "  WARNING: screen:"; printf '%s\n' "$screen"; fi
  [ "$after" = "$EVENTS" ] || echo "  WARNING: $NAME holds ${after:-no} events after exit, $EVENTS expected"
  [ "$bev" = "$EVENTS" ] || echo "  WARNING: the blocks hold $bev events, $EVENTS expected"
  if [ "$n" -lt "${#modes[@]}" ]; then rm -rf "$data"; fi
done
DATA=$WORK/create$n
echo "create: load $(median "${c_load[@]}") ms median (${c_load[*]});" \
  "all saved (wait runs) $(median "${c_saved[@]}") ms (${c_saved[*]});" \
  "exit (quit runs) $(median "${c_total[@]}") ms (${c_total[*]});" \
  "q → exit: ${c_qexit[*]} ms (wait, quit alternately); peak RSS ${c_rss[*]} MB; on disk ${c_size[*]} B"

# ---------------------------------------------------------------------------------------------
echo
echo "== 2. size on disk =="
gz=$(find "$DIR" -type f -name '*.json.gz' -printf '%s\n' | awk '{s += $1} END {print s}')
dub=$(du -sb "$DIR" | cut -f1)
raw=$(find "$DIR" -type f -name '*.json.gz' -print0 | xargs -0 zcat | wc -c)
size=$(db_bytes "$DATA")
per() { awk -v s="$1" -v e="$EVENTS" 'BEGIN {printf "%.1f", s / e}'; }
echo "trailscope sessions.db (kept run): $size B = $(per "$size") B/event"
echo "gzipped source: $gz B in .json.gz files = $(per "$gz") B/event (du -sb: $dub B)"
echo "uncompressed JSON: $raw B = $(per "$raw") B/event"
if [ -n "$DUCKDB_PYTHON" ]; then
  busy=$(wait_idle)
  t=$(now)
  /usr/bin/time -f %M -o "$WORK/raw.rss" "$DUCKDB_PYTHON" - "$WORK/raw.duckdb" "$DIR/**/*.json.gz" <<'EOF'
import duckdb, sys
c = duckdb.connect(sys.argv[1], config={"threads": 2})
c.execute("SET enable_progress_bar = false")
# With insertion order preserved (the default) this ran out of memory at 1M events (17 GiB).
c.execute("SET preserve_insertion_order = false")
c.execute("""CREATE TABLE events AS
  SELECT r->>'eventTime' AS eventTime, r AS record
  FROM (SELECT unnest(from_json(json, '{"Records":["JSON"]}').Records) AS r
        FROM read_json_objects(?))""", [sys.argv[2]])
c.execute("CHECKPOINT")
c.close()
EOF
  draw=$(ms_since "$t")
  busy2=$(wait_idle)
  t=$(now)
  /usr/bin/time -f %M -o "$WORK/typed.rss" "$DUCKDB_PYTHON" - "$WORK/typed.duckdb" "$WORK/raw.duckdb" <<'EOF'
import duckdb, json, sys
c = duckdb.connect(sys.argv[1], config={"threads": 2})
c.execute("SET enable_progress_bar = false")
c.execute("SET preserve_insertion_order = false")
c.execute("ATTACH ? AS raw (READ_ONLY)", [sys.argv[2]])
# json_group_structure over all 1M records ran out of memory (17 GiB): take it per 100,000
# rows and merge (NULL yields to any type, BIGINT + DOUBLE is DOUBLE, other conflicts JSON).
def merge(a, b):
    if a == b or b == "NULL":
        return a
    if a == "NULL":
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k, "NULL"), b.get(k, "NULL")) for k in {**a, **b}}
    if isinstance(a, list) and isinstance(b, list):
        return [merge(a[0], b[0])]
    if isinstance(a, str) and isinstance(b, str) and {a, b} <= {"UBIGINT", "BIGINT", "DOUBLE"}:
        return "DOUBLE" if "DOUBLE" in (a, b) else "BIGINT"
    return "JSON"
n = c.execute("SELECT count(*) FROM raw.events").fetchall()[0][0]
s = "NULL"
for lo in range(0, n, 100000):
    part = c.execute("SELECT json_group_structure(record) FROM raw.events WHERE rowid >= ? AND rowid < ?", [lo, lo + 100000]).fetchall()[0][0]
    s = merge(s, json.loads(part))
c.execute("CREATE TABLE events AS SELECT unnest(from_json(record, ?)) FROM raw.events", [json.dumps(s)])
c.execute("DETACH raw")
c.execute("CHECKPOINT")
c.close()
EOF
  dtyped=$(ms_since "$t")
  for f in raw typed; do
    n=$("$DUCKDB_PYTHON" -c 'import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print(c.execute("SELECT count(*) FROM events").fetchall()[0][0], len(c.execute("DESCRIBE events").fetchall()))' "$WORK/$f.duckdb")
    s=$(( $(stat -c %s "$WORK/$f.duckdb") + $( [ -e "$WORK/$f.duckdb.wal" ] && stat -c %s "$WORK/$f.duckdb.wal" || echo 0) ))
    echo "DuckDB $f: $s B = $(per "$s") B/event (rows, columns: $n)"
  done
  echo "DuckDB builds: raw ${draw} ms from the gzipped files, peak RSS $(( $(cat "$WORK/raw.rss") / 1000 )) MB (CPU ${busy}% busy before);" \
    "typed ${dtyped} ms from raw, peak RSS $(( $(cat "$WORK/typed.rss") / 1000 )) MB (CPU ${busy2}% busy before)"
fi

# ---------------------------------------------------------------------------------------------
echo
echo "== 3. first rows on screen =="
TRAILSCOPE_DATA_DIR=$DATA TRAILSCOPE=$TRAILSCOPE RUNS=$RUNS IDLE_WAIT=$IDLE_WAIT "$HERE/first_rows.sh" -- open "$NAME"
TRAILSCOPE=$TRAILSCOPE RUNS=$RUNS IDLE_WAIT=$IDLE_WAIT "$HERE/first_rows.sh" "$DIR"
if [ -n "$DUCKDB_PYTHON" ]; then
  for f in raw typed; do
    for q in "SELECT * FROM events ORDER BY eventTime LIMIT 30" "SELECT * FROM events LIMIT 30"; do
      ins=() walls=()
      for ((i = 1; i <= RUNS; i++)); do
        wait_idle >/dev/null
        t=$(now)
        r=$("$DUCKDB_PYTHON" -c '
import time, sys
import duckdb
t0 = time.perf_counter()
c = duckdb.connect(sys.argv[1], read_only=True, config={"threads": 2})
rows = c.execute(sys.argv[2]).fetchall()
print(round((time.perf_counter() - t0) * 1000, 1), len(rows))' "$WORK/$f.duckdb" "$q")
        walls+=("$(ms_since "$t")")
        ins+=("${r% *}")
        [ "${r#* }" = 30 ] || echo "  WARNING: $f: $q returned ${r#* } rows"
      done
      echo "DuckDB $f, $q: connect + query + fetch median $(median "${ins[@]}") ms (all: ${ins[*]} ms); process wall with python start $(median "${walls[@]}") ms (all: ${walls[*]} ms)"
    done
  done
fi

# ---------------------------------------------------------------------------------------------
echo
echo "== 4. fully loaded: open $NAME vs --no-save $DIR =="
o_load=() o_first=() o_rss=() f_load=() f_first=() f_rss=()
for ((i = 1; i <= RUNS; i++)); do
  for what in open files; do
    busy=$(wait_idle)
    if [ "$what" = open ]; then
      start_tui "$WORK/t0" "$DATA" open "$NAME"
      line=$(wait_for 'saved blocks loaded in') || die "open run $i: no 'saved blocks loaded in'"
    else
      start_tui "$WORK/t0" "$WORK/nodata" --no-save "$DIR"
      line=$(wait_for 'files? loaded in') || die "files run $i: no 'files loaded in'"
    fi
    seen=$(ms_since "$(cat "$WORK/t0")")
    screen=$(tmux -L "$SOCKET" capture-pane -p -t s)
    tmux -L "$SOCKET" send-keys -t s q
    wait_exit "$WORK/t0" || die "$what run $i: no exit after q"
    rss=$(awk '{print int($2 / 1000)}' "$WORK/t0.time")
    stop_tui
    read -r ev loaded first <<< "$(parse_loaded "$line")"
    if [ "$what" = open ]; then
      o_load+=("$loaded") o_first+=("$first") o_rss+=("$rss")
    else
      f_load+=("$loaded") f_first+=("$first") f_rss+=("$rss")
    fi
    echo "run $i $what (CPU ${busy}% busy before): loaded in ${loaded} ms, first rows ${first} ms (status bar); on screen ${seen} ms after start; $ev events; peak RSS ${rss} MB"
    echo "  status bar: $line"
    [ "$ev" = "$EVENTS" ] || { echo "  WARNING: $ev events on screen, $EVENTS expected; screen:"; printf '%s\n' "$screen"; }
    if printf '%s' "$line" | grep -Eq 'NOT SAVED|problems|error|cannot'; then echo "  WARNING: screen:"; printf '%s\n' "$screen"; fi
  done
done
after=$(saved_events "$DATA")
echo "open $NAME: loaded in median $(median "${o_load[@]}") ms (all: ${o_load[*]}), first rows (status bar) median $(median "${o_first[@]}") ms (all: ${o_first[*]}), peak RSS ${o_rss[*]} MB"
echo "--no-save $DIR: loaded in median $(median "${f_load[@]}") ms (all: ${f_load[*]}), first rows (status bar) median $(median "${f_first[@]}") ms (all: ${f_first[*]}), peak RSS ${f_rss[*]} MB"
echo "after the reopen runs: sessions list reports ${after:-nothing} events for $NAME; on disk $(db_bytes "$DATA") B ($(db_files "$DATA"))"
[ "$after" = "$EVENTS" ] || echo "WARNING: $NAME holds ${after:-no} events, $EVENTS expected"
