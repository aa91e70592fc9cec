package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox survives the process: events a service killed with SIGKILL could not deliver (its receiver was
 * down, so they were still pending, retried) are delivered by the next one on the same database, once each.
 */
@DisplayName("Webhook deliveries across a kill")
class WebhookRestartIT {

    @Test
    @DisplayName("deliveries still pending when the service is killed are delivered once after a restart")
    void pendingDeliveriesSurviveAKill(@TempDir Path dir) throws Exception {
        DatabaseUrl database = TestDatabase.isolated("webhook_restart");
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", TestApp.databaseUrl(database));
        env.put("SHIPGATE_API_TOKEN", TestApp.TOKEN);
        env.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
        env.put("WEBHOOK_RETRY_BASE_MS", "100");
        // the receiver is down (503) while the first service runs: its deliveries stay pending, retried
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> down.get() ? 503 : 200)) {
            Set<String> shipments;
            try (ServiceProcess first = ServiceProcess.start(dir, "first", env)) {
                first.awaitStarted(240);
                try (Api api = new Api(first.port, TestApp.TOKEN)) {
                    var endpoint = api.post("/webhook-endpoints", new JsonObject().put("url", receiver.url("/after-restart"))
                            .put("events", new JsonArray().add("shipment.created")));
                    assertThat(endpoint.statusCode()).as(endpoint.bodyAsString()).isEqualTo(201);
                    shipments = java.util.stream.IntStream.range(0, 3)
                            .mapToObj(i -> Fixtures.created(api, "RESTART-" + i).getString("id")).collect(Collectors.toSet());
                }
                Await.until("each delivery tried and still pending", java.time.Duration.ofSeconds(30), () -> TestDatabase.count(database,
                        "SELECT count(*) FROM webhook_deliveries WHERE state = 'pending' AND attempts >= 1") == 3);
                first.kill();
            }
            assertThat(receiver.received).as("something was tried before the kill").isNotEmpty();
            assertThat(receiver.received).as("nothing was accepted before the kill").allMatch(r -> r.status() == 503);
            int triedBefore = receiver.received.size();
            down.set(false);

            try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
                long t0 = System.nanoTime();
                second.awaitStarted(240);
                System.out.println("the second service started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                // a delivery the first service had leased when it was killed is tried again when its lease ends:
                // connect plus read timeout plus 30 s, 45 s with the defaults
                receiver.await(75, "the three queued events", got -> got.stream().filter(r -> r.status() == 200).count() >= 3);
                Thread.sleep(500);
                var accepted = receiver.received.stream().filter(r -> r.status() == 200).toList();
                assertThat(accepted).as("each event accepted once").hasSize(3);
                assertThat(receiver.received.size()).isGreaterThanOrEqualTo(triedBefore + 3);
                assertThat(accepted.stream().map(r -> r.json().getJsonObject("data").getString("shipment_id"))
                        .collect(Collectors.toSet())).isEqualTo(shipments);
                Await.until("the deliveries are recorded", java.time.Duration.ofSeconds(10), () -> TestDatabase.count(database,
                        "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'") == 3);
            }
        }
    }
}
