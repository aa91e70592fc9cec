package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The service as a process")
class ProcessIT {

    @Test
    @DisplayName("starts on embedded defaults, prints where it listens, the database and a token, never shows a secret, and stops cleanly on SIGTERM")
    void startsAndStopsOnSigterm(@TempDir Path dataDir) throws Exception {
        int port = TestApp.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.shipgate.Main")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("out.log").toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("SHIPGATE_DATA_DIR", dataDir.toString());
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("LOG_FORMAT", "json");
        builder.environment().put("WORKERS", "2");
        builder.environment().put("EASYPOST_WEBHOOK_SECRET", "whsec_never_printed_0123456789");
        Process process = builder.start();
        Path out = dataDir.resolve("out.log");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            List<String> started = Files.readAllLines(out);
            while (started.stream().noneMatch(l -> l.startsWith("First API token")) && System.nanoTime() < deadline
                    && process.isAlive()) {
                Thread.sleep(100);
                started = Files.readAllLines(out);
            }
            List<String> lines = started;
            String token = lines.stream().filter(l -> l.startsWith("First API token")).findFirst()
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElseThrow(() -> new AssertionError(String.join("\n", lines)));
            assertThat(lines).anyMatch(l -> l.equals("Shipgate listening on http://127.0.0.1:" + port + " with 2 HTTP verticle instance(s)"));
            assertThat(lines).anyMatch(l -> l.startsWith("Database: embedded PostgreSQL 17"));
            assertThat(lines.stream().filter(l -> l.startsWith("{")))
                    .as("logs are JSON lines").allMatch(l -> l.contains("\"level\""))
                    .noneMatch(l -> l.contains(token));
            assertThat(lines).noneMatch(l -> l.contains("whsec_never_printed") || l.contains(EasyPostSimulator.API_KEY));
            try (Api api = new Api(port, token)) {
                assertThat(api.get("/shipments").statusCode()).isEqualTo(200);
                String health = api.get("/health").bodyAsString();
                assertThat(health).doesNotContain(token).doesNotContain("whsec_never_printed")
                        .doesNotContain(EasyPostSimulator.API_KEY);
            }
            assertThat(Files.exists(dataDir.resolve("pg/postmaster.pid"))).isTrue();
            int pgPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(3).trim());
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                    "postgres", "");
                 var rs = c.createStatement().executeQuery("SELECT current_setting('fsync'), current_setting('full_page_writes')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("fsync of the embedded server (was off: its library passes -F)").isEqualTo("on");
                assertThat(rs.getString(2)).isEqualTo("on");
            }
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).anyMatch(l -> l.contains("embedded PostgreSQL stopped"));
        assertThat(lines).anyMatch(l -> l.contains("shipgate stopped"));
        assertThat(Files.exists(dataDir.resolve("pg/postmaster.pid"))).as("PostgreSQL shut down").isFalse();
    }

    @Test
    @DisplayName("a bad setting stops startup with exit code 2, one JSON log line saying why, and one plain line for people (it printed only plain text)")
    void badSettingIsOneStructuredLineAndOnePlainOne(@TempDir Path dir) throws Exception {
        ServiceProcess.CommandResult refused = ServiceProcess.command(dir, java.util.Map.of("HTTP_PORT", "-5"), "serve");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stdout()).isEmpty();
        assertThat(refused.stderr()).as(String.join("\n", refused.stderr())).hasSize(2);
        io.vertx.core.json.JsonObject logged = new io.vertx.core.json.JsonObject(refused.stderr().stream()
                .filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(logged.getString("level")).isEqualTo("ERROR");
        assertThat(logged.getString("formattedMessage")).startsWith("startup refused: HTTP_PORT");
        assertThat(logged.encode()).contains("startup_refused");
        assertThat(refused.stderr()).anyMatch(l -> l.startsWith("shipgate: HTTP_PORT must be"));
        assertThat(String.join("\n", refused.stderr())).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("an unreachable DATABASE_URL stops startup with one JSON log line and one plain line naming the setting, never the password (it printed a multi-line Flyway dump)")
    void unreachableDatabaseIsOneLine(@TempDir Path dir) throws Exception {
        ServiceProcess.CommandResult failed = ServiceProcess.command(dir, java.util.Map.of(
                "DATABASE_URL", "postgresql://shipgate:s3cretPW@127.0.0.1:1/shipgate", "SHIPGATE_DATA_DIR", dir.toString()), "serve");
        String all = String.join("\n", failed.stderr());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).as(all).hasSize(2);
        io.vertx.core.json.JsonObject logged = new io.vertx.core.json.JsonObject(failed.stderr().stream()
                .filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(logged.getString("formattedMessage"))
                .startsWith("startup failed: cannot connect to DATABASE_URL (postgresql://shipgate@127.0.0.1:1/shipgate)");
        assertThat(logged.encode()).contains("startup_failed");
        assertThat(failed.stderr()).anyMatch(l -> l.startsWith("shipgate: cannot connect to DATABASE_URL (postgresql://shipgate@127.0.0.1:1/shipgate): ")
                && l.contains("refused"));
        assertThat(all).doesNotContain("s3cretPW").doesNotContain("SQL State").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("a taken HTTP_PORT or DATABASE_EMBEDDED_PORT is named at startup, for serve and seed-demo (it said \"wrote no postmaster.pid\")")
    void portInUseIsNamed(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            ServiceProcess.CommandResult seed = ServiceProcess.command(dir, java.util.Map.of("SHIPGATE_DATA_DIR",
                    dir.resolve("data").toString(), "DATABASE_EMBEDDED_PORT", String.valueOf(port)), "seed-demo", "--shipments", "5");
            assertThat(seed.exitCode()).isEqualTo(2);
            assertThat(seed.stderr()).as(String.join("\n", seed.stderr()))
                    .anyMatch(l -> l.startsWith("shipgate: port " + port + " (DATABASE_EMBEDDED_PORT) is already in use"));
            assertThat(String.join("\n", seed.stderr())).doesNotContain("postmaster.pid").doesNotContain("\tat ");
            ServiceProcess.CommandResult serve = ServiceProcess.command(dir, java.util.Map.of("SHIPGATE_DATA_DIR",
                    dir.resolve("data").toString(), "DATABASE_EMBEDDED_PORT", String.valueOf(port)), "serve");
            assertThat(serve.exitCode()).isEqualTo(2);
            assertThat(serve.stderr()).anyMatch(l -> l.startsWith("shipgate: port " + port + " (DATABASE_EMBEDDED_PORT) is already in use"));
            ServiceProcess.CommandResult http = ServiceProcess.command(dir, java.util.Map.of("SHIPGATE_DATA_DIR",
                    dir.resolve("data").toString(), "HTTP_PORT", String.valueOf(port)), "serve");
            assertThat(http.exitCode()).isEqualTo(2);
            assertThat(http.stderr()).as(String.join("\n", http.stderr()))
                    .anyMatch(l -> l.startsWith("shipgate: port " + port + " (HTTP_PORT) is already in use"));
            assertThat(dir.resolve("data/pg")).as("the refused starts leave no empty pg/ behind (they did)").doesNotExist();

            Path kept = Files.createDirectories(dir.resolve("kept/pg"));
            Files.writeString(kept.resolve("notes.txt"), "the operator's");
            ServiceProcess.CommandResult refusedOnExisting = ServiceProcess.command(dir, java.util.Map.of("SHIPGATE_DATA_DIR",
                    dir.resolve("kept").toString(), "DATABASE_EMBEDDED_PORT", String.valueOf(port)), "serve");
            assertThat(refusedOnExisting.exitCode()).isEqualTo(2);
            assertThat(kept.resolve("notes.txt")).as("a directory the start did not create is kept").exists();
        }
    }

    @Test
    @DisplayName("a DATABASE_URL host that does not resolve is named as such, in one line without the password (it said only \"The connection attempt failed.\")")
    void unresolvableDatabaseHostIsNamed(@TempDir Path dir) throws Exception {
        ServiceProcess.CommandResult failed = ServiceProcess.command(dir, java.util.Map.of(
                "DATABASE_URL", "postgresql://shipgate:s3cretPW@nosuchhost.invalid:5432/shipgate", "SHIPGATE_DATA_DIR", dir.toString()), "serve");
        String all = String.join("\n", failed.stderr());
        assertThat(failed.exitCode()).as(all).isEqualTo(1);
        assertThat(failed.stderr()).as(all).hasSize(2);
        assertThat(failed.stderr()).contains("shipgate: cannot connect to DATABASE_URL (postgresql://shipgate@nosuchhost.invalid:5432/shipgate): "
                + "the host nosuchhost.invalid was not found (the name did not resolve)");
        assertThat(all).doesNotContain("s3cretPW").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("a DATABASE_URL where nothing listens says so, and a one-letter password does not star out letters of the message (it read \"setting u******** the SSL connection\")")
    void refusedDatabasePortIsNamed(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ServiceProcess.CommandResult failed = ServiceProcess.command(dir, java.util.Map.of(
                "DATABASE_URL", "postgresql://u:p@127.0.0.1:" + port + "/shipgate", "SHIPGATE_DATA_DIR", dir.toString()), "serve");
        String all = String.join("\n", failed.stderr());
        assertThat(failed.exitCode()).as(all).isEqualTo(1);
        assertThat(failed.stderr()).as(all).contains("shipgate: cannot connect to DATABASE_URL (postgresql://u@127.0.0.1:" + port
                + "/shipgate): 127.0.0.1:" + port + " refused the connection (nothing listens there)");
        assertThat(all).doesNotContain("*").doesNotContain("\tat ");

        // a peer that accepts and closes at once (seen through a sandbox's network): the driver said only
        // "An error occurred while setting up the SSL connection."
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        silent.accept().close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            ServiceProcess.CommandResult closed = ServiceProcess.command(dir, java.util.Map.of("DATABASE_URL",
                    "postgresql://u:p@127.0.0.1:" + silent.getLocalPort() + "/shipgate", "SHIPGATE_DATA_DIR", dir.toString()), "serve");
            assertThat(closed.exitCode()).isEqualTo(1);
            assertThat(String.join("\n", closed.stderr())).contains("127.0.0.1:" + silent.getLocalPort()
                    + " closed the connection without answering as PostgreSQL does").doesNotContain("SSL");
            closer.interrupt();
        }
    }

    @Test
    @DisplayName("SIGTERM while the service is still starting stops its embedded PostgreSQL too and says so in one line (the server was left running, orphaned)")
    void sigtermDuringStartupStopsTheEmbeddedDatabase(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        ServiceProcess service = ServiceProcess.start(dir, "starting", java.util.Map.of("SHIPGATE_DATA_DIR", data.toString()));
        long postgresPid = -1;
        boolean postgresOutlived = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (service.process.isAlive() && System.nanoTime() < deadline
                    && service.lines().stream().noneMatch(l -> l.contains("embedded PostgreSQL started on port"))) {
                Thread.sleep(10);
            }
            assertThat(service.lines()).as("the embedded database started").anyMatch(l -> l.contains("embedded PostgreSQL started on port"));
            // the server is up and the migrations are running: a supervisor gives up on the slow start
            postgresPid = Long.parseLong(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(0).trim());
            service.process.destroy();
            assertThat(service.process.waitFor(90, TimeUnit.SECONDS)).as("the service exited").isTrue();
        } finally {
            if (service.process.isAlive()) {
                service.kill();
            }
            java.util.Optional<ProcessHandle> postgres = ProcessHandle.of(postgresPid).filter(ProcessHandle::isAlive);
            if (postgresPid > 0 && postgres.isPresent()) {
                postgresOutlived = true;
                postgres.get().destroy(); // never leave a server behind, whatever the outcome
                postgres.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
        List<String> lines = service.lines();
        String all = String.join("\n", lines);
        assertThat(lines).as("the signal came before the service listened: " + all).noneMatch(l -> l.startsWith("Shipgate listening"));
        assertThat(postgresOutlived).as("PostgreSQL (pid " + postgresPid + ") still ran after the service exited:\n" + all).isFalse();
        assertThat(lines).as(all).filteredOn(l -> l.contains("stop requested before start-up finished: stopping the embedded PostgreSQL"))
                .hasSize(1);
        assertThat(lines).as(all).anyMatch(l -> l.contains("embedded PostgreSQL stopped"));
        assertThat(data.resolve("pg/postmaster.pid")).as("PostgreSQL shut down").doesNotExist();
    }
}
