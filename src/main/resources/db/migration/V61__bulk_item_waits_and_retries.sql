-- A bulk item put back without EasyPost acting on it (a rate limit, an open breaker, a full queue of calls)
-- waits instead of spending an attempt: `waits` counts those put-backs, and the wait after a rate limit
-- doubles with it. A job's failed items can be tried again (POST /jobs/{id}/retry): `retries` counts how
-- often, so each completion has its own job.completed event.
ALTER TABLE bulk_job_items ADD COLUMN waits integer NOT NULL DEFAULT 0;
ALTER TABLE bulk_jobs ADD COLUMN retries integer NOT NULL DEFAULT 0;
