package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Flyway owns the schema: every start brings the database to the version this build expects. */
public final class Migrations {

    private Migrations() {
    }

    public static MigrateResult migrate(DatabaseUrl url) {
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load()
                .migrate();
    }
}
