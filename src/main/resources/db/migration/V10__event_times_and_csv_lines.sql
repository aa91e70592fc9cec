-- The line of the operator's CSV file an item came from (header = line 1), so a job's results map
-- back to the file; NULL for JSON uploads.
ALTER TABLE bulk_job_items ADD COLUMN line integer;
