-- Which creation owns which EasyPost shipment, claimed before it is stored. A creation whose answer came
-- back claims its shipment at once; one whose answer was lost claims the oldest matching shipment nobody
-- has claimed, and on a conflict takes the next. So identical creations running together never take each
-- other's shipments, never both store one (no duplicate key), and none of theirs is listed as an orphan.
CREATE TABLE easypost_claims (
    easypost_id text PRIMARY KEY,
    source_key  text NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX easypost_claims_by_time ON easypost_claims (claimed_at);
