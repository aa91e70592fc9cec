#!/usr/bin/env python3
"""Sequential latency of GET endpoints of a running service: one keep-alive connection, 100 warm-up
requests, then 300 measured; prints p50, p99 and max per path.
Usage: benchmarks/latency.py PORT TOKEN PATH [PATH ...]"""
import http.client
import statistics
import sys
import time

port, token, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token}
for path in paths:
    samples = []
    for i in range(400):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}: {body[:200]!r}")
    measured = sorted(samples[100:])
    p99 = measured[int(len(measured) * 0.99) - 1]
    print(f"{path}: n={len(measured)} p50={statistics.median(measured):.2f}ms p99={p99:.2f}ms max={measured[-1]:.2f}ms")
