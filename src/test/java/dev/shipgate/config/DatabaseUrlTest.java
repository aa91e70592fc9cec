package dev.shipgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("DATABASE_URL: postgresql://user:password@host:port/database")
class DatabaseUrlTest {

    static DatabaseUrl parse(String value) {
        return DatabaseUrl.parse("DATABASE_URL", value);
    }

    @Test
    @DisplayName("every part is read: host, port, database, user and password")
    void fullUrl() {
        assertThat(parse("postgresql://ship:secret@db.internal:6543/shipping"))
                .isEqualTo(new DatabaseUrl("db.internal", 6543, "shipping", "ship", "secret"));
    }

    @Test
    @DisplayName("postgres:// is accepted as well as postgresql://, and surrounding spaces are ignored")
    void shortScheme() {
        assertThat(parse("  postgres://ship@db/shipping ").database()).isEqualTo("shipping");
    }

    @Test
    @DisplayName("without a port, user or password: port 5432, user postgres, no password")
    void defaults() {
        assertThat(parse("postgresql://db.internal/shipping"))
                .isEqualTo(new DatabaseUrl("db.internal", 5432, "shipping", "postgres", ""));
        assertThat(parse("postgresql://ship@db.internal/shipping").password()).isEmpty();
    }

    @Test
    @DisplayName("percent-encoded user, password and database are decoded; a colon in the password is part of it")
    void percentDecoding() {
        DatabaseUrl url = parse("postgresql://sh%40p:s%40cr%2Fet:more@db:5432/my%20db");
        assertThat(url.user()).isEqualTo("sh@p");
        assertThat(url.password()).isEqualTo("s@cr/et:more");
        assertThat(url.database()).isEqualTo("my db");
    }

    @Test
    @DisplayName("a '+' in the password stays a '+', as libpq reads the same URL")
    void plusInPassword() {
        assertThat(parse("postgresql://ship:a+b@db/shipping").password()).isEqualTo("a+b");
    }

    @Test
    @DisplayName("an IPv6 host keeps its brackets in the JDBC URL")
    void ipv6() {
        assertThat(parse("postgresql://ship@[::1]:5433/shipping").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5433/shipping");
    }

    @Test
    @DisplayName("the password never appears when the location is printed")
    void passwordHidden() {
        DatabaseUrl url = parse("postgresql://ship:hunter2hunter2@db:5432/shipping");
        assertThat(url.toString()).isEqualTo("postgresql://ship@db:5432/shipping").doesNotContain("hunter2");
        assertThat(url.display()).doesNotContain("hunter2");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shipping");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql://ship@db/shipping", "db.internal:5432/shipping", "jdbc:postgresql://db/shipping",
        "postgresql:///shipping", "postgresql://db.internal", "postgresql://db.internal/", "postgresql://db internal/x",
        "http://db/shipping"})
    @DisplayName("anything else is refused with a message naming the setting")
    void refused(String value) {
        assertThatThrownBy(() -> parse(value)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL");
    }

    @Test
    @DisplayName("the message names the setting it was given, not always DATABASE_URL")
    void namesTheSetting() {
        assertThatThrownBy(() -> DatabaseUrl.parse("REPLICA_URL", "mysql://x/y")).hasMessageStartingWith("REPLICA_URL");
    }

    @Test
    @DisplayName("a query parameter such as sslmode=require is not silently ignored")
    void queryParametersNotIgnored() {
        assertThatThrownBy(() -> parse("postgresql://ship:secret@db/shipping?sslmode=require"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("DATABASE_URL");
    }
}
