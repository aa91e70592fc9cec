package dev.shipgate;

import static dev.shipgate.TrackingUpdatesIT.detail;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code shipment.exception} webhook and the exceptions queue agree: an acknowledged entry that a newer
 * exception event puts back (failure, then failure again) is announced, not only a status change. A service
 * of its own on a database of its own (private targets allowed), delivering to a real HTTP receiver.
 */
@DisplayName("Outbound shipment.exception when an acknowledged exception re-opens")
class ExceptionWebhooksIT {

    private static final String DATABASE = "exception_webhooks_it";
    private static ShipgateApp app;
    private static Api api;

    @BeforeAll
    static void start() {
        var own = TestDatabase.isolated(DATABASE);
        app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(own),
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "WEBHOOK_RETRY_BASE_MS", "100",
                "WEBHOOK_POLL_MS", "50"));
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
    }

    @AfterAll
    static void stop() {
        api.close();
        app.close();
    }

    private static void track(String code, String status, JsonObject... details) throws Exception {
        JsonObject event = TrackingUpdatesIT.trackerEvent("evt_" + UUID.randomUUID(), code, status, new JsonArray(List.of((Object[]) details)));
        HttpResponse<Buffer> applied = api.client().post("/webhooks/easypost").putHeader("content-type", "application/json")
                .putHeader("X-Hmac-Signature", TrackingUpdatesIT.sign(event.toBuffer(), TestApp.WEBHOOK_SECRET))
                .sendBuffer(event.toBuffer()).toCompletionStage().toCompletableFuture().join();
        assertThat(applied.statusCode()).as(applied.bodyAsString()).isEqualTo(200);
    }

    private static String ago(long hours) {
        return Instant.now().minus(hours, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Test
    @DisplayName("failure, acknowledged, then a newer failure event sends shipment.exception again with reopened true, once however often EasyPost repeats it")
    void reopenedEntryIsAnnounced() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 200)) {
            WebhooksIT.register(api, receiver.url("/exceptions"), "shipment.exception");
            JsonObject created = Fixtures.created(api, "HOOK-REOPEN");
            HttpResponse<Buffer> bought = api.post("/shipments/" + created.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
            assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
            String code = bought.bodyAsJsonObject().getString("tracking_code");
            String id = created.getString("id");

            JsonObject first = detail("failure", "Address not found", ago(5));
            track(code, "failure", first);
            receiver.await(30, "the first exception", got -> got.size() == 1);
            assertThat(receiver.of("shipment.exception").get(0).json().getJsonObject("data").getBoolean("reopened")).isFalse();

            JsonObject second = detail("failure", "Still not found", ago(4));
            track(code, "failure", first, second);
            Thread.sleep(500);
            assertThat(receiver.received).as("a newer exception event on an entry nobody acknowledged is not news").hasSize(1);

            HttpResponse<Buffer> ack = api.post("/exceptions/" + id + "/acknowledge", new JsonObject().put("note", "called"));
            assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(200);
            track(code, "failure", second);
            Thread.sleep(500);
            assertThat(receiver.received).as("an event the acknowledgement had seen re-opens nothing").hasSize(1);

            String newer = ago(1);
            JsonObject again = detail("failure", "Second attempt failed", newer);
            track(code, "failure", again);
            track(code, "failure", again);
            receiver.await(30, "the re-opened exception", got -> got.size() == 2);
            Thread.sleep(500);
            assertThat(receiver.of("shipment.exception")).as("a repeated EasyPost event sends it once").hasSize(2);
            JsonObject data = receiver.of("shipment.exception").get(1).json().getJsonObject("data");
            assertThat(data.getString("shipment_id")).isEqualTo(id);
            assertThat(data.getString("tracking_code")).isEqualTo(code);
            assertThat(data.getString("status")).isEqualTo("failure");
            assertThat(data.getString("previous_status")).isEqualTo("failure");
            assertThat(data.getBoolean("reopened")).isTrue();
            assertThat(Instant.parse(data.getString("exception_event_at"))).isEqualTo(Instant.parse(newer));
            JsonObject entry = api.get("/exceptions/" + id).bodyAsJsonObject();
            assertThat(entry.getBoolean("acknowledged")).as("the queue agrees: the entry is open again").isFalse();
        }
    }
}
