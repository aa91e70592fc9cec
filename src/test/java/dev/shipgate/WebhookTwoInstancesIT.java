package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes on one database deliver to one slow receiver (it answers a second after each request):
 * SKIP LOCKED leasing sends each event once while both run; one is killed with SIGKILL mid-way, and what it
 * had in flight is sent again by the other once the lease runs out. The receiver deduplicates by
 * {@code Shipgate-Event-Id}, as the README asks, so each event is accepted exactly once.
 */
@DisplayName("Outbound webhooks from two instances, one killed")
class WebhookTwoInstancesIT {

    private static final int EVENTS = 40;
    private static final int CONCURRENCY = 4;
    static ApartSimulator apart;
    static EasyPostSimulator simulator;
    static DatabaseUrl database;

    @BeforeAll
    static void startSimulator() throws Exception {
        apart = ApartSimulator.start();
        simulator = apart.simulator;
        database = TestDatabase.isolated("webhook_two_instances");
    }

    @AfterAll
    static void stopSimulator() {
        apart.close();
    }

    @Test
    @DisplayName("every event is accepted exactly once; only deliveries the killed instance had in flight come again, after their lease")
    void exactlyOnceAcrossAKill(@TempDir Path dir) throws Exception {
        Map<String, String> env = TestApp.againstSimulator(dir, simulator, database);
        env.put("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
        env.put("WEBHOOK_CONNECT_TIMEOUT_MS", "500");
        env.put("WEBHOOK_TIMEOUT_MS", "3000");
        env.put("WEBHOOK_MAX_CONCURRENCY", String.valueOf(CONCURRENCY));
        env.put("WEBHOOK_POLL_MS", "200");
        ServiceProcess doomed = ServiceProcess.start(dir, "doomed", env);
        doomed.awaitStarted(180);
        try (ServiceProcess survivor = ServiceProcess.start(dir, "survivor", env);
             WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 204, 1_000)) {
            survivor.awaitStarted(180);
            Api api = new Api(survivor.port, TestApp.TOKEN);
            String endpoint = WebhooksIT.register(api, receiver.url("/both"), "shipment.created").getString("id");
            // held while disabled, then released at once: both instances are woken and lease side by side
            api.send(HttpMethod.PATCH, "/webhook-endpoints/" + endpoint, new JsonObject().put("enabled", false).toBuffer());
            Set<String> shipments = new HashSet<>();
            for (int i = 0; i < EVENTS; i++) {
                shipments.add(Fixtures.created(api, "TWO-" + i).getString("id"));
            }
            assertThat(api.send(HttpMethod.PATCH, "/webhook-endpoints/" + endpoint, new JsonObject().put("enabled", true).toBuffer())
                    .bodyAsJsonObject().getJsonObject("held_deliveries").getLong("released")).isEqualTo(EVENTS);

            receiver.await(120, "a quarter of the events", got -> got.size() >= EVENTS / 4);
            doomed.kill();
            long killedAt = System.currentTimeMillis();
            List<WebhookReceiver.Received> beforeKill = List.copyOf(receiver.received);
            assertThat(beforeKill.size()).as("killed mid-way").isLessThan(EVENTS);
            assertThat(beforeKill.stream().map(WebhookReceiver.Received::eventId).distinct().count())
                    .as("no event sent twice while both ran").isEqualTo(beforeKill.size());

            receiver.await(180, "every event", got -> got.stream().map(WebhookReceiver.Received::eventId).distinct().count() == EVENTS);
            Await.until("every delivery is recorded delivered", Duration.ofSeconds(120), () -> WebhooksIT.deliveries(api, endpoint)
                    .stream().map(JsonObject.class::cast).filter(d -> d.getString("state").equals("delivered")).count() == EVENTS);
            Thread.sleep(1_000);

            Map<String, List<WebhookReceiver.Received>> byEvent = receiver.received.stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Received::eventId));
            // what the receiver accepts: the first request of each event id, later ones are recognised duplicates
            Set<String> accepted = byEvent.values().stream().map(rs -> rs.get(0).json().getJsonObject("data").getString("shipment_id"))
                    .collect(Collectors.toSet());
            assertThat(accepted).isEqualTo(shipments);
            List<List<WebhookReceiver.Received>> repeated = byEvent.values().stream().filter(rs -> rs.size() > 1).toList();
            assertThat(repeated).as("only what the killed instance had in flight").hasSizeLessThanOrEqualTo(CONCURRENCY)
                    .allSatisfy(rs -> {
                        assertThat(rs).hasSize(2);
                        assertThat(rs.get(0).atMillis()).isLessThan(killedAt);
                        assertThat(rs.get(1).atMillis() - rs.get(0).atMillis()).as("sent again only after the lease")
                                .isGreaterThanOrEqualTo(25_000);
                    });
            System.out.println("two instances: " + EVENTS + " events, " + receiver.received.size() + " requests, "
                    + repeated.size() + " re-sent after the kill, " + beforeKill.size() + " received before it");
            api.close();
        } finally {
            doomed.kill();
        }
    }
}
