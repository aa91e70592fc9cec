"""Summaries for benchmarks/tail.sh, one line per measured phase.

  tail_report.py phase OUT CONNECTIONS   wrk, GC log, pool waits, connections per loop, pg_stat_statements, CPU
  tail_report.py jfr OUT CONNECTIONS     GC pauses, safepoints and parks from the JFR recording, same phase
"""
import json
import os
import re
import sys
from datetime import datetime


def read_phase(out, c):
    f = open(os.path.join(out, f"phase-{c}.txt")).read().split()
    return {"up": (float(f[1]), float(f[2])), "wall": (float(f[3]), float(f[4])),
            "cpu_before": list(map(int, f[5:8])), "cpu_after": list(map(int, f[8:11]))}


def wrk_line(out, c):
    text = open(os.path.join(out, f"wrk-{c}.log")).read()
    m = re.search(r"^tail: (.*)$", text, re.M)
    if not m:
        return {"wrk": "no summary: " + text.strip().replace("\n", " ")[:200]}
    return dict(kv.split("=") for kv in m.group(1).split())


def gc_pauses(out, up):
    """Pauses that stopped the application, from -Xlog:gc* (the lines of tag [gc] with a duration)."""
    pauses = []
    pattern = re.compile(r"^\[(\d+\.\d+)s\]\[info\]\[gc\s*\] GC\(\d+\) (Pause .*?) (\d+\.\d+)ms$")
    for line in open(os.path.join(out, "gc.log"), errors="replace"):
        m = pattern.match(line.strip())
        if m and up[0] <= float(m.group(1)) <= up[1]:
            pauses.append(float(m.group(3)))
    return pauses


def prometheus(path):
    """{(name, labels text): value} of one scrape."""
    values = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if m:
            values[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return values


def pool_waits(before, after):
    """Per pool: requests, mean and p50/p99 (bucket upper bounds) of the wait for a connection in the phase."""
    result = {}
    for pool in ("raw", "orm"):
        buckets = []
        for (name, labels), v in after.items():
            if name == "vertx_pool_queue_time_seconds_bucket" and f'pool_name="{pool}"' in labels:
                le = re.search(r'le="([^"]+)"', labels).group(1)
                buckets.append((float("inf") if le == "+Inf" else float(le), v - before.get((name, labels), 0.0)))
        buckets.sort()
        count = sum(v - before.get((n, l), 0.0) for (n, l), v in after.items()
                    if n == "vertx_pool_queue_time_seconds_count" and f'pool_name="{pool}"' in l)
        total = sum(v - before.get((n, l), 0.0) for (n, l), v in after.items()
                    if n == "vertx_pool_queue_time_seconds_sum" and f'pool_name="{pool}"' in l)
        if not buckets or count <= 0:
            result[pool] = "none"
            continue

        def quantile(q):
            for le, cumulative in buckets:
                if cumulative >= q * count:
                    return "≤" + ("inf" if le == float("inf") else f"{le * 1000:g}ms")
            return "?"
        result[pool] = f"n={count:.0f} mean={total / count * 1000:.2f}ms p50{quantile(0.5)} p99{quantile(0.99)}"
    return result


def loops(mid):
    counts = {}
    for (name, labels), v in mid.items():
        if name == "shipgate_http_connections":
            counts[re.search(r'event_loop="([^"]+)"', labels).group(1).replace("vert.x-eventloop-thread-", "loop")] = int(v)
    return " ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "none"


def pgss(out, c):
    rows = []
    for line in open(os.path.join(out, f"pgss-{c}.tsv")):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 5:
            what = "shipment" if f[4].startswith("SELECT s.id") else "events" if "DISTINCT ON" in f[4] else "rates"
            rows.append(f"{what}:mean={f[1]}ms,max={f[2]}ms")
    return " ".join(rows) or "none"


def phase(out, c):
    p = read_phase(out, c)
    w = wrk_line(out, c)
    pauses = gc_pauses(out, p["up"])
    before = prometheus(os.path.join(out, f"metrics-before-{c}.txt"))
    after = prometheus(os.path.join(out, f"metrics-after-{c}.txt"))
    mid_path = os.path.join(out, f"metrics-mid-{c}.txt")
    mid = prometheus(mid_path) if os.path.exists(mid_path) else {}
    seconds = p["wall"][1] - p["wall"][0]
    hz = os.sysconf("SC_CLK_TCK")
    cpu = [max(0, a - b) / hz / seconds for a, b in zip(p["cpu_after"], p["cpu_before"])]
    wrk_cpu = os.path.join(out, f"wrk-cpu-{c}.txt")
    if os.path.exists(wrk_cpu):
        cpu[2] = sum(float(x) for x in open(wrk_cpu).read().split()[-2:]) / seconds
    if "requests" in w:
        rps = int(w["requests"]) / (int(w["duration_us"]) / 1e6)
        errors = sum(int(w[k]) for k in w if k.startswith("errors_"))
        latency = (f"{rps:,.0f} req/s p50 {w['p50_ms']} p90 {w['p90_ms']} p99 {w['p99_ms']} p99.9 {w['p999_ms']} "
                   f"max {w['max_ms']} ms, {errors} errors")
    else:
        latency = w["wrk"]
    waits = pool_waits(before, after)
    print(f"c={c}: {latency} | GC {len(pauses)} pauses, total {sum(pauses):.0f} ms, max {max(pauses, default=0):.1f} ms"
          f" | pool wait raw {waits['raw']}; orm {waits['orm']} | connections per loop {loops(mid)}"
          f" | pg_stat_statements {pgss(out, c)} | cores busy: service {cpu[0]:.2f}, postgres {cpu[1]:.2f}, wrk {cpu[2]:.2f}")


def jfr(out, c):
    p = read_phase(out, c)
    path = os.path.join(out, "jfr-events.json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        print(f"c={c} JFR: no events")
        return
    events = json.load(open(path))["recording"]["events"]
    stats = {}
    allocated = 0
    for e in events:
        start = datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00")).timestamp()
        if not p["wall"][0] <= start <= p["wall"][1]:
            continue
        if e["type"] == "jdk.ObjectAllocationSample":
            # the sample's weight stands for the bytes allocated since the thread's previous sample
            if "eventloop" in (e["values"].get("eventThread") or {}).get("javaName", ""):
                allocated += e["values"]["weight"]
            continue
        d = e["values"].get("duration", "PT0S")
        m = re.match(r"PT(?:(\d+)M)?(\d+(?:\.\d+)?)S", d)
        ms = (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0
        s = stats.setdefault(e["type"], [0, 0.0, 0.0])
        s[0] += 1
        s[1] += ms
        s[2] = max(s[2], ms)
    parts = [f"{t.replace('jdk.', '')} n={n} total={tot:.0f}ms max={mx:.1f}ms" for t, (n, tot, mx) in sorted(stats.items())]
    w = wrk_line(out, c)
    if "requests" in w and int(w["requests"]) > 0:
        parts.append(f"event loops allocated {allocated / int(w['requests']) / 1024:.0f} KiB/request")
    print(f"c={c} JFR: " + ("; ".join(parts) or "no events in the phase"))


if __name__ == "__main__":
    {"phase": phase, "jfr": jfr}[sys.argv[1]](sys.argv[2], sys.argv[3])
