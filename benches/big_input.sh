#!/usr/bin/env bash
# One large input file (about 1 GB of CloudTrail records) in three shapes, counted by trailscope
# (which streams inputs of 64 MiB or more), jq and DuckDB: wall time and peak RSS.
#
#   benches/big_input.sh DIR N     # DIR: generated trail (trailscope-fake generate); N: events to take
#
# Makes, under $WORK (default /tmp/big-input): big.jsonl (the first N records of DIR, one per
# line), big-records.json (the same records as one {"Records":[…]} document, the shape of a trail
# file) and big.jsonl.gz (gzip -1 of big.jsonl). Every command runs once, timed with
# `/usr/bin/time -f '%e %M'`; each answer is checked against N. IDLE_WAIT as in peers.sh.
#
# Environment: TRAILSCOPE (default target/profiling/trailscope), DUCKDB_PYTHON (default
# /tmp/bench-venv/bin/python), WORK, IDLE_WAIT (default 120).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: benches/big_input.sh DIR N" >&2; exit 2; }
DIR=$1
N=$2
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
DUCKDB_PYTHON=${DUCKDB_PYTHON:-/tmp/bench-venv/bin/python}
WORK=${WORK:-/tmp/big-input}
IDLE_WAIT=${IDLE_WAIT:-120}
. benches/idle.sh

mkdir -p "$WORK"
if [ ! -s "$WORK/big.jsonl" ]; then
  "$TRAILSCOPE" query "$DIR" -o jsonl 2>/dev/null | head -n "$N" > "$WORK/big.jsonl"
  { echo '{"Records":['; paste -sd, "$WORK/big.jsonl"; echo ']}'; } > "$WORK/big-records.json"
  gzip -1 -c "$WORK/big.jsonl" > "$WORK/big.jsonl.gz"
fi
ls -lL "$WORK"/big*

run() { # label, command...: prints label, answer, wall s, peak RSS MB, CPU busy before
  local label=$1 busy out
  shift
  busy=$(wait_idle)
  out=$( { /usr/bin/time -f 'TIME %e %M' "$@" 2>&1 >"$WORK/answer"; } | grep '^TIME' || true)
  printf '%-44s %12s %8s s %7s MB  busy %s%%\n' "$label" "$(tr -d ' \n' < "$WORK/answer" | cut -c1-12)" \
    "$(echo "$out" | awk '{print $2}')" "$(echo "$out" | awk '{printf "%d", $3/1024}')" "$busy"
}

# DuckDB through Python (a command, not a shell function, so /usr/bin/time can run it).
DUCK=(env "$DUCKDB_PYTHON" -c "import duckdb,sys; print(duckdb.sql(sys.argv[1]).fetchall()[0][0])")

for f in big.jsonl big-records.json big.jsonl.gz; do
  run "trailscope query -o count $f" "$TRAILSCOPE" query "$WORK/$f" -o count
done
run "jq (streaming reduce) big.jsonl" jq -n 'reduce inputs as $x (0; .+1)' "$WORK/big.jsonl"
run "jq '.Records|length' big-records.json" jq '.Records | length' "$WORK/big-records.json"
run "zcat | jq (streaming reduce) big.jsonl.gz" sh -c "zcat '$WORK/big.jsonl.gz' | jq -n 'reduce inputs as \$x (0; .+1)'"
run "DuckDB count(*) read_json big.jsonl" "${DUCK[@]}" "SELECT count(*) FROM read_json('$WORK/big.jsonl', format='newline_delimited', records=false)"
run "DuckDB unnest(Records) big-records.json" "${DUCK[@]}" "SELECT count(*) FROM (SELECT unnest(Records) FROM read_json('$WORK/big-records.json', records=true, maximum_object_size=2000000000))"
