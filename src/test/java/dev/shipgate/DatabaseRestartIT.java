package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A PostgreSQL fast restart under load")
class DatabaseRestartIT {

    record Answer(String call, int status, String retryAfter, String detail) {
    }

    static EmbeddedPostgres postgres(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    @DisplayName("reads and creates answer 503 with Retry-After and 'database unavailable' while it restarts, never 500")
    void fastRestartUnderLoad(@TempDir Path dir) throws Exception {
        int port = TestApp.freePort();
        EmbeddedPostgres pg = postgres(dir, port);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (ShipgateApp app = TestApp.start(Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + port + "/postgres",
                "DATABASE_POOL_SIZE", "4", "DATABASE_MAX_OVERFLOW", "2", "DATABASE_RAW_POOL_SIZE", "4"));
             Api api = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            HttpResponse<Buffer> first = api.post("/shipments", Fixtures.newShipment("BEFORE-RESTART"));
            assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
            String id = first.bodyAsJsonObject().getString("id");

            List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(14);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        String call = client == 0 ? "POST /shipments" : i % 2 == 0 ? "GET /shipments" : "GET /shipments/{id}";
                        HttpResponse<Buffer> r = switch (call) {
                            case "POST /shipments" -> api.post("/shipments", Fixtures.newShipment("DURING-RESTART-" + i));
                            case "GET /shipments" -> api.get("/shipments?limit=5");
                            default -> api.get("/shipments/" + id);
                        };
                        String detail = r.statusCode() >= 400 ? r.bodyAsJsonObject().getString("detail") : null;
                        answers.add(new Answer(call, r.statusCode(), r.getHeader("Retry-After"), detail));
                    }
                    return null;
                }));
            }
            Thread.sleep(3_000);
            pg.close();
            pg = postgres(dir, port);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(answers).as("every answer 2xx or 503").allMatch(a -> a.status() == 200 || a.status() == 201 || a.status() == 503);
            assertThat(answers).filteredOn(a -> a.status() == 503).as("503 while PostgreSQL restarted").isNotEmpty()
                    .allSatisfy(a -> {
                        assertThat(a.retryAfter()).isNotNull();
                        assertThat(a.detail()).matches("database (unavailable|busy): .*");
                    })
                    .anyMatch(a -> a.detail().startsWith("database unavailable"));
            assertThat(api.get("/shipments/" + id).statusCode()).as("served again after the restart").isEqualTo(200);
            assertThat(api.post("/shipments", Fixtures.newShipment("AFTER-RESTART")).statusCode()).isEqualTo(201);
        } finally {
            clients.shutdownNow();
            pg.close();
        }
    }
}
