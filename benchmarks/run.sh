#!/usr/bin/env bash
# Shipgate's benchmark suite, from a fresh checkout: builds, seeds its own embedded database, starts the
# service (and nginx), warms up, runs every workload of benchmarks/README.md against the same SQL in
# pgbench, stops everything it started and writes the figures into benchmarks/RESULTS.md.
#
#   benchmarks/run.sh           the full suite (about 17 minutes on 2 cores)
#   benchmarks/run.sh --quick   regression guard (a few minutes): workload 1 only; exits 1 when its
#                               throughput falls below 30% of pgbench on the same SQL. Writes nothing.
#
# BENCH_KEEP=1 keeps the working directory (logs, Gatling reports, pgbench output) for a closer look.
# BENCH_PROFILE=1 also keeps the service's GC log (gc.log), a JFR recording (service.jfr, settings=profile)
# and pg_stat_statements after workload 1 (pgss-w1.tsv) there; it implies BENCH_KEEP. It costs a few
# percent of throughput: not for the figures in RESULTS.md. benchmarks/tail.sh does the same per phase.
# Needs JDK 17, Maven, pgbench and psql (Debian: postgresql-client), python3, curl; nginx for workload 5
# (skipped, and said so, without it). Ports: BENCH_PORT (18580) and the two after it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

PORT=${BENCH_PORT:-18580}
PG_PORT=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
TOKEN=sg_benchmark_token_0000000000000000000
WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
METRICS=$WORK/metrics.txt
SERVICE_PID=""
NGINX_PID=""
STARTED=$(date +%s)

if [ $QUICK = 1 ]; then
  SHIPMENTS=100000; WARMUP=10; SECONDS_MEASURED=15
else
  SHIPMENTS=100000; WARMUP=15; SECONDS_MEASURED=30
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
metric() { printf '%s=%s\n' "$1" "$2" >> "$METRICS"; }
cleanup() {
  local rc=$?
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2> /dev/null || true; wait "$NGINX_PID" 2> /dev/null || true; fi
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2> /dev/null || true; wait "$SERVICE_PID" 2> /dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT

metric_init() { : > "$METRICS"; metric warmup_seconds "$WARMUP"; metric seconds_measured "$SECONDS_MEASURED"; }

for tool in java mvn pgbench psql python3 curl; do
  command -v $tool > /dev/null || { echo "benchmarks/run.sh needs $tool" >&2; exit 2; }
done

metric_init
log "building the service, the JMH benchmarks and the Gatling simulations"
mvn -q -B package -DskipTests
[ $QUICK = 1 ] || mvn -q -B -f benchmarks/jmh/pom.xml package
mvn -q -B -f benchmarks/gatling/pom.xml test-compile

# The service runs from $WORK: its own data directory, and a PostgreSQL configuration with room for
# pgbench's 64 clients next to the service's pools (max_connections 200 instead of 100).
mkdir -p "$WORK/conf" "$WORK/data"
cp conf/shipgate.properties "$WORK/conf/"
sed 's/^max_connections = .*/max_connections = 200/' conf/postgresql.conf > "$WORK/conf/postgresql.conf"
PROFILE_OPTS=""
if [ -n "${BENCH_PROFILE:-}" ]; then
  BENCH_KEEP=1
  PROFILE_OPTS="-Xlog:gc*:file=$WORK/gc.log:uptime,level,tags -XX:StartFlightRecording=filename=$WORK/service.jfr,settings=profile,dumponexit=true"
  # the embedded server's binaries ship the library; it must be loaded when the server starts
  echo "shared_preload_libraries = 'pg_stat_statements'" >> "$WORK/conf/postgresql.conf"
fi
export SHIPGATE_DATA_DIR=$WORK/data DATABASE_EMBEDDED_PORT=$PG_PORT
DB_URL=postgresql://postgres@127.0.0.1:$PG_PORT/shipgate
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d shipgate -v ON_ERROR_STOP=1)

log "seeding $SHIPMENTS demo shipments"
(cd "$WORK" && java -jar "$ROOT/target/shipgate.jar" seed-demo --shipments $SHIPMENTS > "$WORK/seed.log" 2>&1)

start_service() {
  (cd "$WORK" && HTTP_PORT=$PORT SHIPGATE_API_TOKEN=$TOKEN WEBROOT="$ROOT/webroot" LOG_FORMAT=json \
    exec java ${JAVA_OPTS:-} $PROFILE_OPTS -jar "$ROOT/target/shipgate.jar" serve > "$WORK/service.log" 2>&1) &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && return 0
    kill -0 $SERVICE_PID 2> /dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not become ready" >&2
  exit 1
}
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

log "starting the service"
start_service
"${PSQL[@]}" -f benchmarks/pgbench/prepare.sql > "$WORK/prepare.out"
[ -z "${BENCH_PROFILE:-}" ] || "${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
ROWS=$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' "$WORK/prepare.out")
LABELS=$(sed -n 's/.*labels=\([0-9]*\).*/\1/p' "$WORK/prepare.out")
log "fixture: $ROWS shipments, $LABELS labels"
"${PSQL[@]}" -At -c "COPY (SELECT id FROM bench_ids) TO STDOUT" | sed '1i id' > "$WORK/ids.csv"
python3 - "$LABELS" > "$WORK/batches.csv" <<'PY'
import csv, json, random, sys
labels = int(sys.argv[1])
out = csv.writer(sys.stdout)
out.writerow(["codes"])
rng = random.Random(7)
for _ in range(5000):
    out.writerow([json.dumps([str(9400100000000 + n) for n in rng.sample(range(1, labels + 1), 50)])])
PY
sleep 5
metric rss_rest_mib "$(rss_mib $SERVICE_PID)"

# gatling SIMULATION NAME [VAR=VALUE ...]: runs one simulation, keeps its console summary in $WORK/NAME.log.
gatling() {
  local simulation=$1 name=$2
  shift 2
  log "gatling $name"
  local seconds=$SECONDS_MEASURED arg
  for arg in "$@"; do case $arg in SG_SECONDS=*) seconds=${arg#SG_SECONDS=} ;; esac; done
  env SG_BASE_URL="http://127.0.0.1:$PORT" SG_TOKEN=$TOKEN SG_WARMUP_SECONDS=$WARMUP SG_SECONDS=$SECONDS_MEASURED "$@" \
    mvn -q -B -f benchmarks/gatling/pom.xml gatling:test -Dgatling.simulationClass=dev.shipgate.bench.$simulation \
    > "$WORK/$name.log" 2>&1 || log "$name: Gatling assertions failed (kept as a missed target)"
  python3 benchmarks/gatling_summary.py "$WORK/$name.log" "$seconds" "$name" >> "$METRICS"
}

# pgbench_run NAME CLIENTS SCRIPT: the same SQL straight to PostgreSQL, same clients and duration.
pgbench_run() {
  log "pgbench $1"
  pgbench -n -M prepared -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$2" -j 2 -T "$SECONDS_MEASURED" \
    -D rows="$ROWS" -D labels="$LABELS" -f "$3" shipgate > "$WORK/$1.log" 2>&1
  metric "$1_tps" "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$WORK/$1.log")"
  metric "$1_latency_ms" "$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$WORK/$1.log")"
}

# Workload 1, sampling the service's resident memory while it runs.
(peak=0; while kill -0 $SERVICE_PID 2> /dev/null && [ ! -f "$WORK/w1.done" ]; do
  r=$(rss_mib $SERVICE_PID); [ "$r" -gt "$peak" ] && peak=$r; echo $peak > "$WORK/w1.rss"; sleep 1
done) &
SAMPLER=$!
gatling GetShipmentSimulation w1 SG_IDS="$WORK/ids.csv" SG_USERS=64 SG_P99_MS=25
touch "$WORK/w1.done"; wait $SAMPLER
[ -z "${BENCH_PROFILE:-}" ] || "${PSQL[@]}" -At -F $'\t' -c "SELECT calls, round(mean_exec_time::numeric, 3),
  round(max_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 100) FROM pg_stat_statements
  ORDER BY total_exec_time DESC LIMIT 20" > "$WORK/pgss-w1.tsv"
metric rss_load_mib "$(cat "$WORK/w1.rss")"
pgbench_run w1_pgbench 64 benchmarks/pgbench/get_shipment.sql

if [ $QUICK = 1 ]; then
  python3 - "$METRICS" <<'PY'
import sys
m = dict(l.strip().split("=", 1) for l in open(sys.argv[1]) if "=" in l)
rps, tps = float(m["w1_rps"]), float(m["w1_pgbench_tps"])
ratio = rps / tps
print(f"workload 1: {rps:.0f} requests/s, pgbench {tps:.0f} transactions/s, ratio {ratio:.0%}, p99 {m['w1_p99']} ms")
sys.exit(0 if ratio >= 0.30 else 1)
PY
  exit $?
fi

# Workload 2.
gatling BatchTrackSimulation w2 SG_BATCHES="$WORK/batches.csv" SG_USERS=16 SG_P99_MS=50
pgbench_run w2_pgbench 16 benchmarks/pgbench/batch_track.sql

# Workload 5: one dashboard file through nginx and from the service alone.
if command -v nginx > /dev/null; then
  NGINX_LISTEN=127.0.0.1:$NGINX_PORT SHIPGATE_UPSTREAMS=127.0.0.1:$PORT WEBROOT="$ROOT/webroot" \
    NGINX_PREFIX="$WORK/nginx" bash nginx/run.sh > "$WORK/nginx.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 40); do curl -sf "http://127.0.0.1:$NGINX_PORT/app/main.js" > /dev/null && break; sleep 0.25; done
  gatling StaticAssetSimulation w5_nginx SG_BASE_URL="http://127.0.0.1:$NGINX_PORT" SG_USERS=64
  gatling StaticAssetSimulation w5_service SG_USERS=64
  kill $NGINX_PID; wait $NGINX_PID 2> /dev/null || true; NGINX_PID=""
else
  log "nginx is not installed: workload 5 skipped"
fi

# Workload 6: JMH (row to JSON, JSON encoding, webhook HMAC, ORM against raw for 1 and 50 shipments).
log "JMH"
DATABASE_URL=$DB_URL java -cp benchmarks/jmh/target/jmh.jar:target/shipgate.jar org.openjdk.jmh.Main \
  -rf json -rff "$WORK/jmh.json" > "$WORK/jmh.log" 2>&1
python3 - "$WORK/jmh.json" >> "$METRICS" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1])):
    name = b["benchmark"].rsplit(".", 2)
    key = "jmh_" + name[-2] + "_" + name[-1] + "".join("_" + v for v in b.get("params", {}).values())
    print(f"{key}={b['primaryMetric']['score']:.2f}")
PY

# Workload 3 at 1,000,000 shipments: the seeder appends to what is there.
log "seeding up to 1,000,000 shipments"
DATABASE_URL=$DB_URL java -jar target/shipgate.jar seed-demo --shipments $((1000000 - ROWS)) > "$WORK/seed-1m.log" 2>&1
"${PSQL[@]}" -c "VACUUM ANALYZE"
metric shipments_w3 "$("${PSQL[@]}" -At -c 'SELECT count(*) FROM shipments')"
# One client (the latency of a request on its own) and four at once (two per core).
for users in 1 4; do
  gatling AnalyticsSimulation w3_day_$users SG_ANALYTICS=day SG_USERS=$users SG_P99_MS=20 SG_WARMUP_SECONDS=10 SG_SECONDS=20
  gatling AnalyticsSimulation w3_range_$users SG_ANALYTICS=range SG_USERS=$users SG_P99_MS=20 SG_WARMUP_SECONDS=10 SG_SECONDS=20
done

kill $SERVICE_PID; wait $SERVICE_PID 2> /dev/null || true; SERVICE_PID=""

# Workload 4: its own service on a fresh database, the simulator at 300 ms, the gateway capped at 16.
log "bulk job (workload 4)"
env -u DATABASE_EMBEDDED_PORT -u SHIPGATE_DATA_DIR PORT=$((PORT + 3)) benchmarks/bulk-throughput.sh 1000 300 16 none | tee "$WORK/w4.log" >&2
python3 - "$WORK/w4.log" >> "$METRICS" <<'PY'
import re, sys
line = open(sys.argv[1]).read()
for key in ("elapsed_s", "calls", "calls_per_s", "theoretical", "share", "max_in_flight_gateway", "max_in_flight_simulator"):
    m = re.search(key + r"=([0-9.]+)", line)
    print(f"w4_{key}={m.group(1) if m else ''}")
PY

metric duration_s $(( $(date +%s) - STARTED ))
python3 benchmarks/report.py "$METRICS" benchmarks/RESULTS.md "benchmarks/run.sh"
log "done in $(( $(date +%s) - STARTED )) s; figures written to benchmarks/RESULTS.md"
