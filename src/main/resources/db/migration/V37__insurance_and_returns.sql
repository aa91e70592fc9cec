-- Insurance bought with a label or afterwards (EasyPost buy's `insurance`, shipment.insure): the insured
-- amount and EasyPost's InsuranceFee, both USD. Returns (EasyPost is_return) point at their original.
ALTER TABLE shipments
    ADD COLUMN insured_amount numeric(12, 2) CHECK (insured_amount > 0),
    ADD COLUMN insurance_fee  numeric(12, 2) CHECK (insurance_fee >= 0),
    ADD COLUMN return_of      uuid REFERENCES shipments (id);

-- At most one return per original: a second POST /shipments/{id}/return answers the first.
CREATE UNIQUE INDEX shipments_return_of_idx ON shipments (return_of) WHERE return_of IS NOT NULL;

-- Insurance spend is its own figure in the daily rollup, never mixed into postage spend.
ALTER TABLE shipment_daily_stats ADD COLUMN insurance_spend numeric(16, 2) NOT NULL DEFAULT 0;

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
            SELECT (r.created_at AT TIME ZONE 'UTC')::date AS day,
                   coalesce(r.carrier, '') AS carrier,
                   coalesce(r.service, '') AS service,
                   r.status,
                   coalesce(r.rate, 0) AS rate,
                   (r.rate IS NOT NULL AND r.refund_status IS DISTINCT FROM 'refunded')::int AS bought,
                   coalesce(r.insurance_fee, 0) AS insurance,
                   r.sign
            FROM (%s) r
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
