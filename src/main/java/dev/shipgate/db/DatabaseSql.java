package dev.shipgate.db;

/** What the database layer asks the server about itself, outside any feature's tables (JDBC, before the pools). */
final class DatabaseSql {

    /** The server's connection limit and the connections it keeps for superusers and reserved roles. */
    static final String CONNECTION_LIMITS = """
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int
                     + coalesce(current_setting('reserved_connections', true)::int, 0)""";

    /** Shipgate instances already running on this database: each keeps one token cache LISTEN connection. */
    static final String OTHER_INSTANCES = """
            SELECT count(*)::int FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'shipgate-token-listener'""";

    static final String DATABASE_EXISTS = "SELECT 1 FROM pg_database WHERE datname = ?";

    /** {@code CREATE DATABASE} takes no parameters: {@code name} is a constant of ours, quoted as an identifier. */
    static String createDatabase(String name) {
        return "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"";
    }

    private DatabaseSql() {
    }
}
