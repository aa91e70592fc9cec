#!/usr/bin/env python3
"""Reads Gatling's console summary (3.15 writes no stats.json) and prints NAME_key=value lines:
requests, failures, percentiles and throughput over the measured phase (warm-up requests are silent)."""
import re
import sys

log, seconds, name = sys.argv[1], float(sys.argv[2]), sys.argv[3]
selected = sys.argv[4] if len(sys.argv) > 4 else None
text = open(log, encoding="utf-8", errors="replace").read()
block = text[text.rfind("---- Global Information"):]


def value(label):
    m = re.search(re.escape(label) + r"[^|]*\|\s*([0-9,.]+|-)\s*\|\s*([0-9,.]+|-)\s*\|\s*([0-9,.]+|-)", block)
    if not m:
        return None, None, None
    return tuple(None if v == "-" else float(v.replace(",", "")) for v in m.groups())


total, ok, ko = value("> request count")
figures = {
    "requests": ok,
    "failures": ko or 0,
    "rps": (ok or 0) / seconds,
    "mean": value("> mean response time")[1],
    "p50": value("> response time 50th percentile")[1],
    "p90": value("> response time 90th percentile")[1],
    "p95": value("> response time 95th percentile")[1],
    "p99": value("> response time 99th percentile")[1],
    "max": value("> max response time")[1],
    "assertions": "met" if ": false" not in text else "missed",
}
if selected:
    requests = text[text.rfind("---- Requests"):]
    m = re.search(r"> " + re.escape(selected) + r"\s*\|\s*([0-9,]+)\s*\|\s*([0-9,]+)", requests)
    figures["selected_rps"] = int(m.group(2).replace(",", "")) / seconds if m else None
# The kinds of failure, as Gatling's "---- Errors" block counts them ("message  count (share)"), most first.
errors_at = text.rfind("---- Errors")
if errors_at >= 0:
    kinds = []
    for line in text[errors_at:].splitlines()[1:]:
        if line.startswith("===") or line.startswith("----"):
            break
        m = re.match(r"> (.*?)\s+([0-9,]+) \(\s*[0-9.]+%\)\s*$", line)
        if m:
            kinds.append(f"{m.group(1).strip()} ({m.group(2)})")
    figures["errors"] = "; ".join(kinds) if kinds else None
for key, v in figures.items():
    print(f"{name}_{key}={'' if v is None else (f'{v:.1f}' if isinstance(v, float) else v)}")
