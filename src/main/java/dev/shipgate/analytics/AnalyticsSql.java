package dev.shipgate.analytics;

import io.vertx.sqlclient.templates.RowMapper;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Analytics read the daily rollup the shipments triggers keep exact, never the shipments table: a
 * 90-day range is a few thousand rollup rows, folded into per-day and total breakdowns in Java (faster
 * here than grouping sets over numeric sums in PostgreSQL, measured at a million shipments).
 */
final class AnalyticsSql {

    static final String RANGE = """
            SELECT day, carrier, service, status, shipments, labels, spend, insurance_spend
            FROM shipment_daily_stats
            WHERE day BETWEEN #{from} AND #{to}""";

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
