-- Benchmark fixture, run by benchmarks/run.sh on its own freshly seeded database (never on real data):
-- numbers the shipments for random picks by pgbench, and gives the bought labels tracking codes that
-- pgbench can draw at random (9400100000000 + n, USPS-like digits) instead of the seeder's random ones.
-- bench_uuid(k, part): the ids of pgbench's write path (purchase.sql), made from its random number k; part
-- tells the purchase's rows apart. Immutable, so it is evaluated once per execution like a bound uuid.
CREATE OR REPLACE FUNCTION bench_uuid(k bigint, part integer) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT (lpad(to_hex(part), 8, '0') || lpad(to_hex(k), 24, '0'))::uuid $$;
DROP TABLE IF EXISTS bench_ids;
CREATE TABLE bench_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM shipments;
ALTER TABLE bench_ids ADD PRIMARY KEY (n);
UPDATE shipments s SET tracking_code = (9400100000000 + b.n)::text
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM shipments WHERE tracking_code IS NOT NULL) b
WHERE s.id = b.id;
VACUUM ANALYZE bench_ids;
VACUUM ANALYZE shipments;
SELECT (SELECT count(*) FROM bench_ids) AS rows, (SELECT count(*) FROM shipments WHERE tracking_code IS NOT NULL) AS labels \gset
\echo rows=:rows labels=:labels
