-- GET /jobs lists jobs newest first with keyset paging on (created_at, id): with this index a page reads its
-- rows and stops, however many jobs there are.
CREATE INDEX bulk_jobs_newest_idx ON bulk_jobs (created_at DESC, id DESC);
