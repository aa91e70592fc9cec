-- The business's own day. Analytics days are days of the business's time zone (BUSINESS_TIMEZONE), not UTC.
-- The zone the daily rollup is built with lives here, in one row that the rollup trigger reads on every
-- statement: every writer (the service, CLI commands, psql, a restore) buckets in the same zone, and a late
-- change to an old shipment subtracts from the very bucket its creation was added to. A per-connection
-- setting could not promise either. The service rebuilds the rollup when it starts with another zone.
-- Should the row ever be deleted by hand, the trigger falls back to UTC and the next start rebuilds.
CREATE TABLE business_settings (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    time_zone         text        NOT NULL,
    rollups_built_at  timestamptz NOT NULL DEFAULT now()
);

-- Rollups so far were built on UTC days.
INSERT INTO business_settings (time_zone) VALUES ('UTC');

CREATE OR REPLACE FUNCTION shipment_daily_stats_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
        WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
        ELSE 'SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO shipment_daily_stats AS d (day, carrier, service, status, shipments, labels, spend, insurance_spend)
        SELECT day, carrier, service, status, sum(sign), sum(sign * bought), sum(sign * bought * rate),
               sum(sign * insurance)
        FROM (
            SELECT (r.created_at AT TIME ZONE z.time_zone)::date AS day,
                   coalesce(r.carrier, '') AS carrier,
                   coalesce(r.service, '') AS service,
                   r.status,
                   coalesce(r.rate, 0) AS rate,
                   (r.rate IS NOT NULL AND r.refund_status IS DISTINCT FROM 'refunded')::int AS bought,
                   coalesce(r.insurance_fee, 0) AS insurance,
                   r.sign
            FROM (%s) r CROSS JOIN (SELECT coalesce(max(time_zone), 'UTC') AS time_zone FROM business_settings) z
        ) delta
        GROUP BY day, carrier, service, status
        HAVING sum(sign) <> 0 OR sum(sign * bought) <> 0 OR sum(sign * bought * rate) <> 0 OR sum(sign * insurance) <> 0
        ORDER BY day, carrier, service, status
        ON CONFLICT (day, carrier, service, status) DO UPDATE
            SET shipments = d.shipments + excluded.shipments,
                labels = d.labels + excluded.labels,
                spend = d.spend + excluded.spend,
                insurance_spend = d.insurance_spend + excluded.insurance_spend
    $sql$, changed);
    RETURN NULL;
END;
$$;
