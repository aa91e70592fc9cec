package dev.shipgate;

import static dev.shipgate.TrackingUpdatesIT.detail;
import static dev.shipgate.TrackingUpdatesIT.sign;
import static dev.shipgate.TrackingUpdatesIT.trackerEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhooks delivered out of order or malformed")
class WebhookOrderIT extends SharedAppTest {

    static CompletableFuture<HttpResponse<Buffer>> send(Buffer body) {
        try {
            return api.client().post("/webhooks/easypost").putHeader("content-type", "application/json")
                    .putHeader("X-Hmac-Signature", sign(body, TestApp.WEBHOOK_SECRET)).sendBuffer(body)
                    .toCompletionStage().toCompletableFuture();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<Buffer> deliver(JsonObject event) {
        return send(event.toBuffer()).join();
    }

    static JsonObject bought(String reference) {
        JsonObject created = api.post("/shipments", Fixtures.newShipment(reference)).bodyAsJsonObject();
        return api.post("/shipments/" + created.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"))
                .bodyAsJsonObject();
    }

    static String status(JsonObject shipment) {
        return api.get("/shipments/" + shipment.getString("id")).bodyAsJsonObject().getString("status");
    }

    @Test
    @DisplayName("an older event arriving after a newer one leaves the parcel delivered, and its details still join the history")
    void lateOlderEvent() {
        JsonObject shipment = bought("LATE");
        String code = shipment.getString("tracking_code");
        JsonObject delivered = trackerEvent("evt_new_" + code, code, "delivered", new JsonArray()
                .add(detail("in_transit", "Arrived at Reno hub", "2026-11-21T08:30:00Z"))
                .add(detail("delivered", "Delivered, front door", "2026-11-22T15:00:00Z")));
        JsonObject older = trackerEvent("evt_old_" + code, code, "in_transit", new JsonArray()
                .add(detail("in_transit", "Arrived at Reno hub", "2026-11-21T08:30:00Z"))
                .add(detail("in_transit", "Departed Reno hub", "2026-11-21T20:00:00Z")));
        assertThat(deliver(delivered).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> late = deliver(older);
        assertThat(late.statusCode()).as(late.bodyAsString()).isEqualTo(200);
        assertThat(late.bodyAsJsonObject().getString("status")).isEqualTo("delivered");

        assertThat(status(shipment)).isEqualTo("delivered");
        JsonArray events = api.get("/shipments/" + shipment.getString("id") + "/events").bodyAsJsonObject().getJsonArray("events");
        assertThat(events.stream().map(JsonObject.class::cast).map(e -> e.getString("description")).toList())
                .containsExactly("Delivered, front door", "Departed Reno hub", "Arrived at Reno hub");
        JsonObject tracked = api.post("/shipments/batch-track", new JsonObject().put("tracking_codes", new JsonArray().add(code)))
                .bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
        assertThat(tracked.getString("status")).isEqualTo("delivered");
    }

    @Test
    @DisplayName("a tracker for a code bought elsewhere keeps its newest status when an older event comes last")
    void trackerKeepsNewestStatus() {
        String code = "EZ2000000002";
        assertThat(api.post("/trackers", new JsonObject().put("tracking_code", code).put("carrier", "USPS")).statusCode()).isEqualTo(201);
        deliver(trackerEvent("evt_trk_new", code, "delivered", new JsonArray().add(detail("delivered", "Delivered", "2026-11-22T15:00:00Z"))));
        deliver(trackerEvent("evt_trk_old", code, "in_transit", new JsonArray().add(detail("in_transit", "On its way", "2026-11-21T15:00:00Z"))));
        assertThat(StoredAsSentIT.sql("SELECT status FROM trackers WHERE tracking_code = '" + code + "'")).isEqualTo("delivered");
    }

    @Test
    @DisplayName("events of one parcel delivered concurrently in a random order always end at the newest status")
    void concurrentDeliveries() {
        List<String> statuses = List.of("pre_transit", "in_transit", "in_transit", "out_for_delivery", "delivered");
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            JsonObject shipment = bought("RACE-" + round);
            String code = shipment.getString("tracking_code");
            List<Buffer> bodies = new ArrayList<>();
            JsonArray details = new JsonArray();
            for (int i = 0; i < statuses.size(); i++) {
                details = details.copy().add(detail(statuses.get(i), "step " + i, "2026-11-2" + i + "T10:00:00Z"));
                bodies.add(trackerEvent("evt_race_" + round + "_" + i + "_" + code, code, statuses.get(i), details).toBuffer());
            }
            Collections.shuffle(bodies, random);
            List<CompletableFuture<HttpResponse<Buffer>>> sent = bodies.stream().map(WebhookOrderIT::send).toList();
            assertThat(sent.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsOnly(200);
            assertThat(status(shipment)).as("round " + round).isEqualTo("delivered");
            assertThat(TestDatabase.count("SELECT count(*) FROM shipment_events WHERE shipment_id = '" + shipment.getString("id") + "'"))
                    .isEqualTo(statuses.size());
        }
    }

    @Test
    @DisplayName("a signed event whose tracking_details is a string is a 422 naming the field, and is not remembered")
    void detailsAsString() {
        JsonObject shipment = bought("SHAPE");
        String code = shipment.getString("tracking_code");
        JsonObject event = trackerEvent("evt_shape_" + code, code, "delivered", new JsonArray());
        event.getJsonObject("result").put("tracking_details", "delivered yesterday");
        Fixtures.assertField(deliver(event), 422, "result.tracking_details");
        assertThat(TestDatabase.count("SELECT count(*) FROM webhook_events WHERE id = 'evt_shape_" + code + "'")).isZero();
        assertThat(status(shipment)).isNotEqualTo("delivered");
    }

    @Test
    @DisplayName("a signed body that is not JSON is a 400, since the signature was valid; the same body unsigned is a 401")
    void signedMalformedJson() {
        Buffer body = Buffer.buffer("{\"id\": \"evt_broken\", \"description\": ");
        HttpResponse<Buffer> signed = send(body).join();
        assertThat(signed.statusCode()).as(signed.bodyAsString()).isEqualTo(400);
        assertThat(signed.getHeader("content-type")).isEqualTo("application/problem+json");
        HttpResponse<Buffer> unsigned = api.client().post("/webhooks/easypost").putHeader("X-Hmac-Signature", "hmac-sha256-hex=00")
                .sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("a bare hex digest (the right HMAC without 'hmac-sha256-hex=') is a 401 whose detail names the expected form")
    void bareHexSignature() throws Exception {
        Buffer body = trackerEvent("evt_bare_hex", "trk_bare_hex", "in_transit", new io.vertx.core.json.JsonArray()).toBuffer();
        String bare = sign(body, TestApp.WEBHOOK_SECRET).substring("hmac-sha256-hex=".length());
        HttpResponse<Buffer> refused = api.client().post("/webhooks/easypost").putHeader("X-Hmac-Signature", bare)
                .sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.bodyAsJsonObject().getString("detail"))
                .contains("no 'hmac-sha256-hex=' prefix")
                .contains("'hmac-sha256-hex=' followed by the lowercase hex HMAC-SHA256 of the raw request body");
    }
}
