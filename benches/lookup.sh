#!/usr/bin/env bash
# LookupEvents paging speed against the fake endpoint at AWS's limit (2 requests/s per region,
# 50 events per page = a ceiling of 100 events/s per region): trailscope with 1 and 4 regions
# in parallel, and the aws CLI paging the same data on the same endpoint.
#   benches/lookup.sh DIR    (DIR: a trail from `trailscope-fake generate`, window ending 2024-06-30)
# Env: TRAILSCOPE (default target/profiling/trailscope), FAKE (default
#      target/profiling/trailscope-fake), AWS_CLI (default target/aws-venv/bin/aws),
#      EVENTS (events per region, default 1000 = 20 pages).
set -euo pipefail
DIR=${1:?usage: benches/lookup.sh DIR}
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
FAKE=${FAKE:-target/profiling/trailscope-fake}
AWS_CLI=${AWS_CLI:-target/aws-venv/bin/aws}
EVENTS=${EVENTS:-1000}
PORT=${PORT:-4611}
[ -x "$TRAILSCOPE" ] || { echo "no trailscope at $TRAILSCOPE (cargo build --profile profiling)" >&2; exit 2; }
[ -x "$FAKE" ] || { echo "no trailscope-fake at $FAKE (cargo build --profile profiling)" >&2; exit 2; }
[ -x "$AWS_CLI" ] || { echo "no aws CLI at $AWS_CLI (.ci/run installs it)" >&2; exit 2; }

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN
"$FAKE" serve "$DIR" --port "$PORT" --now 2024-06-30T23:59:59Z > /tmp/lookup-bench-fake.log 2>&1 &
FAKE_PID=$!
trap 'kill $FAKE_PID 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q listening /tmp/lookup-bench-fake.log 2>/dev/null && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT"
REGIONS=$("$TRAILSCOPE" query "$DIR" -g region | awk -F'\t' '$2 != "us-east-1" {print $2}' | head -4 | paste -sd,)
FIRST=${REGIONS%%,*}
WINDOW=(--from 2024-06-01 --to 2024-06-30T23:59:59Z)

run() { # label, command…
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N); "$@" > /tmp/lookup-bench-out.txt 2> /tmp/lookup-bench-err.txt; t1=$(date +%s.%N)
  local secs; secs=$(echo "$t1 - $t0" | bc)
  # trailscope reports throttles per region on stderr; the CLI retries them silently.
  local throttles; throttles=$({ grep -o '[0-9]* throttle(s)' /tmp/lookup-bench-err.txt || true; } | tail -n "${REGION_COUNT:-1}" | awk '{s += $1; n++} END {print n ? s : "n/a"}')
  printf '| %s | %s | %.2f | %s |\n' "$label" "$(head -c 60 /tmp/lookup-bench-out.txt | tr -d '\n')" "$secs" "$throttles"
}

echo "Data: $DIR; regions: $REGIONS; $EVENTS events per region; fake at 2 requests/s per region."
echo
echo '| run | output | wall s | throttles |'
echo '|---|---|---:|---:|'
REGION_COUNT=1 run "trailscope, 1 region ($FIRST)" env AWS_ENDPOINT_URL="$URL" "$TRAILSCOPE" query --region "$FIRST" --no-global "${WINDOW[@]}" --max-events "$EVENTS" -o count
REGION_COUNT=4 run "trailscope, 4 regions" env AWS_ENDPOINT_URL="$URL" "$TRAILSCOPE" query --regions "$REGIONS" --no-global "${WINDOW[@]}" --max-events "$EVENTS" -o count
run "aws CLI, 1 region ($FIRST)" sh -c '"$0" --endpoint-url "$1" --region "$2" cloudtrail lookup-events --start-time 2024-06-01T00:00:00Z --end-time 2024-06-30T23:59:59Z --max-items "$3" --output json | jq ".Events | length"' "$AWS_CLI" "$URL" "$FIRST" "$EVENTS"
echo
echo "Ceiling: 100 events/s per region; $EVENTS events take at least $(echo "($EVENTS / 50 - 1) / 2" | bc -l | cut -c1-5) s (the first request is free)."
