-- When a dispatcher leased a pending delivery for an attempt, cleared when the attempt is recorded. A pending
-- delivery with no lease and a next attempt in the future is waiting for a retry: a replay makes it due now.
-- One with a lease is being sent (or was, by an instance that died: it is due again when the lease ends), and a
-- replay leaves it alone, so it is never sent twice at once.
ALTER TABLE webhook_deliveries ADD COLUMN leased_at timestamptz;
