package dev.shipgate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether another Shipgate instance uses this database, for the start-up settings every instance on one database
 * must share (the business time zone, the exceptions queue's days): changing one under a running instance would
 * leave it answering by the old value over data kept by the new one. Instances are recognised by their
 * connections' {@code application_name} ({@code shipgate-...}, set by {@link Pools}; every running instance keeps
 * at least its LISTEN connections open). Blocking JDBC, for start-up only.
 */
public final class OtherInstances {

    /** How long the connections of an instance that was just stopped get to go before they count as running. */
    public static final long GONE_WAIT_MS = 5_000;

    private OtherInstances() {
    }

    /**
     * The connections other instances hold on {@code c}'s database, after waiting up to {@link #GONE_WAIT_MS} for
     * them to go; 0 when none is left.
     */
    public static long connected(Connection c) throws SQLException {
        long deadline = System.nanoTime() + GONE_WAIT_MS * 1_000_000;
        long others;
        while ((others = count(c)) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return others;
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'shipgate-%'""")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
