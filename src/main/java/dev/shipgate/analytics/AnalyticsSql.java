package dev.shipgate.analytics;

import io.vertx.sqlclient.templates.RowMapper;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Analytics read the daily rollup the shipments triggers keep exact, never the shipments table:
 * a 90-day range is a few thousand rollup rows folded by grouping sets into per-day and total breakdowns.
 */
final class AnalyticsSql {

    static final String RANGE = """
            SELECT GROUPING(day, carrier, service, status) AS grouping, day, carrier, service, status,
                   coalesce(sum(shipments), 0)::bigint AS shipments, coalesce(sum(labels), 0)::bigint AS labels,
                   coalesce(sum(spend), 0)::numeric(16, 2) AS spend
            FROM shipment_daily_stats
            WHERE day BETWEEN #{from} AND #{to}
            GROUP BY GROUPING SETS ((day), (day, carrier), (day, service), (day, status),
                                    (), (carrier), (service), (status))""";

    /** One grouped row; {@code grouping} is the bit mask of the columns rolled up (day=8, carrier=4, service=2, status=1). */
    record Group(int grouping, LocalDate day, String carrier, String service, String status, long shipments,
                 long labels, BigDecimal spend) {

        boolean perDay() {
            return (grouping & 8) == 0;
        }

        boolean byCarrier() {
            return (grouping & 4) == 0;
        }

        boolean byService() {
            return (grouping & 2) == 0;
        }

        boolean byStatus() {
            return (grouping & 1) == 0;
        }
    }

    static final RowMapper<Group> ROW = row -> new Group(row.getInteger("grouping"), row.getLocalDate("day"),
            row.getString("carrier"), row.getString("service"), row.getString("status"), row.getLong("shipments"),
            row.getLong("labels"), row.getBigDecimal("spend"));

    private AnalyticsSql() {
    }
}
