#!/usr/bin/env python3
"""Runs N create-and-buy purchases one after another, as CreateAndBuySimulation does (POST /shipments, then
POST /shipments/{id}/buy with the cheapest rate, each with an Idempotency-Key of its own), and prints the
seconds they took. benchmarks/run.sh counts the statements the service sends per purchase around it.
Usage: purchases.py BASE_URL TOKEN N"""
import json
import sys
import time
import urllib.request
import uuid

base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])


def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


started = time.monotonic()
for i in range(n):
    shipment = post("/shipments", {
        "to_address": {"name": "Ada Lovelace", "street1": "417 Montgomery St", "city": "San Francisco", "state": "CA",
                       "zip": "94104", "country": "US"},
        "from_address": {"name": "Shipgate Warehouse", "street1": "1 Dock Rd", "city": "Oakland", "state": "CA",
                         "zip": "94607", "country": "US"},
        "parcel": {"length": 10, "width": 8, "height": 4, "weight": 15.4}, "reference": f"COUNT-{uuid.uuid4()}"})
    post(f"/shipments/{shipment['id']}/buy", {"strategy": "cheapest"})
print(f"{time.monotonic() - started:.2f}")
