package dev.shipgate;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.EmbeddedDatabase;
import dev.shipgate.db.Migrations;
import java.util.Optional;

/**
 * The database the service uses: the server in {@code DATABASE_URL}, or the embedded one under the data
 * directory, migrated to this build's schema. Shared by {@code serve} and the CLI commands.
 */
record Database(DatabaseUrl url, Optional<EmbeddedDatabase> embedded) implements AutoCloseable {

    static Database open(ShipgateConfig config) {
        if (config.databaseUrl().isPresent()) {
            Database db = new Database(config.databaseUrl().get(), Optional.empty());
            Migrations.migrate(db.url());
            return db;
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(config.embeddedDataDir(), config.embeddedPort());
        try {
            Migrations.migrate(embedded.url());
            return new Database(embedded.url(), Optional.of(embedded));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    String describe() {
        return embedded.isPresent() ? "embedded PostgreSQL 17 at " + url.display() + " (data kept in the data directory)"
                : url.display();
    }

    @Override
    public void close() {
        embedded.ifPresent(EmbeddedDatabase::close);
    }
}
