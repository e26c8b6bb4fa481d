#!/usr/bin/env bash
# LookupEvents across an organization (issue 21): 8 accounts × 2 regions against the fake
# endpoint at AWS's limits (2 requests/s per account × region, burst 2, 50 events per page =
# a ceiling of 8 × 2 × 100 = 1,600 events/s). trailscope `query --accounts all` (ListAccounts,
# the caller's own keys in 111111111111, AssumeRole OrganizationAccountAccessRole in the other
# 7) with the default --account-concurrency 8 and with 4, and the aws CLI doing the same by
# hand: an assume-role per account, then a lookup-events per account × region, all in parallel.
#   benches/lookup_accounts.sh
# The data is generated into a temp dir: EVENTS management events per account × region, the
# newest a minute ago, spread evenly over the last 5 hours (LookupEvents keeps 90 days of the
# real clock, so the fake runs without --now); event IDs are deterministic, times follow the
# clock. Each round runs the three contestants once; RUNS rounds, then trailscope's
# median/min/max.
# Env: TRAILSCOPE (default target/profiling/trailscope), FAKE (default
#      target/profiling/trailscope-fake), AWS_CLI (default target/aws-venv/bin/aws),
#      EVENTS (events per account × region, default 1000 = 20 pages), PORT (default 4612),
#      RUNS (default 3), IDLE_WAIT (seconds to wait for CPUs < 15% busy before each run,
#      default 30; 0 disables).
set -euo pipefail
TRAILSCOPE=${TRAILSCOPE:-target/profiling/trailscope}
FAKE=${FAKE:-target/profiling/trailscope-fake}
AWS_CLI=${AWS_CLI:-target/aws-venv/bin/aws}
EVENTS=${EVENTS:-1000}
PORT=${PORT:-4612}
RUNS=${RUNS:-3}
IDLE_WAIT=${IDLE_WAIT:-30}
[ -x "$TRAILSCOPE" ] || { echo "no trailscope at $TRAILSCOPE (cargo build --profile profiling)" >&2; exit 2; }
[ -x "$FAKE" ] || { echo "no trailscope-fake at $FAKE (cargo build --profile profiling)" >&2; exit 2; }
[ -x "$AWS_CLI" ] || { echo "no aws CLI at $AWS_CLI (.ci/run installs it)" >&2; exit 2; }
command -v jq > /dev/null || { echo "needs jq" >&2; exit 2; }
# shellcheck source=benches/idle.sh
source "$(dirname "${BASH_SOURCE[0]}")/idle.sh"

CALLER=111111111111
ACCOUNTS=(111111111111 222222222222 333333333333 444444444444 555555555555 666666666666 777777777777 888888888888)
REGIONS=(eu-west-1 us-east-1)
LANES=$(( ${#ACCOUNTS[@]} * ${#REGIONS[@]} ))
TOTAL=$(( LANES * EVENTS ))
CEILING=$(( LANES * 100 ))                    # events/s: 2 pages/s × 50 events per lane
PAGES=$(( (EVENTS + 49) / 50 ))
BEST=$(echo "($PAGES - 1) / 2" | bc -l)       # s per lane: the first request is free (burst 2)

WORK=$(mktemp -d /tmp/lookup-accounts-bench.XXXXXX)
FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

python3 - "$WORK/data/org.json" "$EVENTS" "${ACCOUNTS[@]}" <<'EOF'
import datetime, json, os, sys
path, per_lane, accounts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
regions = ["eu-west-1", "us-east-1"]
os.makedirs(os.path.dirname(path), exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
step = 5 * 3600 / per_lane                     # seconds: per_lane events over 5 hours
records = []
for a, account in enumerate(accounts):
    for r, region in enumerate(regions):
        for n in range(per_lane):
            eid = f"{a:08x}-0000-4000-8000-{r:04x}{n:08x}"
            t = now - datetime.timedelta(seconds=60 + n * step)
            records.append({
                "eventVersion": "1.09",
                "userIdentity": {
                    "type": "IAMUser", "principalId": f"AIDAORG{a:013d}",
                    "arn": f"arn:aws:iam::{account}:user/ops", "accountId": account,
                    "accessKeyId": f"AKIAORG{a:013d}", "userName": "ops",
                },
                "eventTime": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances",
                "awsRegion": region, "sourceIPAddress": "198.51.100.20",
                "userAgent": "aws-cli/2.15.0", "requestParameters": None,
                "responseElements": None, "requestID": eid, "eventID": eid,
                "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True,
                "recipientAccountId": account, "eventCategory": "Management",
            })
with open(path, "w") as f:
    json.dump({"Records": records}, f)
EOF

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_ENDPOINT_URL
"$FAKE" serve "$WORK/data" --port "$PORT" --caller-account "$CALLER" > "$WORK/fake.log" 2>&1 &
FAKE_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/fake.log" 2>/dev/null && break; sleep 0.2; done
grep -q listening "$WORK/fake.log" || { cat "$WORK/fake.log" >&2; echo "the fake did not start" >&2; exit 1; }
URL="http://127.0.0.1:$PORT"

now() { date +%s.%N; }

# trailscope: wall s, events counted, lanes reported, throttles (sum over the lanes' summary
# lines on stderr: "trailscope: [ACCOUNT ]REGION: N page(s), N event(s), N throttle(s), …").
ts_run() { # concurrency
  local t0 t1
  t0=$(now)
  env AWS_ENDPOINT_URL="$URL" "$TRAILSCOPE" query --accounts all --regions eu-west-1 --since 6h \
    --account-concurrency "$1" -o count > "$WORK/ts.out" 2> "$WORK/ts.err" || {
    echo "trailscope failed:" >&2; cat "$WORK/ts.err" >&2; exit 1; }
  t1=$(now)
  TS_SECS=$(echo "$t1 - $t0" | bc)
  TS_EVENTS=$(tr -dc '0-9' < "$WORK/ts.out")
  TS_LANES=$(grep -cE '^trailscope: .*page\(s\), .*throttle\(s\)' "$WORK/ts.err" || true)
  TS_THROTTLES=$(grep -E '^trailscope: .*page\(s\), .*throttle\(s\)' "$WORK/ts.err" \
    | grep -oE '[0-9]+ throttle\(s\)' | awk '{s += $1} END {print s + 0}')
}

# The aws CLI: per account a subshell that assumes the role (the caller's own account uses its
# static keys), then pages both regions in parallel; all 8 accounts at once. botocore retries
# throttles itself (legacy mode: 5 attempts), so only calls that still failed are visible.
cli_lane() { # account region start end
  local rc=0
  "$AWS_CLI" --endpoint-url "$URL" --region "$2" cloudtrail lookup-events \
    --start-time "$3" --end-time "$4" --output json > "$WORK/cli.$1.$2.json" 2> "$WORK/cli.$1.$2.err" || rc=$?
  echo "$rc" > "$WORK/cli.$1.$2.rc"
}
cli_account() { # account start end
  local account=$1 creds
  if [ "$account" != "$CALLER" ]; then
    if ! creds=$("$AWS_CLI" --endpoint-url "$URL" sts assume-role \
        --role-arn "arn:aws:iam::$account:role/OrganizationAccountAccessRole" \
        --role-session-name bench --output json 2> "$WORK/cli.$account.sts.err"); then
      for r in "${REGIONS[@]}"; do echo sts > "$WORK/cli.$account.$r.rc"; done
      return
    fi
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    AWS_ACCESS_KEY_ID=$(jq -r .Credentials.AccessKeyId <<< "$creds")
    AWS_SECRET_ACCESS_KEY=$(jq -r .Credentials.SecretAccessKey <<< "$creds")
    AWS_SESSION_TOKEN=$(jq -r .Credentials.SessionToken <<< "$creds")
  fi
  for r in "${REGIONS[@]}"; do cli_lane "$account" "$r" "$2" "$3" & done
  wait
}
cli_run() {
  local t0 t1 start end a r pids=()
  rm -f "$WORK"/cli.*
  start=$(date -u -d '6 hours ago' +%Y-%m-%dT%H:%M:%SZ); end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  t0=$(now)
  for a in "${ACCOUNTS[@]}"; do cli_account "$a" "$start" "$end" & pids+=($!); done
  wait "${pids[@]}"   # not a bare wait: the fake is a child too
  t1=$(now)
  CLI_SECS=$(echo "$t1 - $t0" | bc)
  CLI_EVENTS=0; CLI_FAILED=0
  for a in "${ACCOUNTS[@]}"; do
    for r in "${REGIONS[@]}"; do
      if [ "$(cat "$WORK/cli.$a.$r.rc" 2>/dev/null)" = 0 ]; then
        CLI_EVENTS=$(( CLI_EVENTS + $(jq '.Events | length' "$WORK/cli.$a.$r.json") ))
      else
        CLI_FAILED=$(( CLI_FAILED + 1 ))
        echo "  aws CLI $a $r failed: $(tail -c 300 "$WORK/cli.$a.$r.err" "$WORK/cli.$a.sts.err" 2>/dev/null | tr '\n' ' ')" >&2
      fi
    done
  done
}

pct() { echo "scale=4; 100 * $1" | bc | xargs printf '%.1f%%'; }
ROWS=()
TS8=()
RATIOS=()
for ((i = 1; i <= RUNS; i++)); do
  busy=$(wait_idle)
  echo "round $i: trailscope, --account-concurrency 8 (CPU ${busy}% busy before) ..." >&2
  ts_run 8
  rate=$(echo "$TS_EVENTS / $TS_SECS" | bc -l)
  TS8+=("$rate")
  ROWS+=("| $i | trailscope, concurrency 8 (default) | $TS_EVENTS | $TS_LANES | $(printf '%.2f' "$TS_SECS") | $TS_THROTTLES | $(printf '%.0f' "$rate") | $(pct "$rate / $CEILING") | $(pct "$BEST / $TS_SECS") | $busy |")
  TS8_SECS=$TS_SECS

  busy=$(wait_idle)
  echo "round $i: trailscope, --account-concurrency 4 (CPU ${busy}% busy before) ..." >&2
  ts_run 4
  rate=$(echo "$TS_EVENTS / $TS_SECS" | bc -l)
  waves=$(( (${#ACCOUNTS[@]} + 3) / 4 ))
  ROWS+=("| $i | trailscope, concurrency 4 | $TS_EVENTS | $TS_LANES | $(printf '%.2f' "$TS_SECS") | $TS_THROTTLES | $(printf '%.0f' "$rate") | $(pct "$rate / $CEILING") | $(pct "$waves * $BEST / $TS_SECS") | $busy |")

  busy=$(wait_idle)
  echo "round $i: aws CLI (CPU ${busy}% busy before) ..." >&2
  cli_run
  rate=$(echo "$CLI_EVENTS / $CLI_SECS" | bc -l)
  ROWS+=("| $i | aws CLI, $LANES lanes in parallel ($CLI_FAILED failed) | $CLI_EVENTS | $(( LANES - CLI_FAILED )) | $(printf '%.2f' "$CLI_SECS") | (retried silently) | $(printf '%.0f' "$rate") | $(pct "$rate / $CEILING") | $(pct "$BEST / $CLI_SECS") | $busy |")
  RATIOS+=("$(printf '%.2f (the CLI %.1f× slower)' "$(echo "$TS8_SECS / $CLI_SECS" | bc -l)" "$(echo "$CLI_SECS / $TS8_SECS" | bc -l)")")
done

echo "Data: ${#ACCOUNTS[@]} accounts × ${#REGIONS[@]} regions, $EVENTS management events each ($TOTAL in all, $PAGES pages per lane), in one $(stat -c %s "$WORK/data/org.json")-byte org.json; fake at 2 requests/s (burst 2) per account × region, 50 events per page."
echo "Ceiling: $CEILING events/s; best possible: $(printf '%.1f' "$BEST") s per lane (the first request is free), so $(printf '%.1f' "$BEST") s with all $LANES lanes at once, $(printf '%.1f' "$(echo "2 * $BEST" | bc -l)") s with 4 accounts at once."
echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $("$AWS_CLI" --version 2>&1)"
echo
echo '| round | run | events | lanes | wall s | throttles | events/s | of 1,600 events/s | of the best possible time | CPU % busy before |'
echo '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|'
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${TS8[@]}" | sort -g | awk -v c="$CEILING" '{v[NR] = $1} END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "trailscope (concurrency 8) over %d runs: median %.0f events/s (%.1f%% of %d), min %.0f, max %.0f\n", NR, m, 100 * m / c, c, v[1], v[NR] }'
echo "trailscope's wall time (concurrency 8) / the aws CLI's, per round:"
printf '  %s\n' "${RATIOS[@]}"
