package dev.shipgate.analytics;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.http.Json;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The analytics answers as they were made before closed days were kept folded: every rollup row of the range
 * and its previous period read and folded at once ({@link AnalyticsRoutes#fold}), then encoded. The oracle that
 * tests compare the service's answers with, byte for byte.
 */
public final class UncachedAnalytics {

    private UncachedAnalytics() {
    }

    /** {@code GET /analytics?from&to&group} as JSON text, with {@code zone} as its {@code time_zone}. */
    public static String range(DatabaseUrl db, LocalDate from, LocalDate to, String group, String zone) {
        List<AnalyticsSql.Group> rows = rows(db, Periods.previousFrom(from, to), to);
        Periods.Grouping grouping = Periods.Grouping.fromWire(group).orElseThrow();
        return Json.encode(AnalyticsRoutes.fold(from, to, grouping, rows, true).in(ZoneId.of(zone))).toString();
    }

    /** {@code GET /analytics/{day}} as JSON text. */
    public static String day(DatabaseUrl db, LocalDate day, String zone) {
        AnalyticsRoutes.DayView view = AnalyticsRoutes.fold(day, day, Periods.Grouping.DAY, rows(db, day, day), false).totals();
        return Json.encode(new AnalyticsRoutes.DayAnswer(view, zone)).toString();
    }

    private static List<AnalyticsSql.Group> rows(DatabaseUrl db, LocalDate from, LocalDate to) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement s = c.prepareStatement(AnalyticsSql.RANGE.replace("$1", "?").replace("$2", "?"))) {
            s.setObject(1, from);
            s.setObject(2, to);
            List<AnalyticsSql.Group> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new AnalyticsSql.Group(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getBigDecimal(7), rs.getBigDecimal(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
