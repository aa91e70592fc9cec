-- Per-day rollup of shipments so analytics answer from a few hundred rows, not a scan of a million.
-- Kept exact by statement-level triggers with transition tables: one upsert per group per statement,
-- which also covers COPY and multi-row inserts. Days are UTC days of the shipment's creation.
-- A label counts (and its rate counts as spend) when a rate is bought and not refunded.

CREATE TABLE shipment_daily_stats (
    day       date   NOT NULL,
    carrier   text   NOT NULL,
    service   text   NOT NULL,
    status    text   NOT NULL,
    shipments bigint NOT NULL DEFAULT 0,
    labels    bigint NOT NULL DEFAULT 0,
    spend     numeric(16, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (day, carrier, service, status)
);

CREATE FUNCTION shipment_daily_stats_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
        WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
        ELSE 'SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO shipment_daily_stats AS d (day, carrier, service, status, shipments, labels, spend)
        SELECT day, carrier, service, status, sum(sign), sum(sign * bought), sum(sign * bought * rate)
        FROM (
            SELECT (r.created_at AT TIME ZONE 'UTC')::date AS day,
                   coalesce(r.carrier, '') AS carrier,
                   coalesce(r.service, '') AS service,
                   r.status,
                   coalesce(r.rate, 0) AS rate,
                   (r.rate IS NOT NULL AND r.refund_status IS DISTINCT FROM 'refunded')::int AS bought,
                   r.sign
            FROM (%s) r
        ) delta
        GROUP BY day, carrier, service, status
        HAVING sum(sign) <> 0 OR sum(sign * bought) <> 0 OR sum(sign * bought * rate) <> 0
        ORDER BY day, carrier, service, status
        ON CONFLICT (day, carrier, service, status) DO UPDATE
            SET shipments = d.shipments + excluded.shipments,
                labels = d.labels + excluded.labels,
                spend = d.spend + excluded.spend
    $sql$, changed);
    RETURN NULL;
END;
$$;

CREATE TRIGGER shipments_stats_insert AFTER INSERT ON shipments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_apply();

CREATE TRIGGER shipments_stats_update AFTER UPDATE ON shipments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_apply();

CREATE TRIGGER shipments_stats_delete AFTER DELETE ON shipments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_apply();
