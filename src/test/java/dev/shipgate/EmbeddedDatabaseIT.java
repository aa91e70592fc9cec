package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on its embedded PostgreSQL, as a process: crashes of either, and CLI commands beside it. */
@DisplayName("The embedded PostgreSQL through crashes and beside CLI commands")
class EmbeddedDatabaseIT {

    static final List<String> BANNER = List.of("Shipgate listening", "Database:", "EasyPost:", "First API token", "API tokens:");

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

            ServiceProcess.CommandResult created = ServiceProcess.command(dataDir, env(dataDir), "token", "create", "--name", "ci", "--scopes", "read");

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

    @Test
    @DisplayName("kill -9 of the embedded PostgreSQL under the service: restarted, answers again, stays live, the outage logged once as JSON")
    void postgresKilledUnderService(@TempDir Path dataDir) throws Exception {
        ServiceProcess service = ServiceProcess.start(dataDir, "service", env(dataDir));
        try {
            service.awaitStarted();
            try (Api client = new Api(service.port, TestApp.TOKEN)) {
                assertThat(client.get("/shipments").statusCode()).isEqualTo(200);
                long killed = postmasterPid(dataDir);
                new ProcessBuilder("kill", "-9", Long.toString(killed)).start().waitFor(10, TimeUnit.SECONDS);

                List<Integer> statuses = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long lastFailure = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    var response = client.get("/shipments?limit=5");
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 200) {
                        if (statuses.contains(503)) {
                            break;
                        }
                        Thread.sleep(50); // a backend may answer before it notices its server is gone
                        continue;
                    }
                    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
                    assertThat(response.getHeader("Retry-After")).isNotNull();
                    assertThat(response.bodyAsJsonObject().getString("detail")).startsWith("database unavailable");
                    assertThat(client.get("/health/live").statusCode()).as("the service stays live while it restarts PostgreSQL")
                            .isEqualTo(200);
                    lastFailure = System.nanoTime();
                    Thread.sleep(50);
                }
                assertThat(statuses).as("503 while PostgreSQL was down, then 200 again").contains(503).endsWith(200);
                assertThat(postmasterPid(dataDir)).isNotEqualTo(killed);
                assertThat(alive(postmasterPid(dataDir))).isTrue();
                assertThat(client.get("/health").statusCode()).isEqualTo(200);
                long failed = statuses.stream().filter(s -> s == 503).count();
                // The SQL client's pool fails a query a second time 10 s after a refused connection: wait past that.
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastFailure + TimeUnit.SECONDS.toNanos(12) - System.nanoTime())));
                service.close();

                List<JsonObject> logs = new ArrayList<>();
                for (String line : service.lines()) {
                    if (BANNER.stream().noneMatch(line::startsWith)) {
                        logs.add(new JsonObject(line));
                    }
                }
                List<String> messages = logs.stream().map(l -> l.getString("formattedMessage")).toList();
                assertThat(messages).filteredOn(m -> m.startsWith("database unavailable")).hasSize(1);
                List<String> ended = messages.stream().filter(m -> m.startsWith("database available again")).toList();
                assertThat(ended).hasSize(1);
                assertThat(ended.get(0)).matches("database available again after \\d+ s; \\d+ request\\(s\\) answered 503 meanwhile");
                assertThat(Long.parseLong(ended.get(0).replaceAll(".*; (\\d+) request.*", "$1")))
                        .as("the requests answered 503, counted").isGreaterThanOrEqualTo(failed);
                assertThat(messages).anyMatch(m -> m.startsWith("embedded PostgreSQL (pid " + killed + ") stopped under the running service"))
                        .anyMatch(m -> m.startsWith("embedded PostgreSQL restarted on port"));
                // Besides: the SQL client prints the FATAL a connection in use got from its dying backend (bounded by the pools).
                assertThat(logs).as("no ERROR but the outage and the crash").filteredOn(l -> l.getString("level").equals("ERROR"))
                        .extracting(l -> l.getString("formattedMessage"))
                        .allMatch(m -> m.startsWith("database unavailable") || m.startsWith("embedded PostgreSQL (pid")
                                || m.startsWith("printed on standard error: io.vertx.pgclient.PgException: FATAL"));
                assertThat(messages).noneMatch(m -> m.contains("Result is already complete")).noneMatch(m -> m.contains("{}"))
                        .noneMatch(m -> m.contains("HHH102003"));
            }
        } finally {
            service.close();
        }
    }

    @Test
    @DisplayName("an embedded PostgreSQL that cannot be restarted turns /health/live 503 with the reason, and 200 once it runs again")
    void notLiveWhileItCannotRestart(@TempDir Path dataDir) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(dataDir, "service", env(dataDir));
             Api client = new Api(service.port, TestApp.TOKEN)) {
            service.awaitStarted();
            assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
            Path version = dataDir.resolve("pg/PG_VERSION");
            String actual = Files.readString(version);
            Files.writeString(version, "99\n");
            new ProcessBuilder("kill", "-9", Long.toString(postmasterPid(dataDir))).start().waitFor(10, TimeUnit.SECONDS);

            var live = client.get("/health/live");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (live.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                live = client.get("/health/live");
            }
            assertThat(live.statusCode()).as("a data directory PostgreSQL 17 refuses: restarts fail").isEqualTo(503);
            assertThat(live.bodyAsJsonObject().getString("reason")).startsWith("embedded PostgreSQL is down and 3 restarts failed");
            assertThat(client.get("/shipments").statusCode()).isEqualTo(503);

            Files.writeString(version, actual);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (live.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                live = client.get("/health/live");
            }
            assertThat(live.statusCode()).as("restarted once it can be").isEqualTo(200);
            assertThat(client.get("/shipments").statusCode()).isEqualTo(200);
        }
    }
}
