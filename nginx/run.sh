#!/usr/bin/env bash
# Runs nginx unprivileged in front of one or more Shipgate instances, with everything under a prefix
# folder (config, pid, logs, temp files): nothing under /etc or /var is touched.
#
# Settings (environment):
#   NGINX_LISTEN        address:port to listen on          (default 127.0.0.1:8088)
#   SHIPGATE_UPSTREAMS  instances, space-separated          (default 127.0.0.1:8080)
#   WEBROOT             the dashboard to serve              (default webroot/ of this repo)
#   NGINX_PREFIX        where config, logs and temp go      (default target/nginx)
#   API_RATE, API_BURST          edge limit for /api/ and /mcp per client (default 100 r/s, burst 200)
#   WEBHOOK_RATE, WEBHOOK_BURST  edge limit for /webhooks/           (default 50 r/s, burst 100)
#   EVENTS_READ_TIMEOUT  longest silence on a job's event stream (default 60s: four of the service's
#                        15 s heartbeats; keep it above SSE_HEARTBEAT_SECONDS)
# nginx runs in the foreground; stop it with Ctrl-C or SIGTERM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
listen=${NGINX_LISTEN:-127.0.0.1:8088}
upstreams=${SHIPGATE_UPSTREAMS:-127.0.0.1:8080}
webroot=$(cd "${WEBROOT:-$repo/webroot}" && pwd)
prefix=${NGINX_PREFIX:-$repo/target/nginx}
command -v nginx >/dev/null || { echo "nginx is not installed (Debian: apt-get install -y nginx)" >&2; exit 3; }

mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp"
prefix=$(cd "$prefix" && pwd)
servers=""
for u in $upstreams; do
  servers+="        server $u max_fails=1 fail_timeout=5s;"$'\n'
done
cp "$here/security_headers.conf" "$prefix/conf/security_headers.conf"
awk -v prefix="$prefix" -v listen="$listen" -v webroot="$webroot" -v servers="$servers" \
    -v api_rate="${API_RATE:-100}" -v api_burst="${API_BURST:-200}" \
    -v webhook_rate="${WEBHOOK_RATE:-50}" -v webhook_burst="${WEBHOOK_BURST:-100}" \
    -v events_read_timeout="${EVENTS_READ_TIMEOUT:-60s}" '
  /@UPSTREAM_SERVERS@/ { printf "%s", servers; next }
  { gsub("@PREFIX@", prefix); gsub("@LISTEN@", listen); gsub("@WEBROOT@", webroot);
    gsub("@API_RATE@", api_rate); gsub("@API_BURST@", api_burst);
    gsub("@WEBHOOK_RATE@", webhook_rate); gsub("@WEBHOOK_BURST@", webhook_burst);
    gsub("@EVENTS_READ_TIMEOUT@", events_read_timeout); print }
' "$here/nginx.conf.template" > "$prefix/conf/nginx.conf"
nginx -t -q -p "$prefix" -c conf/nginx.conf -g 'daemon off;'
echo "nginx on http://$listen in front of: $upstreams (config $prefix/conf/nginx.conf)"
exec nginx -p "$prefix" -c conf/nginx.conf -g 'daemon off;'
