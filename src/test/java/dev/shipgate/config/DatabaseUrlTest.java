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

    @Test
    @DisplayName("a port that is not a number is named as such, not as a missing host, and the password never shows")
    void portNotANumber() {
        assertThatThrownBy(() -> parse("postgresql://shipgate:s3cretPW@db.example.com:notaport/shipgate"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL has port 'notaport', which is not a number")
                .message().doesNotContain("s3cretPW").doesNotContain("no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_READ_URL", "postgresql://ro:pw9secret@127.0.0.1:abc/shipgate"))
                .hasMessageStartingWith("DATABASE_READ_URL has port 'abc', which is not a number")
                .message().doesNotContain("pw9secret");
    }

    @Test
    @DisplayName("a port too long for a TCP port, a host with an underscore and an empty host are each named for what they are")
    void otherBadAuthorities() {
        assertThatThrownBy(() -> parse("postgresql://ship:hunter2@db:99999999999/shipping"))
                .hasMessageStartingWith("DATABASE_URL has port 99999999999: a TCP port is 1 to 65535")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> parse("postgresql://ship:hunter2@db_primary:5432/shipping"))
                .hasMessageStartingWith("DATABASE_URL has host 'db_primary', which is not a valid host name")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> parse("postgresql://ship:hunter2@:5432/shipping"))
                .hasMessageStartingWith("DATABASE_URL has no host").message().doesNotContain("hunter2");
    }

    @Test
    @DisplayName("a '/' in an unencoded password cuts the authority short: the message says to percent-encode, quoting none of it")
    void unencodedSlashInPassword() {
        assertThatThrownBy(() -> parse("postgresql://ship:zq9/xw7:vy@db:5432/shipping"))
                .hasMessageContaining("must be percent-encoded")
                .message().doesNotContain("zq9").doesNotContain("xw7");
    }
}
