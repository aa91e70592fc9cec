package dev.shipgate.analytics;

/**
 * Carrier performance from the account's own deliveries, one statement on the raw pool. Rows come from the
 * partial index {@code shipments_delivered_idx} (migration V42: delivered shipments by delivery time, with
 * the columns read here included), so a range costs its delivered shipments, not the table. Grouping sets
 * give each carrier-and-service figure and each carrier's overall one (service NULL) in one pass;
 * {@code percentile_cont} interpolates between the two nearest values, and ignores shipments lacking the
 * time it measures.
 *
 * <p>Days are fractional (hours / 24), rounded to two decimals. A parcel is on time when its delivery day in
 * the business's time zone ({@code #{zone}}) is not after the expected day: the bought rate's
 * {@code delivery_date} (the promise at purchase), else the first {@code est_delivery_date} a tracker event
 * gave. Both are calendar dates the carrier wrote as midnight UTC ({@code 2026-06-15T00:00:00Z}), so their
 * date is read as written (its UTC date), never moved into the zone: in Los Angeles that would make every
 * promise a day earlier. A parcel delivered at 23:30 Los Angeles time on its promised day is on time, though
 * that is the next day in UTC. Shipments with neither date are counted as delivered but left out of the
 * on-time share.
 */
final class CarrierPerformanceSql {

    static final String BY_CARRIER = """
            WITH delivered AS (
                SELECT coalesce(s.carrier, '') AS carrier, coalesce(s.service, '') AS service,
                       (s.delivered_at AT TIME ZONE #{zone})::date AS delivered_day,
                       coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date) AS expected,
                       extract(epoch FROM s.delivered_at - s.first_scan_at) / 86400 AS transit_days,
                       greatest(extract(epoch FROM s.first_scan_at - s.label_bought_at), 0) / 86400 AS to_first_scan_days
                FROM shipments s
                WHERE s.delivered_at IS NOT NULL AND s.delivered_at >= #{from} AND s.delivered_at < #{before})
            SELECT carrier, CASE WHEN grouping(service) = 1 THEN NULL ELSE service END AS service,
                   count(*) AS delivered,
                   count(expected) AS with_estimate,
                   count(*) FILTER (WHERE delivered_day <= expected) AS on_time,
                   count(transit_days) AS with_transit,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY transit_days)::numeric, 2)::float8 AS transit_p50,
                   round(percentile_cont(0.9) WITHIN GROUP (ORDER BY transit_days)::numeric, 2)::float8 AS transit_p90,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY to_first_scan_days)::numeric, 2)::float8 AS to_first_scan_p50,
                   round(avg(to_first_scan_days)::numeric, 2)::float8 AS to_first_scan_avg
            FROM delivered
            GROUP BY GROUPING SETS ((carrier, service), (carrier))
            ORDER BY carrier, grouping(service) DESC, service""";

    private CarrierPerformanceSql() {
    }
}
