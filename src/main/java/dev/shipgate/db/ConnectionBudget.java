package dev.shipgate.db;

import dev.shipgate.config.ConfigException;
import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.ShipgateConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a pool configuration that could exhaust the server: under load every pool grows to its
 * ceiling, and a server out of connections fails every client at once, operators included. Other Shipgate
 * instances already running on the same database ({@code otherInstances}, counted by their token cache's LISTEN
 * connection, one per instance) are warned about, not refused: their pool sizes are their own settings, which
 * this instance cannot read, so the warning assumes they are sized like this one.
 */
public record ConnectionBudget(int ormPool, int rawPool, int maintenance, int maxConnections, int reserved,
                               int otherInstances) {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBudget.class);

    /**
     * Connections outside the pools: Flyway and the CLI commands while the service runs, and the three LISTEN
     * connections (the token cache's, the analytics day cache's, the webhook dispatcher's).
     */
    static final int MAINTENANCE_CONNECTIONS = 5;

    public static ConnectionBudget read(ShipgateConfig config, DatabaseUrl url) {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(DatabaseSql.CONNECTION_LIMITS)) {
            rs.next();
            int max = rs.getInt(1);
            int reserved = rs.getInt(2);
            int others;
            try (ResultSet instances = s.executeQuery(DatabaseSql.OTHER_INSTANCES)) {
                instances.next();
                others = instances.getInt(1);
            }
            return new ConnectionBudget(config.ormPoolMax(), config.rawPoolSize(), MAINTENANCE_CONNECTIONS, max, reserved, others);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read max_connections from " + url.display() + ": " + e.getMessage(), e);
        }
    }

    public int needed() {
        return ormPool + rawPool + maintenance;
    }

    public int available() {
        return maxConnections - reserved;
    }

    public void check() {
        if (needed() > available()) {
            throw new ConfigException(String.format(
                    "connection budget exceeded: the pools may open %d connections (DATABASE_POOL_SIZE + "
                            + "DATABASE_MAX_OVERFLOW = %d, DATABASE_RAW_POOL_SIZE = %d, %d for maintenance) but the "
                            + "server allows %d (max_connections %d minus %d reserved). Lower the pool sizes or raise "
                            + "max_connections.",
                    needed(), ormPool, rawPool, maintenance, available(), maxConnections, reserved));
        }
        if (otherInstances > 0 && (otherInstances + 1) * needed() > available()) {
            LOG.atWarn().addKeyValue("event", "connection_budget_shared").addKeyValue("other_instances", otherInstances)
                    .addKeyValue("needed_per_instance", needed()).addKeyValue("available", available())
                    .log("{} other Shipgate instance(s) run on this database; if they are sized like this one, the {} of them "
                            + "may open {} connections but the server allows {}: give each instance its share of max_connections "
                            + "(DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW, DATABASE_RAW_POOL_SIZE)",
                            otherInstances, otherInstances + 1, (otherInstances + 1) * needed(), available());
        }
    }

    public String summary() {
        return needed() + " of " + available() + " server connections";
    }
}
