package dev.shipgate.ops;

/** What the operator endpoints ask PostgreSQL directly, outside any feature's tables. */
final class OpsSql {

    /** This database's server connections by state, for the health check: many idle ones mean a pool too large. */
    static final String ACTIVITY = """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE state = 'active') AS active,
                   count(*) FILTER (WHERE state = 'idle') AS idle
            FROM pg_stat_activity
            WHERE datname = current_database()""";

    private OpsSql() {
    }
}
