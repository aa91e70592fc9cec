package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhooks, trackers and address verification")
class TrackingUpdatesIT extends SharedAppTest {




    static String sign(Buffer body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "hmac-sha256-hex=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    }

    static HttpResponse<Buffer> deliver(JsonObject event, String signature) {
        var request = api.client().post("/webhooks/easypost").putHeader("content-type", "application/json");
        if (signature != null) {
            request.putHeader("X-Hmac-Signature", signature);
        }
        return request.sendBuffer(event.toBuffer()).toCompletionStage().toCompletableFuture().join();
    }

    static JsonObject trackerEvent(String eventId, String code, String status, JsonArray details) {
        return new JsonObject().put("id", eventId).put("object", "Event").put("description", "tracker.updated")
                .put("mode", "test").put("result", new JsonObject().put("object", "Tracker").put("id", "trk_1")
                        .put("tracking_code", code).put("status", status).put("tracking_details", details));
    }

    static JsonObject detail(String status, String message, String at) {
        return new JsonObject().put("object", "TrackingDetail").put("status", status).put("message", message)
                .put("datetime", at).put("tracking_location", new JsonObject().put("city", "RENO").put("state", "NV")
                        .put("zip", "89501").put("country", "US"));
    }

    JsonObject boughtShipment() {
        JsonObject created = api.post("/shipments", Fixtures.newShipment("HOOK")).bodyAsJsonObject();
        return api.post("/shipments/" + created.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"))
                .bodyAsJsonObject();
    }

    @Test
    @DisplayName("a signed tracker.updated moves the shipment's status and adds its events; a repeat changes nothing")
    void trackerUpdated() throws Exception {
        JsonObject shipment = boughtShipment();
        String code = shipment.getString("tracking_code");
        JsonObject event = trackerEvent("evt_" + code, code, "in_transit", new JsonArray()
                .add(detail("pre_transit", "Label created", "2026-11-20T10:00:00Z"))
                .add(detail("in_transit", "Arrived at Reno hub", "2026-11-21T08:30:00Z")));
        String signature = sign(event.toBuffer(), TestApp.WEBHOOK_SECRET);
        var first = deliver(event, signature);
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
        assertThat(first.bodyAsJsonObject().getInteger("applied")).as(first.bodyAsString()).isEqualTo(1);

        var tracked = api.post("/shipments/batch-track", new JsonObject().put("tracking_codes", new JsonArray().add(code)))
                .bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
        assertThat(tracked.getString("status")).isEqualTo("in_transit");
        assertThat(tracked.getJsonObject("latest_event").getString("description")).isEqualTo("Arrived at Reno hub");
        long events = TestDatabase.count("SELECT count(*) FROM shipment_events WHERE shipment_id = '" + shipment.getString("id") + "'");
        assertThat(events).isEqualTo(2);

        var repeat = deliver(event, signature);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.bodyAsJsonObject().getBoolean("duplicate")).as(repeat.bodyAsString()).isTrue();

        JsonObject later = trackerEvent("evt_later_" + code, code, "delivered", new JsonArray()
                .add(detail("pre_transit", "Label created", "2026-11-20T10:00:00Z"))
                .add(detail("in_transit", "Arrived at Reno hub", "2026-11-21T08:30:00Z"))
                .add(detail("delivered", "Delivered, front door", "2026-11-22T15:00:00Z")));
        assertThat(deliver(later, sign(later.toBuffer(), TestApp.WEBHOOK_SECRET)).statusCode()).isEqualTo(200);
        assertThat(TestDatabase.count("SELECT count(*) FROM shipment_events WHERE shipment_id = '" + shipment.getString("id") + "'"))
                .as("details already stored are not stored again").isEqualTo(3);
        assertThat(api.get("/shipments/" + shipment.getString("id")).bodyAsJsonObject().getString("status")).isEqualTo("delivered");
    }

    @Test
    @DisplayName("a bare status (no tracking details) moves a shipment that has events only when its updated_at is newer; otherwise applied 0 says why")
    void bareStatusIsOrderedByUpdatedAt() throws Exception {
        JsonObject shipment = boughtShipment();
        String id = shipment.getString("id");
        String code = shipment.getString("tracking_code");
        JsonObject first = trackerEvent("evt_first_" + code, code, "pre_transit",
                new JsonArray().add(detail("pre_transit", "Label created", "2026-11-20T10:00:00Z")));
        assertThat(deliver(first, sign(first.toBuffer(), TestApp.WEBHOOK_SECRET)).statusCode()).isEqualTo(200);

        // The README's own example: status in result, tracking_details empty, no time at all.
        JsonObject timeless = trackerEvent("evt_bare_" + code, code, "in_transit", new JsonArray());
        JsonObject ignored = deliver(timeless, sign(timeless.toBuffer(), TestApp.WEBHOOK_SECRET)).bodyAsJsonObject();
        assertThat(ignored.getInteger("applied")).as(ignored.encode()).isZero();
        assertThat(ignored.getString("status")).isEqualTo("pre_transit");
        assertThat(ignored.getString("detail")).contains("cannot be ordered", "2026-11-20T10:00:00");

        JsonObject older = trackerEvent("evt_older_" + code, code, "in_transit", new JsonArray());
        older.getJsonObject("result").put("updated_at", "2026-11-19T09:00:00Z");
        JsonObject stale = deliver(older, sign(older.toBuffer(), TestApp.WEBHOOK_SECRET)).bodyAsJsonObject();
        assertThat(stale.getInteger("applied")).as(stale.encode()).isZero();
        assertThat(stale.getString("detail")).contains("not older than the event");

        JsonObject newer = trackerEvent("evt_newer_" + code, code, "in_transit", new JsonArray());
        newer.getJsonObject("result").put("updated_at", "2026-11-21T09:00:00Z");
        JsonObject moved = deliver(newer, sign(newer.toBuffer(), TestApp.WEBHOOK_SECRET)).bodyAsJsonObject();
        assertThat(moved.getInteger("applied")).as(moved.encode()).isEqualTo(1);
        assertThat(moved.getString("status")).isEqualTo("in_transit");
        assertThat(moved.containsKey("detail")).isFalse();
        assertThat(api.get("/shipments/" + id).bodyAsJsonObject().getString("status")).isEqualTo("in_transit");
    }

    @Test
    @DisplayName("a status EasyPost does not document, after a carrier scan, keeps the scanned status: the label stays unrefundable (409 label-scanned)")
    void undocumentedStatusAfterScanKeepsTheLabelUsed() throws Exception {
        JsonObject shipment = boughtShipment();
        String id = shipment.getString("id");
        String code = shipment.getString("tracking_code");
        JsonObject scanned = trackerEvent("evt_scan_" + code, code, "in_transit",
                new JsonArray().add(detail("in_transit", "Accepted at USPS origin facility", "2026-11-30T17:46:10Z")));
        assertThat(deliver(scanned, sign(scanned.toBuffer(), TestApp.WEBHOOK_SECRET)).statusCode()).isEqualTo(200);
        JsonObject odd = trackerEvent("evt_odd_" + code, code, "in_transit_delayed", new JsonArray()
                .add(detail("in_transit", "Accepted at USPS origin facility", "2026-11-30T17:46:10Z"))
                .add(detail("in_transit_delayed", "Delayed", "2026-11-30T17:46:20Z")));
        HttpResponse<Buffer> applied = deliver(odd, sign(odd.toBuffer(), TestApp.WEBHOOK_SECRET));
        assertThat(applied.statusCode()).as(applied.bodyAsString()).isEqualTo(200);
        JsonObject after = api.get("/shipments/" + id).bodyAsJsonObject();
        assertThat(after.getString("status")).as("no way back to 'no information' after a scan").isEqualTo("in_transit");
        HttpResponse<Buffer> refund = api.post("/shipments/" + id + "/refund", new JsonObject());
        assertThat(refund.statusCode()).as(refund.bodyAsString()).isEqualTo(409);
        assertThat(refund.bodyAsJsonObject().getString("type")).endsWith("/label-scanned");

        // Even where the status reads unknown, a label with a recorded carrier scan is not refunded.
        TestDatabase.execute("UPDATE shipments SET status = 'unknown' WHERE id = '" + id + "'");
        HttpResponse<Buffer> stillRefused = api.post("/shipments/" + id + "/refund", new JsonObject());
        assertThat(stillRefused.statusCode()).as(stillRefused.bodyAsString()).isEqualTo(409);
        assertThat(stillRefused.bodyAsJsonObject().getString("detail")).contains("scanned by the carrier at 2026-11-30T17:46:10Z");
        assertThat(api.get("/shipments/" + id).bodyAsJsonObject().getString("refund_status")).isNull();
    }

    @Test
    @DisplayName("webhooks without a signature, or signed with another secret, are 401 and change nothing")
    void unsignedRejected() throws Exception {
        JsonObject shipment = boughtShipment();
        String code = shipment.getString("tracking_code");
        JsonObject event = trackerEvent("evt_forged_" + code, code, "delivered", new JsonArray());
        var unsigned = deliver(event, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(deliver(event, sign(event.toBuffer(), "not-the-secret")).statusCode()).isEqualTo(401);
        assertThat(deliver(event, "hmac-sha256-hex=zz").statusCode()).isEqualTo(401);
        assertThat(api.get("/shipments/" + shipment.getString("id")).bodyAsJsonObject().getString("status"))
                .isNotEqualTo("delivered");
        assertThat(TestDatabase.count("SELECT count(*) FROM webhook_events WHERE id = 'evt_forged_" + code + "'")).isZero();
    }

    @Test
    @DisplayName("tracking a code bought elsewhere starts a tracker and keeps it")
    void trackElsewhere() {
        var response = api.post("/trackers", new JsonObject().put("tracking_code", "EZ1000000001").put("carrier", "USPS"));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        assertThat(response.bodyAsJsonObject().getString("easypost_id")).startsWith("trk_");
        assertThat(response.bodyAsJsonObject().getJsonArray("tracking_details")).isNotEmpty();
        assertThat(TestDatabase.count("SELECT count(*) FROM trackers WHERE tracking_code = 'EZ1000000001'")).isEqualTo(1);
        assertThat(api.post("/trackers", new JsonObject().put("tracking_code", "EZ1000000001").put("carrier", "USPS")).statusCode())
                .isEqualTo(201);
        assertThat(TestDatabase.count("SELECT count(*) FROM trackers WHERE tracking_code = 'EZ1000000001'")).isEqualTo(1);
        assertThat(api.post("/trackers", new JsonObject().put("tracking_code", "has spaces")).statusCode()).isEqualTo(422);
    }

    @Test
    @DisplayName("address verification tells a deliverable address from one that is not")
    void verifyAddress() {
        var good = api.post("/addresses/verify", Fixtures.address("Ada", "417 Montgomery St", "San Francisco", "CA", "94104"));
        assertThat(good.statusCode()).as(good.bodyAsString()).isEqualTo(200);
        assertThat(good.bodyAsJsonObject().getBoolean("deliverable")).isTrue();
        var bad = api.post("/addresses/verify", Fixtures.address("Nobody", "000 unknown street", "Not A City", "ZZ", "00001"));
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.bodyAsJsonObject().getBoolean("deliverable")).isFalse();
        assertThat(bad.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("E.ADDRESS.NOT_FOUND");
        Fixtures.assertField(api.post("/addresses/verify", new JsonObject().put("city", "X")), 422, "street1");
    }
}
