#!/usr/bin/env python3
"""Writes one run of benchmarks/run.sh into RESULTS.md, between the generated-section markers, keeping
the hand-written analysis around them: the full run between "run.sh: begin/end", a --growth run (metrics
with mode=growth) between "run.sh --growth: begin/end". Every figure comes from the metrics file.
Usage: report.py METRICS RESULTS.md COMMAND"""
import datetime
import os
import platform
import re
import subprocess
import sys

metrics_file, results, command = sys.argv[1:4]
m = dict(line.rstrip("\n").split("=", 1) for line in open(metrics_file) if "=" in line)
GROWTH = m.get("mode") == "growth"
BEGIN, END = (("<!-- run.sh --growth: begin -->", "<!-- run.sh --growth: end -->") if GROWTH
              else ("<!-- run.sh: begin -->", "<!-- run.sh: end -->"))


def num(key):
    try:
        return float(m[key])
    except (KeyError, ValueError):
        return None


def fmt(v, digits=0):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def sh(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
mem_gib = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1024 / 1024
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
commit = sh("git", "rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if sh("git", "status", "--porcelain") else "")



def ms(key):
    return fmt(num(key))


def ratio(a, b):
    return None if a is None or not b else a / b


def machine():
    return (f"Machine: {os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, {platform.system()} {platform.release()}, {java}; "
            "the service, its embedded PostgreSQL 17, pgbench, Gatling and nginx all on this one machine.")


def write(block):
    text = open(results, encoding="utf-8").read() if os.path.exists(results) else "# Benchmark results\n\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    open(results, "w", encoding="utf-8").write(text)
    print(block)


def growth_table():
    """The seven reads at each size of growth_sizes, one column a size: the --growth run's whole block, and the
    full run's last table."""
    sizes = m.get("growth_sizes", "").split()
    reads = [("by_id", "`GET /shipments/{id}`"), ("list", "first list page (`GET /shipments?limit=50`)"),
             ("search", "filtered list with search (`?status=delivered&q=<name>&limit=50`)"),
             ("exceptions", "exceptions queue, first page (`GET /exceptions?limit=50`)"),
             ("day", "a day's analytics (`GET /analytics/{date}`)"), ("range", "90-day range (`GET /analytics?from&to`)")]
    lines = ["| read | " + " | ".join(f"{fmt(num(f'g{z}_shipments'))} shipments" for z in sizes) + " |",
             "| --- |" + " ---: |" * len(sizes)]

    def cell(z, key):
        if num(f"g{z}_{key}_requests") is None:
            return "no figure (Gatling failed, see its log)"
        failed = num(f"g{z}_{key}_failures")
        return (f"{ms(f'g{z}_{key}_p50')} / {ms(f'g{z}_{key}_p99')} ms, {fmt(num(f'g{z}_{key}_rps'))}/s"
                + (f", {fmt(failed)} failed" if failed else ""))

    for key, label in reads:
        lines.append(f"| {label} | " + " | ".join(cell(z, key) for z in sizes) + " |")
    lines.append("| export, first byte | " + " | ".join(f"{fmt(num(f'g{z}_export_first_byte_s'), 2)} s" for z in sizes) + " |")
    lines.append("| seed-demo growing the data to this size | " + " | ".join(
        "(seeded before)" if num(f"g{z}_seed_s") is None else f"{fmt(num(f'g{z}_seed_s'))} s" for z in sizes) + " |")
    return lines


GROWTH_NOTE = ("One client at a time (the latency of a request on its own), a silent warm-up then a measured phase per "
               "read and size; p50 / p99 in ms, then requests per second. The export is the seconds to the first byte "
               "of an unfiltered `GET /shipments/export.csv` (the second of two, the first warms up).")

if GROWTH:
    out = [BEGIN, "",
           f"Run of {datetime.date.today().isoformat()}: `{command}` in {fmt(num('duration_s'))} s, commit {commit}.",
           *([f"**A smoke run of the scripts, not figures:** made small with `{m['smoke']}`.", ""] if m.get("smoke") else []),
           machine() + " " + GROWTH_NOTE, ""] + growth_table() + ["", END]
    write("\n".join(out))
    sys.exit(0)

def size(n, default):
    """A data size as the tables name it (100k, 1M, 5M, 2,000), or default when the run did not record it."""
    if n is None:
        return default
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n / 1_000_000:.0f}M"
    if n >= 1_000 and n % 1_000 == 0 and n >= 10_000:
        return f"{n / 1_000:.0f}k"
    return fmt(n)


w1, w1pg = num("w1_rps"), num("w1_pgbench_tps")
w2, w2pg = num("w2_rps"), num("w2_pgbench_tps")
r1 = w1 / w1pg if w1 and w1pg else None
r2 = w2 / w2pg if w2 and w2pg else None
p99_1 = num("w1_p99")
rows = [
    (f"1. `GET /shipments/{{id}}`, random ids, 64 connections, {size(num('w1_shipments'), '100k')} shipments",
     f"{fmt(w1)} req/s (p50 {fmt(num('w1_p50'))} / p95 {fmt(num('w1_p95'))} / p99 {fmt(p99_1)} ms, {fmt(num('w1_failures'))} failed)",
     f"{fmt(w1pg)} tx/s (3 statements each)", f"{fmt(r1 * 100 if r1 else None)}%",
     f"≥ 65% and p99 ≤ 25 ms: {verdict(None if r1 is None or p99_1 is None else (r1 >= 0.65 and p99_1 <= 25))}"),
    ("2. `POST /shipments/batch-track`, 50 codes, 16 connections",
     f"{fmt(w2)} req/s (p50 {fmt(num('w2_p50'))} / p99 {fmt(num('w2_p99'))} ms, {fmt(num('w2_failures'))} failed)",
     f"{fmt(w2pg)} tx/s", f"{fmt(r2 * 100 if r2 else None)}%", f"≥ 60%: {verdict(None if r2 is None else r2 >= 0.6)}"),
]
W3 = size(num("shipments_w3"), "1M")
for key, label in (("w3_day_1", f"3. `GET /analytics/{{date}}`, 1 connection, {W3} shipments"),
                   ("w3_range_1", f"3. `GET /analytics?from&to`, 90 days, 1 connection, {W3} shipments"),
                   ("w3_day_4", f"3. `GET /analytics/{{date}}`, 4 connections, {W3} shipments"),
                   ("w3_range_4", f"3. `GET /analytics?from&to`, 90 days, 4 connections, {W3} shipments")):
    p99 = num(f"{key}_p99")
    rows.append((label, f"{fmt(num(key + '_rps'))} req/s (p50 {fmt(num(key + '_p50'))} / p99 {fmt(p99)} ms)", "", "",
                 f"p99 < 20 ms: {verdict(None if p99 is None else p99 < 20)}"))
share, inflight = num("w4_share"), num("w4_max_in_flight_gateway")
rows.append(("4. bulk job, 1,000 shipments, simulator at 300 ms, cap 16",
             f"{fmt(num('w4_calls_per_s'), 1)} calls/s in {fmt(num('w4_elapsed_s'), 1)} s, max in flight "
             f"{fmt(inflight)} (gateway) / {fmt(num('w4_max_in_flight_simulator'))} (simulator)",
             f"{fmt(num('w4_theoretical'), 1)} calls/s = 16 / 0.3 s", f"{fmt(share, 1)}%",
             f"≥ 90%, ≤ 16 in flight: {verdict(None if share is None else share >= 90 and inflight is not None and inflight <= 16)}"))
rows.append(("5. `/app/main.js`, 64 connections", f"nginx {fmt(num('w5_nginx_rps'))} req/s (p99 {fmt(num('w5_nginx_p99'))} ms)",
             f"service alone {fmt(num('w5_service_rps'))} req/s (p99 {fmt(num('w5_service_p99'))} ms)", "", "both figures"))
for size in ("1", "50"):
    orm, raw = num(f"jmh_OrmVsRawBenchmark_orm_{size}"), num(f"jmh_OrmVsRawBenchmark_raw_{size}")
    rows.append((f"6. {size} full shipment{'s' if size == '50' else ''} by id (JMH, one caller)",
                 f"ORM {fmt(orm)} µs", f"raw {fmt(raw)} µs", f"raw {fmt(orm / raw if orm and raw else None, 2)}× faster", "both figures"))
rows.append(("7. service resident memory (RSS)", f"at rest {fmt(num('rss_rest_mib'))} MiB",
             f"peak under workload 1 {fmt(num('rss_load_mib'))} MiB", "", "both figures"))
rows.append(("10. `GET /shipments/{id}` through nginx, 64 connections",
             f"two instances {fmt(num('w10_two_rps'))} req/s (p50 {ms('w10_two_p50')} / p99 {ms('w10_two_p99')} ms, "
             f"{fmt(num('w10_two_failures'))} failed)",
             f"one instance {fmt(num('w10_one_rps'))} req/s (p50 {ms('w10_one_p50')} / p99 {ms('w10_one_p99')} ms)",
             f"{fmt(ratio(num('w10_two_rps'), num('w10_one_rps')), 2)}×", "both figures"))

# A run of some parts only (BENCH_ONLY) leaves the other workloads' rows out, and says which.
ROW_KEYS = ["w1_rps", "w2_rps", "w3_day_1_rps", "w3_range_1_rps", "w3_day_4_rps", "w3_range_4_rps", "w4_calls_per_s",
            "w5_nginx_rps", "jmh_OrmVsRawBenchmark_orm_1", "jmh_OrmVsRawBenchmark_orm_50", "rss_rest_mib", "w10_one_rps"]
assert len(ROW_KEYS) == len(rows)
not_run = [r[0] for r, key in zip(rows, ROW_KEYS) if key not in m]
rows = [r for r, key in zip(rows, ROW_KEYS) if key in m]

# Workload 8: the write path.
write_rows = []
for users in ("16", "64"):
    purchases = num(f"write_{users}_selected_rps")  # a purchase is done when its buy is answered
    tps = num(f"write_pgbench_{users}_tps")
    write_rows.append(f"| {users} | {fmt(purchases, 1)} (p50 {ms(f'write_{users}_p50')} / p99 {ms(f'write_{users}_p99')} ms "
                      f"per request, {fmt(num(f'write_{users}_failures'))} failed) | {fmt(tps, 1)} | "
                      f"{fmt(ratio(purchases, tps) * 100 if ratio(purchases, tps) else None)}% |")
write_block = [] if "write_16_selected_rps" not in m and "write_64_selected_rps" not in m else [
    "", "8. Write path: create and buy (`POST /shipments`, then `POST /shipments/{id}/buy` with the cheapest rate, "
    "each with an Idempotency-Key), simulator at 0 ms, EasyPost worker pool raised to "
    f"{fmt(num('easypost_cap'))}, against pgbench sending the same statements per purchase "
    "(`benchmarks/pgbench/purchase.sql`):", "",
    "| clients | Shipgate purchases/s | pgbench purchases/s | ratio |", "| ---: | ---: | ---: | ---: |"] + write_rows + [
    "", f"Per purchase: {fmt(num('write_statements_per_purchase'), 2)} statements sent by the service (pg_stat_statements over "
    f"{fmt(num('write_count_purchases'))} purchases one after another, less the background workers' statements in as long idle), "
    f"{fmt(num('write_script_statements'))} in pgbench's script, in {fmt(num('write_script_round_trips'))} round trips "
    "(statements sent together counted once, as the service's client pipelines them). A fraction above the script's "
    "count is a background worker polling more often under load than idle; a whole statement more is the service's "
    "(the statements counted are kept in `statements-per-purchase.txt` with `BENCH_KEEP=1`)."]

# Workload 9: closed model at 8 / 64 / 256 connections, open model at 50% and 80% of the best of them.
closed = [("8", "w1_c8"), ("64", "w1"), ("256", "w1_c256")]
lat_block = ["", "9. `GET /shipments/{id}` latency, closed model (each connection waits for its answer) and open model "
             "(a fixed arrival rate, Gatling `constantUsersPerSec`, sharing keep-alive connections):", "",
             "| model | load | throughput req/s | p50 | p90 | p99 | max | failed |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for users, key in closed:
    if key + "_rps" not in m:
        continue
    lat_block.append(f"| closed | {users} connections | {fmt(num(key + '_rps'))} | {ms(key + '_p50')} | {ms(key + '_p90')} | "
                     f"{ms(key + '_p99')} | {ms(key + '_max')} | {fmt(num(key + '_failures'))} |")
if num("before_pool") is not None:
    for users, key in (("64", "before_c64"), ("256", "before_c256")):
        lat_block.append(f"| closed, before: raw pool {fmt(num('before_pool'))} | {users} connections | {fmt(num(key + '_rps'))} | "
                         f"{ms(key + '_p50')} | {ms(key + '_p90')} | {ms(key + '_p99')} | {ms(key + '_max')} | "
                         f"{fmt(num(key + '_failures'))} |")
for share, key in (("50", "open_50"), ("80", "open_80")) if "open_max_rps" in m else ():
    lat_block.append(f"| open | {fmt(num(key + '_rate'))} arrivals/s ({share}% of {fmt(num('open_max_rps'))}, the closed model at 64) | "
                     f"{fmt(num(key + '_rps'))} | {ms(key + '_p50')} | {ms(key + '_p90')} | {ms(key + '_p99')} | "
                     f"{ms(key + '_max')} | {fmt(num(key + '_failures'))} |")
lat_block.append("")
lat_block.append("Latencies in ms." + (" The open model's rate is 50% and 80% of the closed model's throughput at 64 "
                 "connections in the same run (workload 1)." if "open_max_rps" in m else ""))
for key in [k for _, k in closed] + ["before_c64", "before_c256", "open_50", "open_80"]:
    kinds = m.get(key + "_errors")
    if kinds:
        lat_block.append(f"Failures of `{key}`, by kind (Gatling's error messages and counts): {kinds}.")

# The tail with wrk (the issue's own method), before and after, medians of the interleaved sittings.
tail_block = []
if num("tail_sittings") is not None:
    import statistics
    sittings = int(num("tail_sittings"))
    def med(prefix, field):
        vals = [num(f"{prefix}_s{i}_{field}") for i in range(1, sittings + 1)]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None
    def spread(prefix, field):
        vals = [num(f"{prefix}_s{i}_{field}") for i in range(1, sittings + 1)]
        vals = [v for v in vals if v is not None]
        return f"{fmt(min(vals))}-{fmt(max(vals))}" if vals else "n/a"
    tail_block = ["", f"The tail with wrk (`wrk -t2`, 10 s warm-up, 15 s measured, {sittings} interleaved sittings, medians; "
                  "the sittings' range of p99 in brackets), before (raw pool "
                  f"{fmt(num('tail_before_pool'))}) and after (the default):", "",
                  "| raw pool | connections | requests/s | p50 | p99 | p99.9 | max | errors | target p99 |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for setting, label in (("before", f"before: {fmt(num('tail_before_pool'))}"), ("after", "after: default")):
        for c, target in (("64", 25), ("256", 80)):
            prefix = f"tail_{setting}_c{c}"
            p99 = med(prefix, "p99")
            verdict_text = "" if setting == "before" else (f"≤ {target} ms: " + ("met" if p99 is not None and p99 <= target else "missed"))
            tail_block.append(f"| {label} | {c} | {fmt(med(prefix, 'rps'))} | {fmt(med(prefix, 'p50'), 1)} | "
                              f"{fmt(p99, 1)} ({spread(prefix, 'p99')}) | {fmt(med(prefix, 'p999'), 1)} | {fmt(med(prefix, 'max'), 1)} | "
                              f"{fmt(med(prefix, 'errors'))} | {verdict_text} |")
    tail_block.append("")
    tail_block.append("Latencies in ms.")

jmh = [(k[4:], v) for k, v in m.items() if k.startswith("jmh_") and "OrmVsRaw" not in k]
out = [BEGIN, "",
       f"Run of {datetime.date.today().isoformat()}: `{command}` in {fmt(num('duration_s'))} s, commit {commit}.",
       *([f"**A smoke run of the scripts, not figures:** made small with `{m['smoke']}`.", ""] if m.get("smoke") else []),
       machine() + " "
       f"Each load figure is one {fmt(num('seconds_measured'))} s measured phase after a "
       f"{fmt(num('warmup_seconds'))} s warm-up whose requests are left out.",
       "",
       "| workload | Shipgate | reference | ratio | target |",
       "| --- | --- | --- | ---: | --- |"]
out += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
if not_run:
    out += ["", "Not part of this run (`BENCH_ONLY`): " + "; ".join(not_run) + "."]
out += write_block + lat_block + tail_block
if m.get("growth_sizes"):
    out += ["", "Growth: the same seven reads as the data grows, in this run (the sizes are the run's own: the other workloads "
            "at the first, workload 3 at the second, then seed-demo appends up to the last; workload 4 has a database of its own). " + GROWTH_NOTE,
            ""] + growth_table()
if jmh:
    out += ["", "JMH (average time per operation, one thread):", "", "| benchmark | µs/op |", "| --- | ---: |"]
    out += [f"| {k} | {float(v):,.2f} |" for k, v in sorted(jmh)]
out += ["", END]
write("\n".join(out))
