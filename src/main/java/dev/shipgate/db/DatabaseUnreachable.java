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
     * The server's own first line is kept (PostgreSQL never quotes a password in it), except where the network
     * failed before any server spoke ({@link #network}); the password is starred out all the same. Null for other
     * failures.
     */
    static DatabaseUnreachable of(String setting, dev.shipgate.config.DatabaseUrl url, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28") || sql.getSQLState().equals("3D000"))) {
                String network = network(sql, url);
                String reason = network != null ? network
                        : sql.getMessage() == null ? sql.getSQLState() : sql.getMessage().lines().findFirst().orElse("").strip();
                return new DatabaseUnreachable("cannot connect to " + setting + " (" + url.display() + "): "
                        + withoutPassword(reason, url.password()), failure);
            }
        }
        return null;
    }

    /**
     * What the network said, when the driver's failure comes from it: a host name the resolver does not know, or
     * a server that did not answer at all (a connect timeout, no route, refused), or a peer that accepted the
     * connection and closed it without a word (not PostgreSQL, or a proxy in between). The driver reports these as
     * "The connection attempt failed." or, when the silence came while it asked for TLS first, as "An error
     * occurred while setting up the SSL connection.", which sends the operator to look at TLS; null otherwise.
     */
    private static String network(Throwable failure, dev.shipgate.config.DatabaseUrl url) {
        String where = url.host() + ":" + url.port();
        String closed = where + " closed the connection without answering as PostgreSQL does (is a PostgreSQL server"
                + " listening on that port, or a proxy or firewall in between?)";
        if (failure.getCause() == null && failure.getMessage() != null
                && failure.getMessage().contains("setting up the SSL connection")) {
            // the driver asks for TLS first; a peer that closes without a word may get this message and no cause
            return closed;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return closed;
            }
            if (t instanceof java.net.UnknownHostException) {
                return "the host " + url.host() + " was not found (the name did not resolve)";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return where + " did not answer (" + t.getMessage() + "): a wrong address, or a firewall dropping the connection";
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return "no route to " + where;
            }
            if (t instanceof java.net.ConnectException) {
                return where + " refused the connection (nothing listens there)";
            }
        }
        return null;
    }

    /**
     * {@code text} with the password starred out wherever it stands as a word of its own (between characters
     * that are not letters or digits), so a short password such as {@code p} cannot mangle the words around it
     * ("setting u******** the SSL connection") while a quoted one is still hidden.
     */
    static String withoutPassword(String text, String password) {
        if (password == null || password.isEmpty()) {
            return text;
        }
        return java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])" + java.util.regex.Pattern.quote(password) + "(?![\\p{L}\\p{N}])")
                .matcher(text).replaceAll("********");
    }
}
