package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher is woken by the database (LISTEN/NOTIFY from webhook_emit) rather than waiting for its poll:
 * a service whose poll is a minute still delivers within seconds of the change. Prints the latencies from
 * the creating request to the receiver (a rough number: the machine is shared).
 */
@DisplayName("Outbound webhooks are woken by notifications")
class WebhookWakeIT {

    private static final String DATABASE = "webhook_wake_it";
    private static ShipgateApp app;
    private static Api api;

    @BeforeAll
    static void start() {
        var own = TestDatabase.isolated(DATABASE);
        app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(own),
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "WEBHOOK_POLL_MS", System.getProperty("webhook.wake.pollMs", "60000")));
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
    }

    @AfterAll
    static void stop() {
        api.close();
        app.close();
    }

    @Test
    @DisplayName("with a one-minute poll, each new shipment reaches the receiver within seconds of its creation")
    void deliveredPromptly() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 204)) {
            JsonObject endpoint = WebhooksIT.register(api, receiver.url("/wake"), "shipment.created");
            Thread.sleep(500);
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                long before = System.currentTimeMillis();
                Fixtures.created(api, "WAKE-" + i);
                int n = i + 1;
                receiver.await(5, "shipment " + n + " within 5 s", got -> got.size() == n);
                latencies.add(receiver.received.get(i).atMillis() - before);
            }
            Collections.sort(latencies);
            System.out.println("webhook latency from POST /shipments to the receiver, ms (15 events): median "
                    + latencies.get(7) + ", max " + latencies.get(14) + ", all " + latencies);
            assertThat(latencies.get(14)).isLessThan(5_000);
            assertThat(WebhooksIT.deliveries(api, endpoint.getString("id"))).hasSize(15);
        }
    }
}
