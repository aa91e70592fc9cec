package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on its embedded PostgreSQL, as a process: crashes of either, and CLI commands beside it. */
@DisplayName("The embedded PostgreSQL through crashes and beside CLI commands")
class EmbeddedDatabaseIT {

    static Map<String, String> env(Path dataDir) {
        return Map.of("SHIPGATE_DATA_DIR", dataDir.toString(), "LOG_FORMAT", "json", "SHIPGATE_API_TOKEN", TestApp.TOKEN,
                "DATABASE_POOL_SIZE", "4", "DATABASE_MAX_OVERFLOW", "2", "DATABASE_RAW_POOL_SIZE", "4");
    }

    static long postmasterPid(Path dataDir) throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).trim());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    @DisplayName("after kill -9 of the service its PostgreSQL survives; the next start stops that one and starts in normal time")
    void restartAfterKill(@TempDir Path dataDir) throws Exception {
        long leftover;
        ServiceProcess first = ServiceProcess.start(dataDir, "first", env(dataDir));
        try {
            first.awaitStarted();
            leftover = postmasterPid(dataDir);
            first.kill();
        } finally {
            first.close();
        }
        assertThat(alive(leftover)).as("kill -9 of the service leaves its PostgreSQL running").isTrue();

        long started = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.start(dataDir, "second", env(dataDir))) {
            List<String> lines = second.awaitStarted();
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("a start waiting for the leftover's port would give up only after 60 s").isLessThan(Duration.ofSeconds(60));
            assertThat(alive(leftover)).as("the leftover PostgreSQL was stopped").isFalse();
            assertThat(lines).anyMatch(l -> l.contains("left by a Shipgate that did not stop; stopping it"));
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                assertThat(api.get("/shipments").statusCode()).isEqualTo(200);
            }
        }
        assertThat(dataDir.resolve("pg/postmaster.pid")).as("PostgreSQL stopped with the service").doesNotExist();
    }

    @Test
    @DisplayName("token create beside the running service prints the token alone on stdout, logs on stderr, and the service accepts it")
    void tokenCreateBesideService(@TempDir Path dataDir) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(dataDir, "service", env(dataDir))) {
            service.awaitStarted();

            ServiceProcess.CommandResult created = ServiceProcess.command(dataDir, env(dataDir), "token", "create", "--name", "ci");

            assertThat(created.exitCode()).as(String.join("\n", created.stderr())).isZero();
            assertThat(created.stdout()).as("TOKEN=$(... token create ...) captures the token alone").hasSize(1);
            String token = created.stdout().get(0);
            assertThat(token).matches("sg_[A-Za-z0-9_-]{20,}");
            assertThat(created.stderr()).isNotEmpty().allSatisfy(line -> assertThat(new JsonObject(line).getString("level")).isNotNull());
            assertThat(String.join("\n", created.stderr())).contains("belongs to a running Shipgate: using its PostgreSQL");
            try (Api api = new Api(service.port, token)) {
                assertThat(api.get("/shipments").statusCode()).isEqualTo(200);
            }
        }
    }
}
