package dev.shipgate;

import static dev.shipgate.Fixtures.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A refund reaches EasyPost once however many identical requests arrive at once, because PostgreSQL decides
 * which one asks (migration V57's claim); a claim a crash left behind is taken over once the lease has passed.
 */
@DisplayName("Identical requests at once: one call at EasyPost")
class OnceAtEasyPostIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    private static JsonObject bought(String reference) {
        JsonObject shipment = created(api, reference);
        HttpResponse<Buffer> buy = api.post("/shipments/" + shipment.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(buy.statusCode()).as(buy.bodyAsString()).isEqualTo(200);
        return shipment;
    }

    private static HttpResponse<Buffer> refund(String id) {
        return api.post("/shipments/" + id + "/refund", new JsonObject());
    }

    @Test
    @DisplayName("10 identical refunds at once make one refund call at EasyPost; each answer is the refund status or 409 refund-in-progress, never a 500")
    void concurrentRefundsCallEasyPostOnce() {
        JsonObject shipment = bought("ORDER-REFUND-ONCE");
        String id = shipment.getString("id");
        String easypostId = shipment.getString("easypost_id");
        List<HttpResponse<Buffer>> answers = concurrently(10, "/shipments/" + id + "/refund", new JsonObject());
        assertThat(simulator.refundCalls(easypostId)).as("refund calls at EasyPost").isEqualTo(1);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.bodyAsString()).isIn(200, 409);
            if (a.statusCode() == 200) {
                assertThat(a.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
            } else {
                assertThat(a.bodyAsJsonObject().getString("type")).endsWith("/refund-in-progress");
                assertThat(a.bodyAsJsonObject().getString("shipment_id")).isEqualTo(id);
                assertThat(a.getHeader("Retry-After")).isEqualTo("2");
            }
        });
        assertThat(answers).filteredOn(a -> a.statusCode() == 200).isNotEmpty();
        HttpResponse<Buffer> again = refund(id);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
        assertThat(simulator.refundCalls(easypostId)).as("the stored status answers a later refund").isEqualTo(1);
    }

    @Test
    @DisplayName("10 identical insure requests at once make one insure call at EasyPost; the others answer 409 insurance-in-progress or already insured, never a 500")
    void concurrentInsuranceCallsEasyPostOnce() {
        JsonObject shipment = bought("ORDER-INSURE-ONCE");
        String id = shipment.getString("id");
        String easypostId = shipment.getString("easypost_id");
        List<HttpResponse<Buffer>> answers = concurrently(10, "/shipments/" + id + "/insure", new JsonObject().put("amount", "40.00"));
        assertThat(simulator.insureCalls(easypostId)).as("insure calls at EasyPost").isEqualTo(1);
        assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(1).allSatisfy(a ->
                assertThat(a.bodyAsJsonObject().getString("insured_amount")).isEqualTo("40.00"));
        assertThat(answers).filteredOn(a -> a.statusCode() != 200).hasSize(9).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.bodyAsString()).isEqualTo(409);
            assertThat(a.bodyAsJsonObject().getString("type")).matches(".*/(insurance-in-progress|conflict)");
        });
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE id = '" + id + "' AND insured_amount = 40.00")).isEqualTo(1);
    }

    @Test
    @DisplayName("10 identical return requests at once make one call at EasyPost, the creation; each answer is that return or 409 return-in-progress")
    void concurrentReturnsCreateOne() {
        JsonObject original = bought("ORDER-RETURN-ONCE");
        String id = original.getString("id");
        int before = simulator.shipmentCount();
        int calls = simulator.requests();
        List<HttpResponse<Buffer>> answers = concurrently(10, "/shipments/" + id + "/return", new JsonObject());
        assertThat(simulator.shipmentCount() - before).as("shipments created at EasyPost").isEqualTo(1);
        // without the claim the others, finding the creation open, each listed EasyPost's shipments to adopt it
        assertThat(simulator.requests() - calls).as("calls at EasyPost: the one creation").isEqualTo(1);
        String returnId = api.get("/shipments/" + id).bodyAsJsonObject().getString("return_shipment_id");
        assertThat(returnId).isNotNull();
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.bodyAsString()).isIn(201, 409);
            if (a.statusCode() == 201) {
                assertThat(a.bodyAsJsonObject().getString("id")).isEqualTo(returnId);
            } else {
                assertThat(a.bodyAsJsonObject().getString("type")).endsWith("/return-in-progress");
                assertThat(a.bodyAsJsonObject().getString("shipment_id")).isEqualTo(id);
            }
        });
        assertThat(answers).filteredOn(a -> a.statusCode() == 201).isNotEmpty();
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE return_of = '" + id + "'")).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE id = '" + id + "' AND return_started_at IS NULL"))
                .as("the claim is given back").isEqualTo(1);
        HttpResponse<Buffer> again = api.post("/shipments/" + id + "/return", new JsonObject());
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(returnId);
        assertThat(simulator.shipmentCount() - before).as("asking again creates nothing").isEqualTo(1);
    }

    /** {@code n} identical POSTs sent at once while EasyPost takes 400 ms to answer; their answers in sending order. */
    private static List<HttpResponse<Buffer>> concurrently(int n, String uri, JsonObject body) {
        simulator.knobs(new EasyPostConfig.Simulator(400, 0, 0, 0));
        try {
            List<CompletableFuture<HttpResponse<Buffer>>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN)
                        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
                        .toCompletionStage().toCompletableFuture());
            }
            return sent.stream().map(f -> f.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
        }
    }

    @Test
    @DisplayName("a live refund claim answers 409 refund-in-progress without asking EasyPost; one older than the lease is taken over and completes")
    void claimLeftByCrashIsTakenOver() {
        JsonObject shipment = bought("ORDER-REFUND-CLAIMED");
        String id = shipment.getString("id");
        String easypostId = shipment.getString("easypost_id");
        TestDatabase.execute("UPDATE shipments SET refund_started_at = now() WHERE id = '" + id + "'");
        HttpResponse<Buffer> held = refund(id);
        assertThat(held.statusCode()).as(held.bodyAsString()).isEqualTo(409);
        assertThat(held.bodyAsJsonObject().getString("type")).endsWith("/refund-in-progress");
        assertThat(held.bodyAsJsonObject().getString("shipment_id")).isEqualTo(id);
        assertThat(simulator.refundCalls(easypostId)).as("EasyPost not asked").isZero();

        TestDatabase.execute("UPDATE shipments SET refund_started_at = now() - interval '1 day' WHERE id = '" + id + "'");
        HttpResponse<Buffer> taken = refund(id);
        assertThat(taken.statusCode()).as(taken.bodyAsString()).isEqualTo(200);
        assertThat(taken.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
        assertThat(simulator.refundCalls(easypostId)).isEqualTo(1);
        assertThat(api.get("/shipments/" + id).bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
    }

    @Test
    @DisplayName("a crash after EasyPost refunded but before the status was stored: the stale claim is taken over, EasyPost asked again answers the same status")
    void crashAfterEasyPostRefundedIsSettled() {
        JsonObject shipment = bought("ORDER-REFUND-LOST");
        String id = shipment.getString("id");
        String easypostId = shipment.getString("easypost_id");
        assertThat(refund(id).statusCode()).isEqualTo(200);
        TestDatabase.execute("UPDATE shipments SET refund_status = NULL, refund_started_at = now() - interval '1 day' WHERE id = '" + id + "'");
        HttpResponse<Buffer> taken = refund(id);
        assertThat(taken.statusCode()).as(taken.bodyAsString()).isEqualTo(200);
        assertThat(taken.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
        assertThat(simulator.refundCalls(easypostId)).as("asked again after the crash, answered as before").isEqualTo(2);
    }

    @Test
    @DisplayName("a scanned label is refused by the claim itself (first_scan_at), before EasyPost is asked")
    void scannedLabelRefusedByTheClaim() {
        JsonObject shipment = bought("ORDER-REFUND-FIRST-SCAN");
        String id = shipment.getString("id");
        TestDatabase.execute("UPDATE shipments SET first_scan_at = '2026-01-02T03:04:05Z' WHERE id = '" + id + "'");
        HttpResponse<Buffer> refused = refund(id);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/label-scanned");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("2026-01-02T03:04:05Z");
        assertThat(simulator.refundCalls(shipment.getString("easypost_id"))).isZero();
    }
}
