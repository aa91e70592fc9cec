-- No parallel scans of shipments. The service's reads of this table are short keyset and index reads, many at
-- once; a parallel worker costs 20-50 ms to start, far more than such a read takes, and on a small host the
-- workers only compete with the other requests' backends. Measured on 3M shipments: the exceptions queue's first
-- page (V59) took 50 ms when the planner gave a normally empty branch of it a parallel bitmap scan, 0.8 ms
-- without (benchmarks/RESULTS.md, "Growth"). A host with cores to spare for one large query at a time can
-- RESET it (ALTER TABLE shipments RESET (parallel_workers)).
ALTER TABLE shipments SET (parallel_workers = 0);

-- Statistics for shipments.queue_since (V59), so the planner sees how few entries lie ahead of the clock
-- without waiting for autovacuum's next analyze.
ANALYZE shipments;
