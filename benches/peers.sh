#!/usr/bin/env bash
# trailscope against its peers (DuckDB, jq, zcat) on the same three questions over the same files.
#
#   benches/peers.sh DIR        # DIR: a folder of *.json.gz CloudTrail files (S3 trail layout)
#
# Questions: (1) count all events; (2) events from one source IP grouped by eventName (the most
# frequent real IP address in DIR, found once with trailscope; set IP=... to choose);
# (3) events grouped by userIdentity.arn (records without one form the "" group).
#
# Every command is timed with `/usr/bin/time -f '%e %M'` (wall seconds, peak RSS of the largest
# single process of the command, KB). trailscope runs TS_RUNS times (default 3) and the best
# wall time is shown (RSS: the highest of its runs); the peers run once each. Before each run the
# script waits (up to IDLE_WAIT seconds, default 120; 0 disables) until the machine's CPUs are
# less than 15% busy over one second, and the table shows how busy they were just before it.
# Every answer is checked against trailscope's; the script exits 1 if any disagrees.
#
# Environment:
#   TRAILSCOPE     trailscope binary                   (default target/profiling/trailscope)
#   DUCKDB_PYTHON  python with the duckdb package      (default /tmp/bench-venv/bin/python)
#                  e.g. python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install duckdb
#   THREADS        DuckDB threads and xargs -P width   (default: nproc)
#   TS_RUNS        trailscope runs per question        (default 3)
#   DUCKDB_ISSUE   1: also time the slow formulation quoted in the issue (question 1 only;
#                  about 2 minutes at 1M events); 0 skips it                      (default 1)
#   JQ_PARALLEL    1: also time jq under xargs -P$THREADS; 0 skips it             (default 1)
#   IP             source IP for question 2 (default: the most frequent IPv4 address in DIR)
#   IDLE_WAIT      see above                                                      (default 120)
set -euo pipefail
export LC_ALL=C

die() { echo "peers.sh: $*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: benches/peers.sh DIR   (DIR: folder of CloudTrail *.json.gz files)"
DIR=$1
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
DUCKDB_PYTHON=${DUCKDB_PYTHON:-/tmp/bench-venv/bin/python}
THREADS=${THREADS:-$(nproc)}
TS_RUNS=${TS_RUNS:-3}
DUCKDB_ISSUE=${DUCKDB_ISSUE:-1}
JQ_PARALLEL=${JQ_PARALLEL:-1}
IDLE_WAIT=${IDLE_WAIT:-120}

# ---- prerequisites -------------------------------------------------------------------------
[ -d "$DIR" ] || die "'$DIR' is not a folder"
NFILES=$(find "$DIR" -name '*.json.gz' | wc -l)
[ "$NFILES" -gt 0 ] || die "no *.json.gz files under '$DIR' (make some: trailscope-fake generate -n 1000000 -o DIR)"
[ -x "$TRAILSCOPE" ] || die "trailscope binary '$TRAILSCOPE' not found or not executable (cargo build --profile profiling, or set TRAILSCOPE=/path/to/trailscope)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
/usr/bin/time -f '%e %M' true 2>/dev/null || die "/usr/bin/time does not take -f: GNU time is needed (apt-get install time)"
for tool in jq zcat find xargs sort uniq awk nproc mktemp; do
  command -v "$tool" >/dev/null || die "'$tool' is not on PATH (jq: apt-get install jq; zcat: apt-get install gzip)"
done
[ -x "$DUCKDB_PYTHON" ] || die "python '$DUCKDB_PYTHON' not found: python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install duckdb (or set DUCKDB_PYTHON)"
DUCKDB_VERSION=$("$DUCKDB_PYTHON" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null) \
  || die "'$DUCKDB_PYTHON' cannot import duckdb: $DUCKDB_PYTHON -m pip install duckdb"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# ---- helpers ---------------------------------------------------------------------------------
# Quoting for the commands we show and run: as is when safe, else in single quotes (sq), or in
# double quotes (dq: for SQL, which is full of single quotes).
sq() { if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi; }
dq() { local s=${1//\\/\\\\}; s=${s//\$/\\\$}; s=${s//\"/\\\"}; s=${s//\`/\\\`}; printf '"%s"' "$s"; }
sqlq() { printf '%s' "${1//\'/\'\'}"; }   # SQL string-literal quoting

# shellcheck source=benches/idle.sh
source "$(dirname "${BASH_SOURCE[0]}")/idle.sh"

ROWS=()       # tool|question|command|wall|rss_kb|busy
FAILS=()
declare -A TS_WALL

# run_timed OUTFILE CMD -> sets WALL and RSS
run_timed() {
  local out=$1 cmd=$2
  if ! /usr/bin/time -f '%e %M' -o "$WORK/time" bash -c "$cmd" > "$out" 2> "$WORK/stderr"; then
    echo "command failed: $cmd" >&2; cat "$WORK/stderr" >&2
    WALL=nan; RSS=0; return 1
  fi
  read -r WALL RSS < <(tail -n 1 "$WORK/time")
}

# normalise an answer to sorted "COUNT<TAB>VALUE" lines (or the bare count for question 1)
norm() { # norm FORMAT IN OUT ; FORMAT: ts | valcount | uniqc | plain
  case $1 in
    ts|plain) sort "$2" > "$3" ;;
    valcount) awk -F'\t' '{print $2 "\t" $1}' "$2" | sort > "$3" ;;
    uniqc) awk '{c = $1; sub(/^ *[0-9]+ /, ""); print c "\t" $0}' "$2" | sort > "$3" ;;
  esac
}

# measure TOOL QUESTION FORMAT CMD
measure() {
  local tool=$1 qn=$2 fmt=$3 cmd=$4 busy ok=1
  busy=$(wait_idle)
  echo "  $tool, question $qn (CPU ${busy}% busy before) ..." >&2
  run_timed "$WORK/out" "$cmd" || ok=0
  ROWS+=("$tool|$qn|$cmd|$WALL|$RSS|$busy")
  if [ "$ok" = 1 ]; then
    norm "$fmt" "$WORK/out" "$WORK/ans"
    if ! cmp -s "$WORK/ans" "$WORK/expected$qn"; then
      FAILS+=("$tool, question $qn: answer differs from trailscope's (diff on stderr)")
      diff "$WORK/expected$qn" "$WORK/ans" | head -n 10 >&2 || true
    fi
  else
    FAILS+=("$tool, question $qn: command failed")
  fi
}

# ---- question 2's IP -------------------------------------------------------------------------
TSQ=$(sq "$TRAILSCOPE"); D=$(sq "$DIR")
if [ -z "${IP:-}" ]; then
  IP=$("$TRAILSCOPE" query "$DIR" -g ip | grep -E $'^[0-9]+\t[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$' | head -n 1 | cut -f 2) || true
  [ -n "$IP" ] || die "no IPv4 sourceIPAddress found in '$DIR'; set IP=..."
fi
[[ $IP =~ ^[0-9a-fA-F.:]+$ ]] || die "IP '$IP' does not look like an IP address"

echo "peers.sh: $NFILES files under $DIR; question 2's IP: $IP; DuckDB $DUCKDB_VERSION, $THREADS threads" >&2

# ---- trailscope (best of TS_RUNS); its answers are the reference ------------------------------
TS_CMD1="$TSQ query $D -o count"
TS_CMD2="$TSQ query $D -f ip:$IP -g event"
TS_CMD3="$TSQ query $D -g arn"
for qn in 1 2 3; do
  var=TS_CMD$qn; cmd=${!var}
  best=; maxrss=0; busys=
  for ((i = 1; i <= TS_RUNS; i++)); do
    busy=$(wait_idle)
    echo "  trailscope, question $qn, run $i (CPU ${busy}% busy before) ..." >&2
    run_timed "$WORK/ts$qn.$i" "$cmd" || die "trailscope failed: $cmd"
    busys+="${busys:+/}$busy"
    if [ -z "$best" ] || awk -v a="$WALL" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$WALL; fi
    [ "$RSS" -gt "$maxrss" ] && maxrss=$RSS
    norm ts "$WORK/ts$qn.$i" "$WORK/tsans$qn.$i"
    if [ "$i" = 1 ]; then cp "$WORK/tsans$qn.$i" "$WORK/expected$qn"
    elif ! cmp -s "$WORK/tsans$qn.$i" "$WORK/expected$qn"; then FAILS+=("trailscope, question $qn: runs disagree"); fi
  done
  TS_WALL[$qn]=$best
  ROWS+=("trailscope (best of $TS_RUNS)|$qn|$cmd|$best|$maxrss|$busys")
done

# ---- DuckDB ----------------------------------------------------------------------------------
# A one-line Python runner: threads, no progress bar, run the SQL, print rows tab-separated (NULL as "").
PYRUN='import duckdb, sys; c = duckdb.connect(config={"threads": int(sys.argv[1])}); c.execute("SET enable_progress_bar = false"); [print(*("" if v is None else v for v in r), sep="\t") for r in c.sql(sys.argv[2]).fetchall()]'
PY="$(sq "$DUCKDB_PYTHON") -c '$PYRUN' $THREADS"
GLOB=$(sqlq "$DIR/**/*.json.gz")
# Fastest correct formulations found (BENCHMARKS.md lists what else was tried): each file read
# as one JSON object by read_json_objects, only the needed fields converted with from_json.
# What matters most is to avoid read_json's per-file auto-detection (about 10 ms of CPU per
# file, even with columns= given), which the formulation quoted in the issue pays.
DUCK_SQL1="SELECT sum(json_array_length(json, '\$.Records')) FROM read_json_objects('$GLOB')"
DUCK_SQL2="SELECT r.eventName, count(*) FROM (SELECT unnest(from_json(json, '{\"Records\":[{\"sourceIPAddress\":\"VARCHAR\",\"eventName\":\"VARCHAR\"}]}').Records) AS r FROM read_json_objects('$GLOB')) WHERE r.sourceIPAddress = '$IP' GROUP BY 1"
DUCK_SQL3="SELECT coalesce(r.userIdentity.arn, ''), count(*) FROM (SELECT unnest(from_json(json, '{\"Records\":[{\"userIdentity\":{\"arn\":\"VARCHAR\"}}]}').Records) AS r FROM read_json_objects('$GLOB')) GROUP BY 1"
measure "duckdb" 1 plain "$PY $(dq "$DUCK_SQL1")"
measure "duckdb" 2 valcount "$PY $(dq "$DUCK_SQL2")"
measure "duckdb" 3 valcount "$PY $(dq "$DUCK_SQL3")"
if [ "$DUCKDB_ISSUE" = 1 ]; then
  ISSUE_SQL1="SELECT count(*) FROM (SELECT unnest(Records) FROM read_json('$GLOB', columns={'Records': 'JSON[]'}))"
  measure "duckdb, issue's formulation (read_json JSON[] + unnest)" 1 plain "$PY $(dq "$ISSUE_SQL1")"
fi

# ---- jq --------------------------------------------------------------------------------------
# Counting: reduce over .Records|length. Grouping: jq -r extracts the field, sort | uniq -c
# counts (a jq reduce into an object is quadratic in distinct keys: 49 s instead of 3.3 s for
# question 3 at 100k events).
FIND="find $D -name '*.json.gz' -print0"
JQ1='reduce (inputs.Records | length) as $n (0; . + $n)'
JQ2=".Records[] | select(.sourceIPAddress == \"$IP\") | .eventName"
JQ3='.Records[] | .userIdentity.arn // ""'
measure "jq" 1 plain "$FIND | xargs -0 zcat | jq -n $(sq "$JQ1")"
measure "jq" 2 uniqc "$FIND | xargs -0 zcat | jq -r $(sq "$JQ2") | sort | uniq -c"
measure "jq" 3 uniqc "$FIND | xargs -0 zcat | jq -r $(sq "$JQ3") | sort | uniq -c"
if [ "$JQ_PARALLEL" = 1 ]; then
  # Batches of 250 files, THREADS at a time; each batch writes its partial result to its own
  # file (a shared pipe would interleave lines), merged at the end. The filter travels in $F.
  par() { # par JQ_FILTER JQ_FLAGS BATCH_TAIL MERGE
    printf '%s' "T=\$(mktemp -d); $FIND | F=$(sq "$1") xargs -0 -P$THREADS -n 250 sh -c 'zcat \"\$@\" | jq $2 \"\$F\"$3 > \"\$0.\$\$\"' \"\$T/part\"; cat \"\$T\"/part.* | $4; rm -r \"\$T\""
  }
  MERGE_UNIQ="awk '{c = \$1; sub(/^ *[0-9]+ /, \"\"); s[\$0] += c} END {for (k in s) print s[k] \"\\t\" k}'"
  measure "jq, xargs -P$THREADS" 1 plain "$(par "$JQ1" -n "" "awk '{s += \$1} END {print s}'")"
  measure "jq, xargs -P$THREADS" 2 ts "$(par "$JQ2" -r " | sort | uniq -c" "$MERGE_UNIQ")"
  measure "jq, xargs -P$THREADS" 3 ts "$(par "$JQ3" -r " | sort | uniq -c" "$MERGE_UNIQ")"
fi

# ---- zcat alone: the floor (decompression only; compared with trailscope's count) ------------
for par in 1 "$THREADS"; do
  busy=$(wait_idle)
  if [ "$par" = 1 ]; then tool="zcat (floor)"; cmd="$FIND | xargs -0 zcat > /dev/null"
  else tool="zcat, xargs -P$par (floor)"; cmd="$FIND | xargs -0 -P$par -n 250 zcat > /dev/null"; fi
  echo "  $tool (CPU ${busy}% busy before) ..." >&2
  run_timed /dev/null "$cmd" || FAILS+=("$tool failed")
  ROWS+=("$tool|1 (decompress only)|$cmd|$WALL|$RSS|$busy")
done

# ---- table -----------------------------------------------------------------------------------
echo
echo "Data: $DIR, $NFILES files; question 2's IP: $IP; $(nproc) CPUs; DuckDB $DUCKDB_VERSION ($THREADS threads), $(jq --version), $(zcat --version | head -n 1)."
echo
echo "| tool | question | command | wall s | peak RSS MB | × trailscope | CPU busy before % |"
echo "|---|---|---|---:|---:|---:|---|"
for row in "${ROWS[@]}"; do
  # the command may itself contain '|': split from both ends
  tool=${row%%|*}; rest=${row#*|}; qn=${rest%%|*}; rest=${rest#*|}
  busy=${rest##*|}; rest=${rest%|*}; rss=${rest##*|}; rest=${rest%|*}; wall=${rest##*|}; cmd=${rest%|*}
  tsw=${TS_WALL[${qn%% *}]}
  ratio=$(awk -v a="$wall" -v b="$tsw" 'BEGIN{ if (a == "nan" || b <= 0) print "-"; else printf "%.2f", a / b }')
  mb=$(awk -v k="$rss" 'BEGIN{printf "%.0f", k * 1024 / 1e6}')
  printf '| %s | %s | `%s` | %s | %s | %s | %s |\n' "$tool" "$qn" "${cmd//|/\\|}" "$wall" "$mb" "$ratio" "$busy"
done
echo
echo "× trailscope: wall time divided by trailscope's best wall time on the same question (the zcat rows: on question 1)."
echo "Peak RSS: of the largest single process of the command (GNU time %M), 1 MB = 10^6 bytes."
echo "Load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)."

if [ ${#FAILS[@]} -gt 0 ]; then
  echo
  echo "DISAGREEMENTS / FAILURES:"
  printf -- '- %s\n' "${FAILS[@]}"
  exit 1
fi
echo
echo "All answers agree with trailscope's."
