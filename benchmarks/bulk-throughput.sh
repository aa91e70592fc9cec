#!/usr/bin/env bash
# Bulk job throughput against the built-in simulator: N shipments (no purchase, one EasyPost call each)
# at a simulated EasyPost latency, with the gateway capped at CAP calls in flight. Prints calls per
# second, the share of the cap's theoretical throughput (CAP / latency) and the highest in-flight count.
# Usage: benchmarks/bulk-throughput.sh [ITEMS=1000] [LATENCY_MS=300] [CAP=16] [BUY=none|cheapest|fastest]
# With BUY each item makes two EasyPost calls (create, then buy).
# Needs: the built jar (mvn -q package -DskipTests), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${1:-1000}
LATENCY_MS=${2:-300}
CAP=${3:-16}
BUY=${4:-none}
PORT=${PORT:-18480}
TOKEN=sg_benchmark_token_000000000000000
WORK=$(mktemp -d)
[ -f target/shipgate.jar ] || mvn -q -B package -DskipTests

SHIPGATE_DATA_DIR="$WORK" HTTP_PORT=$PORT SHIPGATE_API_TOKEN=$TOKEN LOG_FORMAT=text \
  EASYPOST_SIMULATOR_LATENCY_MS=$LATENCY_MS EASYPOST_MAX_CONCURRENCY=$CAP EASYPOST_QUEUE_SIZE=1024 \
  java ${JAVA_OPTS:-} -jar target/shipgate.jar > "$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2> /dev/null || true; wait $PID 2> /dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break
  kill -0 $PID 2>/dev/null || { echo "the service did not start:"; cat "$WORK/service.log"; exit 1; }
  sleep 0.5
done

python3 - "$ITEMS" "$BUY" > "$WORK/job.json" <<'PY'
import json, sys
n = int(sys.argv[1])
ship = lambda i: {"reference": f"BENCH-{i}",
                  "to_address": {"name": "Ada Lovelace", "street1": "417 Montgomery St", "city": "San Francisco",
                                 "state": "CA", "zip": "94104", "country": "US"},
                  "from_address": {"name": "Warehouse", "street1": "1 Dock Rd", "city": "Oakland", "state": "CA",
                                   "zip": "94607", "country": "US"},
                  "parcel": {"length": 10, "width": 8, "height": 4, "weight": 15.4}}
job = {"shipments": [ship(i) for i in range(n)]}
if sys.argv[2] != "none":
    job["buy"] = {"strategy": sys.argv[2]}
print(json.dumps(job))
PY

# run_job FILE: submits a job and waits for it; prints the job's server-side duration in seconds.
run_job() {
  local job state
  job=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    --data-binary @"$1" "http://127.0.0.1:$PORT/shipments/bulk-create" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    state=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/jobs/$job?limit=1" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"]["state"])')
    [ "$state" = running ] || break
    sleep 0.2
  done
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/jobs/$job?limit=1" | python3 -c '
import json, sys
from datetime import datetime
j = json.load(sys.stdin)["job"]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
print(j["state"], (t(j["finished_at"]) - t(j["created_at"])).total_seconds())'
}
requests() {
  curl -sf "http://127.0.0.1:$PORT/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["easypost"]["simulator"]["requests"])'
}

# Warm-up: the same work on a smaller job, so the measured one runs on a warm JVM.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["shipments"] = d["shipments"][:max(1, len(d["shipments"]) // 3)]
print(json.dumps(d))' "$WORK/job.json" > "$WORK/warmup.json"
run_job "$WORK/warmup.json" > /dev/null

BEFORE=$(requests)
read -r STATE ELAPSED < <(run_job "$WORK/job.json")
AFTER=$(requests)
curl -sf "http://127.0.0.1:$PORT/health" | python3 -c "
import json, sys
h = json.load(sys.stdin)['easypost']
items, latency, cap = $ITEMS, $LATENCY_MS / 1000.0, $CAP
elapsed = $ELAPSED
calls = $AFTER - $BEFORE
rate = calls / elapsed
ideal = cap / latency if latency else float('inf')
print(f'items={items} buy=$BUY latency_ms=$LATENCY_MS cap={cap} state=$STATE elapsed_s={elapsed:.2f} calls={calls} '
      f'calls_per_s={rate:.1f} theoretical={ideal:.1f} share={100 * rate / ideal:.1f}% '
      f'max_in_flight_gateway={h[\"max_in_flight\"]} max_in_flight_simulator={h[\"simulator\"][\"max_in_flight\"]}')
"
