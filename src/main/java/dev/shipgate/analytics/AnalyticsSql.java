package dev.shipgate.analytics;

import io.vertx.sqlclient.templates.RowMapper;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Analytics read the daily rollup the shipments triggers keep exact, never the shipments table. Its days
 * are days of the business's time zone (the zone stored in {@code business_settings}, see {@link Rollups}).
 * A 90-day range, with the 90 days before it for comparison, is a few thousand rollup rows, folded into
 * per-bucket and total breakdowns in Java (faster here than grouping sets over numeric sums in
 * PostgreSQL, measured at a million shipments).
 */
final class AnalyticsSql {

    /** The rollup rows of $1 to $2, both inclusive: a range read whole (while {@link ClosedDays} cannot listen). */
    static final String RANGE = """
            SELECT day, carrier, service, status, shipments, labels, spend, insurance_spend
            FROM shipment_daily_stats
            WHERE day BETWEEN $1 AND $2""";

    /**
     * The rollup rows of a range for the CSV export, in a stable order (day, carrier, service, status),
     * with positional parameters for a cursor: $1 the first day, $2 the last, both inclusive. The finest
     * grain the rollup has, so any grouping of the range is a sum over these rows.
     */
    static final String EXPORT = """
            SELECT day, carrier, service, status, shipments, labels, spend, insurance_spend
            FROM shipment_daily_stats
            WHERE day BETWEEN $1 AND $2
            ORDER BY day, carrier, service, status""";

    /**
     * EXPORT summed into weeks or months ({@code %s}: the bucket's first day of a row's {@code day}, for
     * {@link Periods.Grouping}), cut to the range at its ends as {@code GET /analytics} cuts its buckets: a
     * bucket's {@code day} is its first day inside the range, so it names the same bucket as the API's
     * {@code days[].date}. Plain date arithmetic ({@code date_trunc} on a date goes through the session's zone).
     */
    private static final String EXPORT_GROUPED = """
            SELECT greatest(%s, $1::date) AS day, carrier, service, status, sum(shipments)::bigint, sum(labels)::bigint,
                   sum(spend), sum(insurance_spend)
            FROM shipment_daily_stats
            WHERE day BETWEEN $1 AND $2
            GROUP BY 1, carrier, service, status
            ORDER BY 1, carrier, service, status""";

    /** EXPORT in ISO weeks (Monday first). */
    static final String EXPORT_WEEKS = EXPORT_GROUPED.formatted("day - (extract(isodow FROM day)::int - 1)");

    /** EXPORT in calendar months. */
    static final String EXPORT_MONTHS = EXPORT_GROUPED.formatted("day - (extract(day FROM day)::int - 1)");

    /** Keeps writers of shipments out (and waits for those in flight) until a rebuild commits; readers go on. */
    static final String LOCK_SHIPMENTS = "LOCK TABLE shipments IN SHARE MODE";

    static final String SETTINGS_FOR_UPDATE = "SELECT time_zone FROM business_settings FOR UPDATE";

    static final String STORED_ZONE = "SELECT time_zone FROM business_settings";

    static final String CLEAR_ROLLUP = "DELETE FROM shipment_daily_stats";

    /** The whole rollup from the shipments, on days of the zone given ({@code ?}), by the trigger's rules (V37, V43). */
    static final String BUILD_ROLLUP = """
            INSERT INTO shipment_daily_stats (day, carrier, service, status, shipments, labels, spend, insurance_spend)
            SELECT day, carrier, service, status, count(*), sum(bought), sum(bought * rate), sum(insurance)
            FROM (
                SELECT (created_at AT TIME ZONE z.zone)::date AS day,
                       coalesce(carrier, '') AS carrier,
                       coalesce(service, '') AS service,
                       status,
                       coalesce(rate, 0) AS rate,
                       (rate IS NOT NULL AND refund_status IS DISTINCT FROM 'refunded')::int AS bought,
                       coalesce(insurance_fee, 0) AS insurance
                FROM shipments CROSS JOIN (SELECT ?::text AS zone) z
            ) s
            GROUP BY day, carrier, service, status""";

    static final String SAVE_ZONE = """
            INSERT INTO business_settings (singleton, time_zone, rollups_built_at) VALUES (true, ?, now())
            ON CONFLICT (singleton) DO UPDATE SET time_zone = excluded.time_zone, rollups_built_at = excluded.rollups_built_at""";

    /** One rollup row: a day's shipments of one carrier, service and status; insurance fees apart from postage. */
    record Group(LocalDate day, String carrier, String service, String status, long shipments, long labels,
                 BigDecimal spend, BigDecimal insuranceSpend) {

        Group(LocalDate day, String carrier, String service, String status, long shipments, long labels, BigDecimal spend) {
            this(day, carrier, service, status, shipments, labels, spend, BigDecimal.ZERO);
        }
    }

    /** By position, in RANGE's column order: a name lookup per column was 7% of a 90-day range's CPU. */
    static final RowMapper<Group> ROW = row -> new Group(row.getLocalDate(0), row.getString(1), row.getString(2),
            row.getString(3), row.getLong(4), row.getLong(5), row.getBigDecimal(6), row.getBigDecimal(7));

    private AnalyticsSql() {
    }
}
