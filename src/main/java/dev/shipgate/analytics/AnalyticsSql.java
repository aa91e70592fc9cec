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
            SELECT day, carrier, service, status, shipments, labels, spend
            FROM shipment_daily_stats
            WHERE day BETWEEN #{from} AND #{to}""";

    /** One rollup row: a day's shipments of one carrier, service and status. */
    record Group(LocalDate day, String carrier, String service, String status, long shipments, long labels,
                 BigDecimal spend) {
    }

    static final RowMapper<Group> ROW = row -> new Group(row.getLocalDate("day"), row.getString("carrier"),
            row.getString("service"), row.getString("status"), row.getLong("shipments"), row.getLong("labels"),
            row.getBigDecimal("spend"));

    private AnalyticsSql() {
    }
}
