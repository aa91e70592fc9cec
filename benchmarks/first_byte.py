#!/usr/bin/env python3
"""Seconds from sending GET PATH to the first byte of the answer's body, then hangs up (the growth table's
export figure: a client waits that long before a CSV export starts). Usage: first_byte.py BASE_URL TOKEN PATH"""
import sys
import time
import urllib.request

base, token, path = sys.argv[1:4]
started = time.monotonic()
request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
with urllib.request.urlopen(request, timeout=900) as answer:
    answer.read(1)
    print(f"{time.monotonic() - started:.3f}")
