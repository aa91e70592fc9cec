#!/usr/bin/env bash
# What the token check costs on the cheapest GET (GET /shipments/{id}): the same closed-loop load (CONNS in
# flight, default 32) with a token stored in PostgreSQL (looked up, or served by the token cache) and with
# SHIPGATE_API_TOKEN (never looked up), against one service on its own embedded database.
#
#   benchmarks/tokens/run.sh                      this checkout's target/shipgate.jar (built when missing)
#   JAR=/path/to/other/shipgate.jar benchmarks/tokens/run.sh     another build, e.g. before a change
#
# Env: CONNS (32), WARMUP (10 s), SECONDS_MEASURED (20 s), BENCH_PORT (18680) and the port after it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
JAR=${JAR:-$ROOT/target/shipgate.jar}
CONNS=${CONNS:-32}; WARMUP=${WARMUP:-10}; SECONDS_MEASURED=${SECONDS_MEASURED:-20}
PORT=${BENCH_PORT:-18680}; PG_PORT=$((PORT + 1))
ADMIN=sg_benchmark_token_0000000000000000000
WORK=$(mktemp -d /tmp/shipgate-tokens.XXXXXX)
SERVICE_PID=""
cleanup() {
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2> /dev/null || true; wait "$SERVICE_PID" 2> /dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || mvn -q -B package -DskipTests
mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp.txt" > /dev/null

mkdir -p "$WORK/conf" "$WORK/data"
cp conf/shipgate.properties conf/postgresql.conf "$WORK/conf/"
export SHIPGATE_DATA_DIR=$WORK/data DATABASE_EMBEDDED_PORT=$PG_PORT
(cd "$WORK" && java -jar "$JAR" seed-demo --shipments 1000 > "$WORK/seed.log" 2>&1)
(cd "$WORK" && HTTP_PORT=$PORT SHIPGATE_API_TOKEN=$ADMIN LOG_FORMAT=json exec java -jar "$JAR" serve > "$WORK/service.log" 2>&1) &
SERVICE_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break
  kill -0 $SERVICE_PID 2> /dev/null || { cat "$WORK/service.log" >&2; exit 1; }
  sleep 0.5
done

STORED=$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
  -d '{"name":"bench-reader","scopes":["read"]}' "http://127.0.0.1:$PORT/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ID=$(curl -sf -H "Authorization: Bearer $ADMIN" "http://127.0.0.1:$PORT/shipments?limit=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["shipments"][0]["id"])')

# The client's own logging (Netty's DEBUG lines, no logback configuration on its class path) is dropped.
load() { java -cp "$(cat "$WORK/cp.txt")" benchmarks/tokens/GetLoad.java "$PORT" "$1" "/shipments/$ID" "$CONNS" "$WARMUP" \
  "$SECONDS_MEASURED" 2>&1 | grep -v ' DEBUG ' | tail -1; }
echo "jar: $JAR"
# The first run also warms the service up; compare the last two.
echo "stored token (warm-up): $(load "$STORED")"
echo "environment token:      $(load "$ADMIN")"
echo "stored token:           $(load "$STORED")"
