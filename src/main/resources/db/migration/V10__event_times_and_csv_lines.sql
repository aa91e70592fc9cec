-- The line of the operator's CSV file an item came from (header = line 1), so a job's results map
-- back to the file; NULL for JSON uploads.
ALTER TABLE bulk_job_items ADD COLUMN line integer;

-- EasyPost delivers tracker events at least once and in any order. The time of the newest tracking
-- detail that set a status is kept beside it, so an older event arriving late never moves a
-- delivered parcel back to in transit (the comparison is in the UPDATE itself, safe under concurrency).
ALTER TABLE shipments ADD COLUMN status_at timestamptz;
ALTER TABLE trackers ADD COLUMN status_at timestamptz;
