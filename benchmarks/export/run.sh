#!/usr/bin/env bash
# A million-row CSV export in bounded memory: seeds N demo shipments (seed-demo, COPY), starts the service
# with a small heap (-Xmx256m unless JAVA_OPTS says otherwise), then
#   1. exports every shipment with curl (GET /shipments/export.csv) and times it;
#   2. reads an export slowly (curl --limit-rate) for a few seconds, as a slow client would, then hangs up;
#   3. exports again at full speed, to show the slow client left nothing behind.
# Prints the figures as Markdown: rows, bytes, seconds, MB/s, the service's peak resident memory (VmHWM
# from /proc/<pid>/status) before and after, the heap in use after a GC, and that the service is alive.
#
#   benchmarks/export/run.sh [SHIPMENTS=1000000]
#
# Ports: EXPORT_BENCH_PORT (18680) and the one after it (embedded PostgreSQL). Needs the JDK (jcmd), curl.
# BENCH_KEEP=1 keeps the working directory (data, logs, the exported file); EXPORT_BENCH_DATA=DIR uses the
# data directory a kept run seeded (DIR/data) instead of seeding again (a million rows take minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHIPMENTS=${1:-1000000}
PORT=${EXPORT_BENCH_PORT:-18680}
TOKEN=sg_benchmark_token_export_000000000000
WORK=$(mktemp -d /tmp/shipgate-export-bench.XXXXXX)
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
PID=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  local rc=$?
  if [ -n "$PID" ]; then kill "$PID" 2> /dev/null || true; wait "$PID" 2> /dev/null || true; fi
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
mib() { echo $(( $1 / 1024 )); }

[ -f target/shipgate.jar ] || { log "building the service"; mvn -q -B package -DskipTests; }
# A copy: a build in this checkout while the benchmark runs must not swap the jar under the running JVMs.
cp target/shipgate.jar "$WORK/shipgate.jar"
export SHIPGATE_DATA_DIR=${EXPORT_BENCH_DATA:-$WORK}/data DATABASE_EMBEDDED_PORT=$((PORT + 1))
mkdir -p "$SHIPGATE_DATA_DIR"

if [ -n "${EXPORT_BENCH_DATA:-}" ]; then
  seeded="reused the data directory of an earlier run ($EXPORT_BENCH_DATA)"
else
  log "seeding $SHIPMENTS demo shipments"
  seed_start=$(date +%s)
  (cd "$WORK" && java -jar "$WORK/shipgate.jar" seed-demo --shipments "$SHIPMENTS" > "$WORK/seed.log" 2>&1)
  seeded="seeded $SHIPMENTS shipments with seed-demo in $(( $(date +%s) - seed_start )) s"
fi

log "starting the service with $JAVA_OPTS"
(cd "$WORK" && HTTP_PORT=$PORT SHIPGATE_API_TOKEN=$TOKEN LOG_FORMAT=json exec java $JAVA_OPTS -jar "$WORK/shipgate.jar" serve \
  > "$WORK/service.log" 2>&1) &
PID=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break
  kill -0 $PID 2> /dev/null || { cat "$WORK/service.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null || { echo "the service did not become ready" >&2; exit 1; }
# A warm-up: one small export and a page of the list, so the figures are not the JIT's first minutes.
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/shipments/export.csv?status=failure" -o /dev/null
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/shipments?limit=200" -o /dev/null
hwm_before=$(status_kib $PID VmHWM)
rss_before=$(status_kib $PID VmRSS)

export_all() {
  curl -sS -H "Authorization: Bearer $TOKEN" -o "$WORK/export.csv" \
    -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}\n' "http://127.0.0.1:$PORT/shipments/export.csv"
}

log "exporting every shipment"
read -r code bytes first total < <(export_all)
[ "$code" = 200 ] || { echo "export answered $code" >&2; exit 1; }
rows=$(( $(wc -l < "$WORK/export.csv") - 1 ))
hwm_after=$(status_kib $PID VmHWM)

log "a slow client: 1 MB/s for 8 s, then it hangs up"
curl -sS -H "Authorization: Bearer $TOKEN" --limit-rate 1M --max-time 8 -o /dev/null \
  "http://127.0.0.1:$PORT/shipments/export.csv" || true
hwm_slow=$(status_kib $PID VmHWM)

log "exporting again"
read -r code2 bytes2 first2 total2 < <(export_all)
rows2=$(( $(wc -l < "$WORK/export.csv") - 1 ))
hwm_end=$(status_kib $PID VmHWM)
heap=$(jcmd $PID GC.run > /dev/null 2>&1; jcmd $PID GC.heap_info 2> /dev/null | sed -n 's/.*total \([0-9]*\)K, used \([0-9]*\)K.*/\2/p' | head -1)
alive=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/live")

cores=$(nproc)
cat <<MD
Run of $(date -u +%Y-%m-%d): \`benchmarks/export/run.sh $SHIPMENTS\`, commit $(git rev-parse --short HEAD), JAVA_OPTS=\`$JAVA_OPTS\`.
Machine: $cores cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); service, embedded PostgreSQL and curl on the same machine.
Data: $seeded.

| phase | rows | bytes | first byte | total | rate | service peak RSS (VmHWM) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| before (started, warmed up) | | | | | | $(mib $hwm_before) MiB (RSS now $(mib $rss_before) MiB) |
| export of every shipment | $rows | $bytes | ${first} s | ${total} s | $(awk -v b="$bytes" -v t="$total" -v r="$rows" 'BEGIN {printf "%.1f MB/s, %.0f rows/s", b / t / 1e6, r / t}') | $(mib $hwm_after) MiB |
| slow client, 1 MB/s for 8 s, hangs up | | | | | | $(mib $hwm_slow) MiB |
| export again ($code2) | $rows2 | $bytes2 | ${first2} s | ${total2} s | $(awk -v b="$bytes2" -v t="$total2" 'BEGIN {printf "%.1f MB/s", b / t / 1e6}') | $(mib $hwm_end) MiB |

Heap in use after a full GC at the end: $(( ${heap:-0} / 1024 )) MiB of the ${JAVA_OPTS} limit; /health/live: $alive.
MD
