#!/usr/bin/env bash
# Reading a trail from S3: trailscope straight from the bucket (cold, then from its cache)
# against `aws s3 sync` of the same objects followed by a file load, all from one moto server
# on loopback, in the same run.
#   benches/s3.sh [EVENTS] [EVENTS_PER_FILE]   (default 200000 events, 100 per file: 2,000 objects)
# Env: TRAILSCOPE (default target/profiling/trailscope), FAKE (default
#      target/profiling/trailscope-fake), AWS_CLI (default target/aws-venv/bin/aws),
#      MOTO (default target/moto-venv/bin/moto_server), PORT (default 4612).
set -euo pipefail
EVENTS=${1:-200000}
PER_FILE=${2:-100}
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
FAKE=${FAKE:-target/profiling/trailscope-fake}
AWS_CLI=${AWS_CLI:-target/aws-venv/bin/aws}
MOTO=${MOTO:-target/moto-venv/bin/moto_server}
PORT=${PORT:-4612}
for tool in "$TRAILSCOPE" "$FAKE" "$AWS_CLI" "$MOTO"; do
  [ -x "$tool" ] || { echo "missing $tool (cargo build --profile profiling; .ci/run installs the aws CLI and moto)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/s3-bench.XXXXXX)
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
"$MOTO" -H 127.0.0.1 -p "$PORT" > "$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.2; done

"$FAKE" generate -n "$EVENTS" --events-per-file "$PER_FILE" --days 3 --end 2024-06-30 -o "$WORK/src" 2>&1 | tail -1
"$AWS_CLI" s3 mb s3://bench >/dev/null
"$AWS_CLI" s3 sync --quiet "$WORK/src" s3://bench/
OBJECTS=$(find "$WORK/src" -type f | wc -l)
BYTES=$(du -sb "$WORK/src" | cut -f1)
WINDOW=(--from 2024-06-27 --to 2024-07-01)

secs() { # command… → wall seconds on stdout; the command's own output to $WORK/out
  local t0 t1
  t0=$(date +%s.%N); "$@" > "$WORK/out" 2> "$WORK/err"; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
row() { # label seconds answer
  printf '| %s | %.2f | %.0f | %.0f | %s |\n' "$1" "$2" "$(echo "$OBJECTS / $2" | bc -l)" "$(echo "$EVENTS / $2" | bc -l)" "$3"
}

echo "Data: $EVENTS events in $OBJECTS objects ($BYTES bytes gzipped) in moto on 127.0.0.1:$PORT; $(nproc) CPUs."
echo
echo '| run | wall s | objects/s | events/s | answer |'
echo '|---|---:|---:|---:|---|'
S3_COLD=$(secs "$TRAILSCOPE" query s3://bench "${WINDOW[@]}" -o count --data-dir "$WORK/data")
row "trailscope s3:// (cold: every object downloaded)" "$S3_COLD" "$(cat "$WORK/out")"
grep -o '[0-9]* request(s)' "$WORK/err" | head -1 | sed 's/^/  requests: /' >&2
S3_WARM=$(secs "$TRAILSCOPE" query s3://bench "${WINDOW[@]}" -o count --data-dir "$WORK/data")
row "trailscope s3:// (again: every object from the cache)" "$S3_WARM" "$(cat "$WORK/out")"
SYNC=$(secs "$AWS_CLI" s3 sync --quiet s3://bench "$WORK/synced")
row "aws s3 sync alone" "$SYNC" "$(find "$WORK/synced" -type f | wc -l) files"
LOAD=$(secs "$TRAILSCOPE" query "$WORK/synced" -o count)
row "trailscope on the synced files alone" "$LOAD" "$(cat "$WORK/out")"
BOTH=$(echo "$SYNC + $LOAD" | bc)
row "aws s3 sync + trailscope on the files" "$BOTH" "(sum)"
echo
printf 'sync + file load takes %.2f× the time of trailscope s3:// cold, %.2f× warm.\n' \
  "$(echo "$BOTH / $S3_COLD" | bc -l)" "$(echo "$BOTH / $S3_WARM" | bc -l)"
