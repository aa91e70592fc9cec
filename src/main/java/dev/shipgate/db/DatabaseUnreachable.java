package dev.shipgate.db;

/**
 * The database of a setting could not be reached at the start (refused, unknown host, wrong password, no
 * such database). A one-line message naming the setting and where it points, without the password, so the
 * start fails with one log event and one plain line instead of the migration tool's multi-line dump.
 */
public final class DatabaseUnreachable extends RuntimeException {

    public DatabaseUnreachable(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /**
     * What {@code failure} (of a first connection, from Flyway or JDBC) says about the connection, when it is a
     * connection failure: SQL state class 08 (connection), 28 (authentication) or 3D000 (no such database).
     * The server's own first line is kept (PostgreSQL never quotes a password in it), except for a host name
     * that did not resolve, which the driver reports only as "The connection attempt failed."; null for other
     * failures.
     */
    static DatabaseUnreachable of(String setting, dev.shipgate.config.DatabaseUrl url, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28") || sql.getSQLState().equals("3D000"))) {
                String reason = unknownHost(sql)
                        ? "the host " + url.host() + " was not found (the name did not resolve)"
                        : sql.getMessage() == null ? sql.getSQLState() : sql.getMessage().lines().findFirst().orElse("").strip();
                if (!url.password().isEmpty()) {
                    reason = reason.replace(url.password(), "********");
                }
                return new DatabaseUnreachable("cannot connect to " + setting + " (" + url.display() + "): " + reason, failure);
            }
        }
        return null;
    }

    /** Whether the driver's connection failure comes from a host name the resolver does not know. */
    private static boolean unknownHost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
