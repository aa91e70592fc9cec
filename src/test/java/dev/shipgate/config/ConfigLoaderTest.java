package dev.shipgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Loading the configuration: every bad value refused with a message naming the setting")
class ConfigLoaderTest {

    static ShipgateConfig load(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(env);
    }

    static void assertRefused(String setting, String value) {
        assertThatThrownBy(() -> load(setting, value))
                .as("%s=%s", setting, value)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(setting);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "HTTP_PORT, -1", "HTTP_PORT, 65536", "HTTP_PORT, 80.5", "HTTP_PORT, 0x50", "HTTP_PORT, 99999999999",
        "WORKERS, 0", "WORKERS, 257", "WORKERS, many",
        "HTTP_MAX_BODY_BYTES, 1023", "HTTP_MAX_BODY_BYTES, 1m",
        "SHUTDOWN_GRACE_SECONDS, -1", "SHUTDOWN_GRACE_SECONDS, 601",
        "DATABASE_POOL_SIZE, 0", "DATABASE_MAX_OVERFLOW, -1", "DATABASE_RAW_POOL_SIZE, 1001",
        "DATABASE_MAX_WAIT_QUEUE, 0", "DATABASE_EMBEDDED_PORT, 70000",
        "BULK_MAX_BODY_BYTES, 268435457", "BULK_LEASE_SECONDS, 0", "PURCHASE_LEASE_SECONDS, 3601",
        "EASYPOST_MAX_CONCURRENCY, 0", "EASYPOST_QUEUE_SIZE, -1", "EASYPOST_CONNECT_TIMEOUT_MS, 99",
        "EASYPOST_BREAKER_RESET_MS, 99", "EASYPOST_MAX_ATTEMPTS, 0", "EASYPOST_MAX_ATTEMPTS, 11",
        "EASYPOST_BACKOFF_MS, 0",
        "EASYPOST_SIMULATOR_LATENCY_MS, -5", "EASYPOST_SIMULATOR_TRICKLE_MS, 10001",
    })
    @DisplayName("a whole number out of its range, or not a whole number, is refused naming the setting")
    void badNumbers(String setting, String value) {
        assertRefused(setting, value);
    }

    @Test
    @DisplayName("range limits themselves are accepted: port 0 and 65535, an EasyPost queue of 0, 10 attempts")
    void boundariesAccepted() {
        assertThat(load("HTTP_PORT", "0").httpPort()).isZero();
        assertThat(load("HTTP_PORT", "65535").httpPort()).isEqualTo(65535);
        assertThat(load("EASYPOST_QUEUE_SIZE", "0").easypost().queueSize()).isZero();
        assertThat(load("EASYPOST_MAX_ATTEMPTS", "10").easypost().maxAttempts()).isEqualTo(10);
    }

    @Test
    @DisplayName("values are trimmed: a port with spaces around it is a port")
    void trimmed() {
        assertThat(load("HTTP_PORT", " 9090 ").httpPort()).isEqualTo(9090);
        assertThat(load("LOG_FORMAT", " text ").logFormat()).isEqualTo(ShipgateConfig.LogFormat.TEXT);
    }

    @Test
    @DisplayName("a setting that must have a value and is set blank is refused as not set")
    void blankRequired() {
        for (String setting : new String[] {"HTTP_HOST", "HTTP_PORT", "LOG_FORMAT", "EASYPOST_API_BASE", "WEBROOT"}) {
            assertThatThrownBy(() -> load(setting, "  ")).as(setting).isInstanceOf(ConfigException.class)
                    .hasMessage(setting + " must be set");
        }
    }

    @Test
    @DisplayName("an empty WORKERS means one per core, an empty DATABASE_RAW_POOL_SIZE two per core (the shipped default); an empty DATABASE_URL the embedded database")
    void emptyMeansDefault() {
        ShipgateConfig config = load("WORKERS", "", "DATABASE_URL", " ");
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.rawPoolSize()).as("conf/shipgate.properties leaves it empty")
                .isEqualTo(2 * Runtime.getRuntime().availableProcessors());
        assertThat(load("DATABASE_RAW_POOL_SIZE", "").rawPoolSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
        assertThat(load("DATABASE_RAW_POOL_SIZE", "16").rawPoolSize()).isEqualTo(16);
        assertThat(config.databaseUrl()).isEmpty();
    }

    @Test
    @DisplayName("DATABASE_READ_URL is optional and parsed like DATABASE_URL; a malformed one is refused naming it")
    void readReplicaUrl() {
        assertThat(load().databaseReadUrl()).isEmpty();
        assertThat(load("DATABASE_READ_URL", "postgresql://reader:secret@replica.internal:6432/shipgate").databaseReadUrl())
                .contains(new dev.shipgate.config.DatabaseUrl("replica.internal", 6432, "shipgate", "reader", "secret"));
        assertThatThrownBy(() -> load("DATABASE_READ_URL", "mysql://replica/shipgate")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("DATABASE_READ_URL");
        for (String setting : new String[] {"DATABASE_URL", "DATABASE_READ_URL"}) {
            assertThatThrownBy(() -> load(setting, "postgresql://reader:secret@replica.internal:99999/shipgate"))
                    .as("a port out of range is a setting error, not a stack trace at connect")
                    .isInstanceOf(ConfigException.class).hasMessageContaining(setting).hasMessageContaining("99999")
                    .hasMessageNotContaining("secret");
        }
        assertThatThrownBy(() -> load("DATABASE_READ_URL", "postgresql://replica:5432/shipgate?sslmode=require"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_READ_URL");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-0.1", "1.5", "NaN", "half", "Infinity"})
    @DisplayName("a simulator share outside 0 to 1, or not a number, is refused naming the setting")
    void badShares(String value) {
        for (String setting : new String[] {"EASYPOST_SIMULATOR_ERROR_RATE", "EASYPOST_SIMULATOR_RATE_LIMIT_RATE",
                "EASYPOST_SIMULATOR_TIMEOUT_RATE", "EASYPOST_SIMULATOR_CUT_RATE"}) {
            assertRefused(setting, value);
        }
    }

    @Test
    @DisplayName("shares of 0 and 1 are accepted")
    void shareBounds() {
        assertThat(load("EASYPOST_SIMULATOR_ERROR_RATE", "1").easypost().simulator().errorRate()).isEqualTo(1.0);
        assertThat(load("EASYPOST_SIMULATOR_TIMEOUT_RATE", "0.0").easypost().simulator().timeoutRate()).isZero();
    }

    @Test
    @DisplayName("the client read timeout must stay below the breaker timeout; the message names both")
    void readTimeoutBelowBreaker() {
        assertThatThrownBy(() -> load("EASYPOST_READ_TIMEOUT_MS", "25000", "EASYPOST_BREAKER_TIMEOUT_MS", "25000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("EASYPOST_READ_TIMEOUT_MS").hasMessageContaining("EASYPOST_BREAKER_TIMEOUT_MS");
        assertThat(load("EASYPOST_READ_TIMEOUT_MS", "24999", "EASYPOST_BREAKER_TIMEOUT_MS", "25000").easypost()
                .readTimeoutMs()).isEqualTo(24999);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"http://api.easypost.com", "api.easypost.com", "https://api.easypost.com/v2",
        "https://api.easypost.com/v2/"})
    @DisplayName("an EasyPost base that is not https, or ends with /v2, is refused naming EASYPOST_API_BASE")
    void badApiBase(String base) {
        assertRefused("EASYPOST_API_BASE", base);
    }

    @Test
    @DisplayName("an EasyPost base whose port is not a number is refused as such at the start, not on every call")
    void apiBasePortNotANumber() {
        assertThatThrownBy(() -> load("EASYPOST_API_BASE", "https://localhost:abc"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("EASYPOST_API_BASE has port 'abc', which is not a number");
        assertThatThrownBy(() -> load("EASYPOST_API_BASE", "https://localhost:70000"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("EASYPOST_API_BASE has port 70000");
    }

    @Test
    @DisplayName("trailing slashes of the EasyPost base are dropped")
    void apiBaseSlashes() {
        assertThat(load("EASYPOST_API_BASE", "https://ep.example.com:8443//").easypost().apiBase())
                .isEqualTo("https://ep.example.com:8443");
    }

    @Test
    @DisplayName("an EasyPost CA file that cannot be read is refused naming EASYPOST_CA_FILE")
    void unreadableCaFile(@TempDir Path dir) {
        assertRefused("EASYPOST_CA_FILE", dir.resolve("missing.pem").toString());
    }

    @Test
    @DisplayName("origins are listed like https://host[:port], comma-separated, empty entries skipped")
    void origins() {
        ShipgateConfig config = load("CORS_ALLOWED_ORIGINS", "http://localhost:5173, https://ops.example.com,,",
                "MCP_ALLOWED_ORIGINS", "https://agent.example.com:8443");
        assertThat(config.corsAllowedOrigins())
                .containsExactlyInAnyOrder("http://localhost:5173", "https://ops.example.com");
        assertThat(config.mcpAllowedOrigins()).containsExactly("https://agent.example.com:8443");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"*", "https://ops.example.com/", "ops.example.com", "https://ops.example.com/path",
        "ftp://ops.example.com"})
    @DisplayName("an origin with a path, a wildcard or without its scheme is refused naming the setting")
    void badOrigins(String origin) {
        assertRefused("CORS_ALLOWED_ORIGINS", origin);
        assertRefused("MCP_ALLOWED_ORIGINS", "https://fine.example.com," + origin);
    }

    @Test
    @DisplayName("an extra API token needs 24 characters and no whitespace")
    void apiToken() {
        assertThat(load("SHIPGATE_API_TOKEN", "x".repeat(24)).apiToken()).contains("x".repeat(24));
        assertRefused("SHIPGATE_API_TOKEN", "x".repeat(23));
        assertRefused("SHIPGATE_API_TOKEN", "x".repeat(12) + " " + "x".repeat(12));
    }

    @Test
    @DisplayName("LABEL_FORMAT is png by default, one of EasyPost's label formats in any case, nothing else")
    void labelFormat() {
        assertThat(load("LOG_FORMAT", "json").labelFormat()).isEqualTo("png");
        assertThat(load("LABEL_FORMAT", "ZPL").labelFormat()).isEqualTo("zpl");
        assertRefused("LABEL_FORMAT", "gif");
    }

    @Test
    @DisplayName("LOG_FORMAT is json or text in any case, nothing else")
    void logFormat() {
        assertThat(load("LOG_FORMAT", "JSON").logFormat()).isEqualTo(ShipgateConfig.LogFormat.JSON);
        assertRefused("LOG_FORMAT", "logfmt");
    }

    @Test
    @DisplayName("a host with characters no host name has is refused naming HTTP_HOST, without a DNS lookup")
    void badHost() {
        assertRefused("HTTP_HOST", "exa mple.com");
        assertRefused("HTTP_HOST", "host/path");
        assertThat(load("HTTP_HOST", "0.0.0.0").httpHost()).isEqualTo("0.0.0.0");
        assertThat(load("HTTP_HOST", "::1").httpHost()).isEqualTo("::1");
    }

    @Test
    @DisplayName("the operator's file overrides the defaults, and the environment overrides the file")
    void layers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shipgate.properties");
        Files.writeString(file, "HTTP_PORT=9191\nWORKERS=3\n");
        ShipgateConfig fromFile = load("SHIPGATE_CONFIG", file.toString());
        assertThat(fromFile.httpPort()).isEqualTo(9191);
        assertThat(fromFile.workers()).isEqualTo(3);
        assertThat(fromFile.easypost().maxAttempts()).as("a default the file does not set").isEqualTo(3);
        assertThat(load("SHIPGATE_CONFIG", file.toString(), "WORKERS", "5").workers()).isEqualTo(5);
    }

    @Test
    @DisplayName("a bad value in the operator's file is refused like one in the environment")
    void badValueInFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shipgate.properties");
        Files.writeString(file, "DATABASE_POOL_SIZE=lots\n");
        assertThatThrownBy(() -> load("SHIPGATE_CONFIG", file.toString())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_POOL_SIZE");
    }

    @Test
    @DisplayName("a SHIPGATE_CONFIG that cannot be read is refused naming SHIPGATE_CONFIG")
    void missingFile(@TempDir Path dir) {
        assertRefused("SHIPGATE_CONFIG", dir.resolve("nope.properties").toString());
    }

    @Test
    @DisplayName("environment variables that are not settings are ignored")
    void unrelatedEnvironment() {
        assertThat(load("PATH", "/usr/bin", "HOME", "/root", "HTTP_PORT_X", "nope").httpPort()).isEqualTo(8080);
    }
}
