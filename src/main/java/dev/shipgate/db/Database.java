package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.EmbeddedDatabase;
import dev.shipgate.db.Migrations;
import java.util.Optional;

/**
 * The database the service uses: the server in {@code DATABASE_URL}, or the embedded one under the data
 * directory, migrated to this build's schema. Shared by {@code serve} and the CLI commands; a command run
 * beside a service on the same data directory uses that service's embedded server.
 */
public record Database(DatabaseUrl url, Optional<EmbeddedDatabase> embedded) implements AutoCloseable {

    /** For {@code serve}: the embedded server is this process's own. */
    public static Database open(ShipgateConfig config) {
        return open(config, false);
    }

    /** For CLI commands: joins the embedded server of a service running on the same data directory. */
    public static Database forCommand(ShipgateConfig config) {
        return open(config, true);
    }

    private static Database open(ShipgateConfig config, boolean joinRunning) {
        if (config.databaseUrl().isPresent()) {
            Database db = new Database(config.databaseUrl().get(), Optional.empty());
            try {
                Migrations.migrate(db.url());
            } catch (RuntimeException e) {
                DatabaseUnreachable unreachable = DatabaseUnreachable.of("DATABASE_URL", db.url(), e);
                throw unreachable != null ? unreachable : e;
            }
            return db;
        }
        EmbeddedDatabase embedded = joinRunning
                ? EmbeddedDatabase.startOrJoin(config.embeddedDataDir(), config.embeddedPort())
                : EmbeddedDatabase.start(config.embeddedDataDir(), config.embeddedPort());
        try {
            Migrations.migrate(embedded.url());
            return new Database(embedded.url(), Optional.of(embedded));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    public String describe() {
        if (embedded.isEmpty()) {
            return url.display();
        }
        return (embedded.get().owned() ? "embedded PostgreSQL 17 at " : "the running service's embedded PostgreSQL 17 at ")
                + url.display() + " (data kept in the data directory)";
    }

    @Override
    public void close() {
        embedded.ifPresent(EmbeddedDatabase::close);
    }
}
