package dev.shipgate.analytics;

import dev.shipgate.config.ConfigException;
import dev.shipgate.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the daily rollup ({@code shipment_daily_stats}) on days of the business's time zone
 * ({@code BUSINESS_TIMEZONE}).
 *
 * <p>The zone the rollup is built with is stored in the one row of {@code business_settings}, and the
 * rollup trigger reads it there on every statement (migration V43), rather than from a per-connection
 * setting: a shipment written by any client (the service, {@code seed-demo}, psql, a restore) is then
 * bucketed in the same zone, and a late change to an old shipment (a tracking update, a refund weeks later)
 * subtracts from exactly the bucket its creation was added to. With a per-connection setting one
 * connection without it, or with another zone, would drift the rollup for good.
 *
 * <p>A rebuild runs in one transaction that first takes {@code SHARE} lock on {@code shipments}: it waits for
 * writers in flight, keeps new ones out until it commits, and readers of analytics keep reading the old
 * rollup until then. Writers that waited then read the new zone, since the trigger's statement takes its
 * snapshot after the lock is released. Blocking JDBC: call it at startup or from the CLI, never on an event loop.
 */
public final class Rollups {

    private static final Logger LOG = LoggerFactory.getLogger(Rollups.class);

    /** What a rebuild did: the zone before and after, rollup rows removed and written, shipments read, milliseconds. */
    public record Rebuild(String fromZone, String toZone, long rowsRemoved, long rowsWritten, long shipments, long millis) {

        @Override
        public String toString() {
            return "daily rollups rebuilt from " + fromZone + " to " + toZone + " days: " + shipments + " shipments into "
                    + rowsWritten + " rows (" + rowsRemoved + " removed) in " + millis + " ms";
        }
    }

    private Rollups() {
    }

    /**
     * At startup: rebuilds the rollup when it was built with another zone than {@code zone}, else leaves it.
     *
     * @throws ConfigException when the database does not know the zone (its tz data is older than Java's)
     */
    public static Optional<Rebuild> reconcile(DatabaseUrl url, ZoneId zone) {
        try (Connection c = connect(url)) {
            checkKnown(c, zone);
            String stored = storedZone(c);
            if (stored.equals(zone.getId())) {
                LOG.atInfo().addKeyValue("event", "rollups_zone").addKeyValue("time_zone", stored)
                        .log("daily rollups are on {} days", stored);
                return Optional.empty();
            }
            refuseWhileOthersRun(c, stored, zone);
            return Optional.of(rebuild(c, zone));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the daily rollups' time zone: " + e.getMessage(), e);
        }
    }

    /**
     * Rebuilds the rollup on {@code zone}'s days whatever it was built with ({@code rebuild-rollups}). Moving it to
     * another zone is refused while a service instance is connected, as at startup.
     */
    public static Rebuild rebuild(DatabaseUrl url, ZoneId zone) {
        try (Connection c = connect(url)) {
            checkKnown(c, zone);
            String stored = storedZone(c);
            if (!stored.equals(zone.getId())) {
                refuseWhileOthersRun(c, stored, zone);
            }
            return rebuild(c, zone);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rebuild the daily rollups: " + e.getMessage(), e);
        }
    }

    /** The zone the rollup is built with now, as stored in the database. */
    public static String storedZone(DatabaseUrl url) {
        try (Connection c = connect(url)) {
            return storedZone(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read business_settings: " + e.getMessage(), e);
        }
    }

    private static Rebuild rebuild(Connection c, ZoneId zone) throws SQLException {
        long started = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(AnalyticsSql.LOCK_SHIPMENTS);
            String before;
            try (ResultSet rs = s.executeQuery(AnalyticsSql.SETTINGS_FOR_UPDATE)) {
                before = rs.next() ? rs.getString(1) : "(none)";
            }
            long removed = s.executeUpdate(AnalyticsSql.CLEAR_ROLLUP);
            long written;
            try (PreparedStatement insert = c.prepareStatement(AnalyticsSql.BUILD_ROLLUP)) {
                insert.setString(1, zone.getId());
                written = insert.executeUpdate();
            }
            try (PreparedStatement save = c.prepareStatement(AnalyticsSql.SAVE_ZONE)) {
                save.setString(1, zone.getId());
                save.executeUpdate();
            }
            long shipments;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(shipments), 0) FROM shipment_daily_stats")) {
                rs.next();
                shipments = rs.getLong(1);
            }
            c.commit();
            Rebuild done = new Rebuild(before, zone.getId(), removed, written, shipments,
                    (System.nanoTime() - started) / 1_000_000);
            LOG.atInfo().addKeyValue("event", "rollups_rebuilt").addKeyValue("from_zone", before)
                    .addKeyValue("time_zone", done.toZone()).addKeyValue("rows_removed", removed)
                    .addKeyValue("rows_written", written).addKeyValue("shipments", shipments)
                    .addKeyValue("duration_ms", done.millis()).log("{}", done);
            return done;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /**
     * Refuses to re-bucket the rollup while another service instance uses this database: the rollup and its
     * zone are shared, so the other instance would go on answering its zone's name over this zone's days (and
     * re-bucket them back at its next start). Instances are recognised as {@link dev.shipgate.db.OtherInstances} says.
     *
     * @throws ConfigException naming {@code BUSINESS_TIMEZONE}, the stored zone and how many connections are open
     */
    private static void refuseWhileOthersRun(Connection c, String stored, ZoneId zone) throws SQLException {
        long others = dev.shipgate.db.OtherInstances.connected(c);
        if (others > 0) {
            throw new ConfigException("BUSINESS_TIMEZONE is " + zone.getId() + " but the daily rollup of this database is built on "
                    + stored + " days, and another Shipgate instance is connected to it (" + others + " connection(s)). "
                    + "Instances sharing a database must share one zone: start this one with BUSINESS_TIMEZONE=" + stored
                    + ", or stop the others and start every instance with BUSINESS_TIMEZONE=" + zone.getId());
        }
    }

    private static void checkKnown(Connection c, ZoneId zone) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT now() AT TIME ZONE ?")) {
            p.setString(1, zone.getId());
            p.executeQuery().close();
        } catch (SQLException e) {
            if ("22023".equals(e.getSQLState())) {
                throw new ConfigException("BUSINESS_TIMEZONE '" + zone.getId() + "' is not known to the database's time zone data");
            }
            throw e;
        }
    }

    private static String storedZone(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(AnalyticsSql.STORED_ZONE)) {
            // no row (deleted by hand): the trigger fell back to UTC, and a rebuild puts the row back
            return rs.next() ? rs.getString(1) : "(none)";
        }
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }
}
