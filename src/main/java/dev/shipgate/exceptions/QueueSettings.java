package dev.shipgate.exceptions;

import dev.shipgate.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the exceptions queue's settings ({@code EXCEPTION_STALL_DAYS}, {@code EXCEPTION_UNSCANNED_DAYS}) into the
 * database's one settings row at startup, next to the business's zone, because the queue's order is stored
 * ({@code shipments.queue_since}, see {@link ExceptionSql}) and computed by a trigger for every writer of
 * shipments, the service or not: a value the configuration alone knew would leave {@code seed-demo}, psql or a
 * restore ordering by other settings. When the values differ from the stored ones, the row's trigger (migration
 * V59) puts the open shipments in the new order in the same transaction, which first locks {@code shipments}
 * against writers (as {@code analytics.Rollups} does for the zone): writers in flight finish first, later ones
 * wait and then compute with the new values. Blocking JDBC: call it at startup, never on an event loop.
 *
 * <p>Instances sharing a database must share these settings as they share the zone: a start with other values
 * is refused while another instance is connected ({@link dev.shipgate.db.OtherInstances}), naming the stored ones.
 */
public final class QueueSettings {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSettings.class);

    private QueueSettings() {
    }

    /**
     * Stores {@code stallDays} and {@code unscannedDays} (1 to 365, as the configuration allows) unless they are
     * stored already; {@code zone} only fills a settings row that was deleted by hand. Answers whether they changed.
     *
     * @throws IllegalStateException when the database cannot be read or written
     * @throws dev.shipgate.config.ConfigException when the values differ from the stored ones while another instance
     *         is connected
     */
    public static boolean store(DatabaseUrl url, int stallDays, int unscannedDays, ZoneId zone) {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            int[] stored = stored(c);
            if (stored != null && stored[0] == stallDays && stored[1] == unscannedDays) {
                LOG.atInfo().addKeyValue("event", "exceptions_queue_settings").addKeyValue("stall_days", stallDays)
                        .addKeyValue("unscanned_days", unscannedDays)
                        .log("exceptions queue ordered for {} stall days and {} unscanned days", stallDays, unscannedDays);
                return false;
            }
            long others = stored == null ? 0 : dev.shipgate.db.OtherInstances.connected(c);
            if (others > 0) {
                throw new dev.shipgate.config.ConfigException("EXCEPTION_STALL_DAYS is " + stallDays + " and EXCEPTION_UNSCANNED_DAYS "
                        + unscannedDays + ", but the exceptions queue of this database is ordered for " + stored[0] + " and "
                        + stored[1] + ", and another Shipgate instance is connected to it (" + others + " connection(s)). "
                        + "Instances sharing a database must share these settings: start this one with EXCEPTION_STALL_DAYS="
                        + stored[0] + " and EXCEPTION_UNSCANNED_DAYS=" + stored[1] + ", or stop the others and start every instance"
                        + " with the new values");
            }
            long started = System.nanoTime();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); PreparedStatement save = c.prepareStatement(ExceptionSql.SAVE_SETTINGS)) {
                s.execute(ExceptionSql.LOCK_SHIPMENTS);
                save.setInt(1, stallDays);
                save.setInt(2, unscannedDays);
                save.setString(3, zone.getId());
                save.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.atInfo().addKeyValue("event", "exceptions_queue_reordered").addKeyValue("stall_days", stallDays)
                    .addKeyValue("unscanned_days", unscannedDays).addKeyValue("duration_ms", millis)
                    .log("exceptions queue put in order for {} stall days and {} unscanned days in {} ms",
                            stallDays, unscannedDays, millis);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the exceptions queue's settings: " + e.getMessage(), e);
        }
    }

    /** The stored stall and unscanned days, or null when the settings row is gone (deleted by hand). */
    private static int[] stored(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ExceptionSql.STORED_SETTINGS)) {
            return rs.next() ? new int[] {rs.getInt(1), rs.getInt(2)} : null;
        }
    }
}
