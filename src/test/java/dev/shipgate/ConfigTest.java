package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipgate.config.ConfigException;
import dev.shipgate.config.ConfigLoader;
import dev.shipgate.config.ShipgateConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration")
class ConfigTest {

    @Test
    @DisplayName("defaults bind to loopback on 8080 with one worker per core, the embedded database and 8 + 8 entity connections")
    void defaults() {
        ShipgateConfig config = ConfigLoader.load(Map.of());
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.ormPoolSize()).isEqualTo(8);
        assertThat(config.ormMaxOverflow()).isEqualTo(8);
        assertThat(config.ormPoolMax()).isEqualTo(16);
        assertThat(config.dataDir()).isAbsolute();
    }

    @Test
    @DisplayName("the environment overrides the file, and DATABASE_URL is parsed with its password hidden")
    void environmentWins() {
        ShipgateConfig config = ConfigLoader.load(Map.of("HTTP_PORT", "9090", "WORKERS", "3",
                "DATABASE_URL", "postgresql://ship:s%40cret@db.internal:6543/shipping"));
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.workers()).isEqualTo(3);
        var url = config.databaseUrl().orElseThrow();
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/shipping");
        assertThat(url.toString()).doesNotContain("cret");
    }

    @Test
    @DisplayName("a bad value fails with a message naming the setting")
    void badValues() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HTTP_PORT", "eighty"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HTTP_PORT", "70000"))).hasMessageContaining("HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("WORKERS", "0"))).hasMessageContaining("WORKERS");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DATABASE_URL", "mysql://x/y"))).hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DATABASE_URL", "postgresql://host"))).hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DATABASE_POOL_SIZE", "-1"))).hasMessageContaining("DATABASE_POOL_SIZE");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("LOG_FORMAT", "xml"))).hasMessageContaining("LOG_FORMAT");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("SHIPGATE_API_TOKEN", "short"))).hasMessageContaining("SHIPGATE_API_TOKEN");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HTTP_HOST", "not a host"))).hasMessageContaining("HTTP_HOST");
    }

    @Test
    @DisplayName("BUSINESS_TIMEZONE is UTC unless set, takes IANA names, and refuses anything else naming the setting")
    void businessTimeZone() {
        assertThat(ConfigLoader.load(Map.of()).businessTimeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThat(ConfigLoader.load(Map.of("BUSINESS_TIMEZONE", "America/Los_Angeles")).businessTimeZone().getId())
                .isEqualTo("America/Los_Angeles");
        for (String bad : List.of("Mars/Olympus_Mons", "PST", "+02:00", "america/los_angeles")) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("BUSINESS_TIMEZONE", bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("BUSINESS_TIMEZONE").hasMessageContaining(bad);
        }
    }

    @Test
    @DisplayName("the simulator writes answers plainly unless told to split, trickle or cut them")
    void simulatorWriteKnobs() {
        var calm = ConfigLoader.load(Map.of()).easypost().simulator();
        assertThat(calm.splitWrites()).isFalse();
        assertThat(calm.trickleMs()).isZero();
        assertThat(calm.cutRate()).isZero();
        var awkward = ConfigLoader.load(Map.of("EASYPOST_SIMULATOR_SPLIT_WRITES", "TRUE",
                "EASYPOST_SIMULATOR_TRICKLE_MS", "3", "EASYPOST_SIMULATOR_CUT_RATE", "0.25")).easypost().simulator();
        assertThat(awkward.splitWrites()).isTrue();
        assertThat(awkward.trickleMs()).isEqualTo(3);
        assertThat(awkward.cutRate()).isEqualTo(0.25);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EASYPOST_SIMULATOR_SPLIT_WRITES", "yes")))
                .hasMessageContaining("EASYPOST_SIMULATOR_SPLIT_WRITES");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EASYPOST_SIMULATOR_CUT_RATE", "2")))
                .hasMessageContaining("EASYPOST_SIMULATOR_CUT_RATE");
    }

    @Test
    @DisplayName("the command line stops with exit code 2 and one line naming the setting, no stack trace")
    void commandLineRefusesBadValue() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"serve"}, Map.of("HTTP_PORT", "-5"), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("shipgate: HTTP_PORT").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.toString().lines()).hasSize(1);
    }
}
