#!/usr/bin/env bash
# The latency tail of GET /shipments/{id}: the same random-id load at several connection counts, with
# everything needed to say where the slow requests wait, collected per measured phase:
#   - latency percentiles from wrk (p50/p90/p99/p99.9, errors);
#   - GC pauses (count, total, max) from the service's GC log (-Xlog:gc) for that phase;
#   - safepoints, GC pauses, parks over 20 ms and bytes allocated per request on the event loops, from a
#     JFR recording of the whole run (summarised per phase);
#   - the pools' wait for a connection (histogram in /metrics: vertx_pool_queue_time_seconds_bucket);
#   - open HTTP connections per event loop, scraped in the middle of the phase;
#   - pg_stat_statements (mean and max execution time) of the three statements behind the read;
#   - CPU seconds of the service, its PostgreSQL backends and wrk during the phase.
#
#   benchmarks/tail.sh                      8, 64 and 256 connections, 100k shipments, 30 s each
#   TAIL_CONNECTIONS="64" TAIL_SECONDS=20 TAIL_SHIPMENTS=20000 benchmarks/tail.sh
#   DATABASE_RAW_POOL_SIZE=4 JAVA_OPTS=-XX:+UseParallelGC TAIL_LABEL=raw4-parallel benchmarks/tail.sh
#
# Settings of the service (DATABASE_RAW_POOL_SIZE, WORKERS, ...) and JAVA_OPTS pass through the
# environment. TAIL_DATA=DIR keeps the seeded data directory there and reuses it on the next run (the
# seed of 100k shipments takes minutes); TAIL_NO_BUILD=1 uses target/shipgate.jar as it is;
# TAIL_JFR=off leaves JFR out (it costs about 1-2% of the CPU with settings=profile).
# Results: one line per connection count on standard output and in $OUT/summary.txt (OUT: TAIL_OUT or a
# fresh /tmp/shipgate-tail.*, kept). Needs JDK 17 (java, jcmd, jfr), Maven, wrk (Debian: wrk), psql,
# python3, curl. Ports: TAIL_PORT (18680) and the one after it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PORT=${TAIL_PORT:-18680}
PG_PORT=$((PORT + 1))
TOKEN=sg_benchmark_token_0000000000000000000
SHIPMENTS=${TAIL_SHIPMENTS:-100000}
CONNECTIONS=${TAIL_CONNECTIONS:-8 64 256}
SECONDS_MEASURED=${TAIL_SECONDS:-30}
WARMUP=${TAIL_WARMUP:-10}
LABEL=${TAIL_LABEL:-run}
OUT=${TAIL_OUT:-$(mktemp -d /tmp/shipgate-tail.XXXXXX)}
DATA=${TAIL_DATA:-$OUT/data}
SERVICE_PID=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  local rc=$?
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2> /dev/null || true; wait "$SERVICE_PID" 2> /dev/null || true; fi
  log "kept $OUT"
  exit $rc
}
trap cleanup EXIT

for tool in java jcmd jfr mvn wrk psql python3 curl; do
  command -v $tool > /dev/null || { echo "benchmarks/tail.sh needs $tool" >&2; exit 2; }
done
mkdir -p "$OUT/conf" "$DATA"
# Someone else's service on these ports would answer the readiness check and take the load: refuse.
for p in $PORT $PG_PORT; do
  python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" $p 2> /dev/null \
    || { echo "port $p is in use: choose another TAIL_PORT" >&2; exit 2; }
done

if [ -z "${TAIL_NO_BUILD:-}" ] || [ ! -f target/shipgate.jar ]; then
  log "building the service"
  mvn -q -B package -DskipTests
fi

# The embedded server's binaries ship pg_stat_statements; it must be preloaded at server start.
cp conf/shipgate.properties "$OUT/conf/"
{ cat conf/postgresql.conf; echo "shared_preload_libraries = 'pg_stat_statements'"; echo "pg_stat_statements.track = top"; } \
  > "$OUT/conf/postgresql.conf"
export SHIPGATE_DATA_DIR=$DATA DATABASE_EMBEDDED_PORT=$PG_PORT
PSQL=(psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d shipgate -v ON_ERROR_STOP=1)

if [ ! -f "$DATA/.seeded" ]; then
  log "seeding $SHIPMENTS demo shipments into $DATA"
  (cd "$OUT" && java -jar "$ROOT/target/shipgate.jar" seed-demo --shipments "$SHIPMENTS" > "$OUT/seed.log" 2>&1)
  touch "$DATA/.seeded"
fi

JFR_OPTS=""
[ "${TAIL_JFR:-profile}" = off ] || JFR_OPTS="-XX:StartFlightRecording=filename=$OUT/service.jfr,settings=${TAIL_JFR:-profile},dumponexit=true"
SERVICE_OPTS="${JAVA_OPTS:-} -Xlog:gc*:file=$OUT/gc.log:uptime,level,tags -Xlog:safepoint:file=$OUT/safepoint.log:uptime $JFR_OPTS"
log "starting the service: java $SERVICE_OPTS; DATABASE_RAW_POOL_SIZE=${DATABASE_RAW_POOL_SIZE:-default} WORKERS=${WORKERS:-default}"
(cd "$OUT" && HTTP_PORT=$PORT SHIPGATE_API_TOKEN=$TOKEN WEBROOT="$ROOT/webroot" LOG_FORMAT=json \
  exec java $SERVICE_OPTS -jar "$ROOT/target/shipgate.jar" serve > "$OUT/service.log" 2>&1) &
SERVICE_PID=$!
for _ in $(seq 1 240); do
  kill -0 $SERVICE_PID 2> /dev/null || { tail -5 "$OUT/service.log" >&2; exit 1; }
  curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break
  sleep 0.5
done
kill -0 $SERVICE_PID 2> /dev/null || { tail -5 "$OUT/service.log" >&2; exit 1; }
curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null || { echo "the service did not become ready" >&2; exit 1; }

"${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
"${PSQL[@]}" -c "COPY (SELECT id FROM shipments) TO STDOUT" > "$OUT/ids.txt"
log "$(wc -l < "$OUT/ids.txt") shipment ids"

scrape() { curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/metrics" > "$1"; }
uptime_s() { jcmd "$SERVICE_PID" VM.uptime | sed -n 's/^\([0-9.]*\) s$/\1/p'; }
# cpu_ticks: clock ticks (user + system) of the service and its PostgreSQL processes so far (wrk's own
# user and system seconds come from the shell's time).
cpu_ticks() {
  python3 - "$SERVICE_PID" <<'PY'
import os, sys
service, pg = int(sys.argv[1]), 0
s = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    if int(pid) == service:
        s = ticks
    elif comm == "postgres":
        pg += ticks
print(s, pg, 0)
PY
}

echo "# $LABEL: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), JAVA_OPTS='${JAVA_OPTS:-}'," \
  "DATABASE_RAW_POOL_SIZE=${DATABASE_RAW_POOL_SIZE:-default}, WORKERS=${WORKERS:-default}, load $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee -a "$OUT/summary.txt"
for c in $CONNECTIONS; do
  log "$c connections: ${WARMUP} s warm-up"
  wrk -t2 -c"$c" -d"${WARMUP}s" -s benchmarks/tail.lua "http://127.0.0.1:$PORT" -- "$OUT/ids.txt" "$TOKEN" > "$OUT/warm-$c.log" 2>&1
  "${PSQL[@]}" -c "SELECT pg_stat_statements_reset()" > /dev/null
  scrape "$OUT/metrics-before-$c.txt"
  up_before=$(uptime_s); wall_before=$(date +%s.%N); cpu_before=$(cpu_ticks)
  log "$c connections: ${SECONDS_MEASURED} s measured"
  (sleep $((SECONDS_MEASURED / 2)); scrape "$OUT/metrics-mid-$c.txt") &
  MID=$!
  TIMEFORMAT="%U %S"
  { time wrk -t2 -c"$c" -d"${SECONDS_MEASURED}s" --timeout 10s -s benchmarks/tail.lua "http://127.0.0.1:$PORT" -- "$OUT/ids.txt" "$TOKEN" \
    > "$OUT/wrk-$c.log" 2>&1; } 2> "$OUT/wrk-cpu-$c.txt"
  wait $MID || true
  up_after=$(uptime_s); wall_after=$(date +%s.%N); cpu_after=$(cpu_ticks)
  scrape "$OUT/metrics-after-$c.txt"
  "${PSQL[@]}" -F $'\t' -c "SELECT calls, round(mean_exec_time::numeric, 3), round(max_exec_time::numeric, 3),
      round(stddev_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 60)
    FROM pg_stat_statements WHERE query LIKE '%FROM shipments s JOIN addresses%= \$1%'
      OR query LIKE '%FROM rates WHERE shipment_id = \$1%' OR query LIKE '%FROM shipment_events WHERE shipment_id = \$1%'
    ORDER BY total_exec_time DESC" > "$OUT/pgss-$c.tsv"
  echo "$c $up_before $up_after $wall_before $wall_after $cpu_before $cpu_after" > "$OUT/phase-$c.txt"
  python3 benchmarks/tail_report.py phase "$OUT" "$c" | tee -a "$OUT/summary.txt"
done

kill $SERVICE_PID; wait $SERVICE_PID 2> /dev/null || true; SERVICE_PID=""
if [ -f "$OUT/service.jfr" ]; then
  log "summarising the JFR recording"
  jfr summary "$OUT/service.jfr" > "$OUT/jfr-summary.txt" 2>&1 || true
  jfr print --json --events jdk.GCPhasePause,jdk.SafepointBegin,jdk.ThreadPark,jdk.ObjectAllocationSample \
    --stack-depth 1 "$OUT/service.jfr" > "$OUT/jfr-events.json" 2> /dev/null || true
  for c in $CONNECTIONS; do python3 benchmarks/tail_report.py jfr "$OUT" "$c" | tee -a "$OUT/summary.txt"; done
fi
