package dev.shipgate;

import static dev.shipgate.Fixtures.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("End of day: scan forms and pickups through EasyPost")
class EndOfDayIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    /** A shipment from a warehouse at {@code street}, bought from {@code carrier} at its cheapest rate. */
    static JsonObject bought(String street, String carrier) {
        JsonObject body = Fixtures.newShipment("EOD-" + UUID.randomUUID().toString().substring(0, 8));
        body.getJsonObject("from_address").put("street1", street);
        HttpResponse<Buffer> created = api.post("/shipments", body);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String id = created.bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> buy = api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest")
                .put("carriers", new JsonArray().add(carrier)));
        assertThat(buy.statusCode()).as(buy.bodyAsString()).isEqualTo(200);
        return buy.bodyAsJsonObject();
    }

    static String street() {
        return UUID.randomUUID().toString().substring(0, 6) + " Dusk Ave";
    }

    static List<String> shipmentIds(JsonObject form) {
        return form.getJsonArray("shipments").stream().map(s -> ((JsonObject) s).getString("id")).toList();
    }

    @Test
    @DisplayName("a scan form for a day holds exactly that day's bought shipments of the carrier and origin, and its form_url is a PDF")
    void formForADay() throws Exception {
        String street = street();
        JsonObject a = bought(street, "USPS");
        JsonObject b = bought(street, "USPS");
        JsonObject ups = bought(street, "UPS");
        JsonObject elsewhere = bought(street(), "USPS");
        JsonObject request = new JsonObject().put("date", LocalDate.now(ZoneOffset.UTC).toString()).put("carrier", "USPS")
                .put("from_address", Fixtures.address("Shipgate Warehouse", street, "Oakland", "CA", "94607"));

        HttpResponse<Buffer> made = api.post("/scan-forms", request, "eod-" + street);
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        JsonObject form = made.bodyAsJsonObject();
        assertThat(form.getString("status")).isEqualTo("created");
        assertThat(form.getString("easypost_id")).startsWith("sf_");
        assertThat(shipmentIds(form)).containsExactlyInAnyOrder(a.getString("id"), b.getString("id"));
        assertThat(shipmentIds(form)).doesNotContain(ups.getString("id"), elsewhere.getString("id"));

        JsonObject read = api.get("/scan-forms/" + form.getString("id")).bodyAsJsonObject();
        assertThat(read.getString("form_url")).isEqualTo(form.getString("form_url"));
        assertThat(shipmentIds(read)).hasSize(2);
        HttpResponse<Buffer> replay = api.post("/scan-forms", request, "eod-" + street);
        assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.bodyAsJsonObject().getString("id")).isEqualTo(form.getString("id"));
        JsonArray listed = api.get("/scan-forms?limit=200").bodyAsJsonObject().getJsonArray("scan_forms");
        assertThat(listed.stream().map(f -> ((JsonObject) f).getString("id"))).contains(form.getString("id"));

        assertThat(form.getString("form_url")).as("served by the service itself, over plain HTTP")
                .startsWith("http://127.0.0.1:" + TestApp.shared().config().httpPort() + "/sim-files/");
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(form.getString("form_url")).toURL().openConnection();
        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThat(connection.getContentType()).isEqualTo("application/pdf");
        byte[] pdf;
        try (InputStream in = connection.getInputStream()) {
            pdf = in.readAllBytes();
        }
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
        }

        HttpResponse<Buffer> again = api.post("/scan-forms", request);
        assertField(again, 422, "date");
    }

    @Test
    @DisplayName("a scan form naming a shipment already on another form is a 409 naming that shipment, and nothing is stored or sent")
    void alreadyOnAForm() {
        String street = street();
        JsonObject first = bought(street, "USPS");
        JsonObject second = bought(street, "USPS");
        HttpResponse<Buffer> made = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(first.getString("id"))));
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        long forms = TestDatabase.count("SELECT count(*) FROM scan_forms");
        int calls = simulator.requests();

        HttpResponse<Buffer> refused = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(second.getString("id")).add(first.getString("id"))));
        assertField(refused, 409, "shipment_ids[1]");
        assertThat(refused.bodyAsJsonObject().getString("shipment_id")).isEqualTo(first.getString("id"));
        assertThat(refused.bodyAsJsonObject().getString("scan_form_id")).isEqualTo(made.bodyAsJsonObject().getString("id"));
        assertThat(simulator.requests()).isEqualTo(calls);
        assertThat(TestDatabase.count("SELECT count(*) FROM scan_forms")).isEqualTo(forms);
        assertThat(TestDatabase.count("SELECT count(*) FROM scan_form_shipments WHERE shipment_id = '"
                + second.getString("id") + "'")).isZero();
    }

    @Test
    @DisplayName("a shipment EasyPost refuses (on a form made elsewhere) is named in the 422 and its reservation is released")
    void refusedByEasyPost() {
        JsonObject shipment = bought(street(), "USPS");
        HttpResponse<Buffer> made = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(shipment.getString("id"))));
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        TestDatabase.execute("DELETE FROM scan_forms WHERE id = '" + made.bodyAsJsonObject().getString("id") + "'");

        HttpResponse<Buffer> refused = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(shipment.getString("id"))));
        assertField(refused, 422, "shipment_ids[0]");
        assertThat(refused.bodyAsJsonObject().getString("shipment_id")).isEqualTo(shipment.getString("id"));
        assertThat(refused.bodyAsJsonObject().getJsonObject("easypost").getString("message")).contains(shipment.getString("easypost_id"));
        assertThat(TestDatabase.count("SELECT count(*) FROM scan_form_shipments WHERE shipment_id = '"
                + shipment.getString("id") + "'")).isZero();
    }

    @Test
    @DisplayName("concurrent scan forms over overlapping shipments put each shipment on exactly one form")
    void concurrentForms() throws Exception {
        String street = street();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(bought(street, "USPS").getString("id"));
        }
        List<List<String>> sets = List.of(ids.subList(0, 3), ids.subList(1, 4), ids.subList(2, 5), ids.subList(0, 5),
                List.of(ids.get(4), ids.get(0)), ids.subList(3, 5));
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (List<String> set : sets) {
            sent.add(api.client().post("/scan-forms").bearerTokenAuthentication(TestApp.TOKEN)
                    .sendJsonObject(new JsonObject().put("shipment_ids", new JsonArray(new ArrayList<>(set)))));
        }
        Set<String> manifested = new HashSet<>();
        int ok = 0;
        for (Future<HttpResponse<Buffer>> f : sent) {
            HttpResponse<Buffer> response = f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 201) {
                ok++;
                for (String id : shipmentIds(response.bodyAsJsonObject())) {
                    assertThat(manifested.add(id)).as("shipment %s on two forms", id).isTrue();
                }
            } else {
                assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
                assertThat(response.bodyAsJsonObject().getString("shipment_id")).isIn(ids);
            }
        }
        assertThat(ok).isGreaterThanOrEqualTo(1);
        String list = String.join("','", ids);
        assertThat(TestDatabase.count("SELECT count(*) FROM scan_form_shipments WHERE shipment_id IN ('" + list + "')"))
                .isEqualTo(manifested.size());
        assertThat(TestDatabase.count("SELECT count(*) FROM scan_forms WHERE status <> 'created'")).isZero();
    }

    static JsonObject pickupRequest(String shipmentId, OffsetDateTime min, OffsetDateTime max) {
        return new JsonObject()
                .put("address", Fixtures.address("Shipgate Warehouse", "1 Dock Rd", "Oakland", "CA", "94607"))
                .put("min_datetime", min.toString()).put("max_datetime", max.toString())
                .put("instructions", "Ring at the loading dock").put("shipment_id", shipmentId);
    }

    static OffsetDateTime tomorrowAt(int hour) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(hour, 0).atOffset(ZoneOffset.UTC);
    }

    @Test
    @DisplayName("a pickup is stored with its rates, bought once even when the buy is sent twice at once, and cancelled")
    void pickupBoughtAndCancelled() throws Exception {
        JsonObject shipment = bought(street(), "USPS");
        HttpResponse<Buffer> created = api.post("/pickups", pickupRequest(shipment.getString("id"), tomorrowAt(9), tomorrowAt(17)));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject pickup = created.bodyAsJsonObject();
        assertThat(pickup.getString("status")).isEqualTo("unknown");
        assertThat(pickup.getString("easypost_id")).startsWith("pickup_");
        assertThat(OffsetDateTime.parse(pickup.getString("min_datetime"))).isEqualTo(tomorrowAt(9));
        JsonObject rate = pickup.getJsonArray("rates").getJsonObject(0);
        assertThat(rate.getString("carrier")).isEqualTo("USPS");
        assertThat(pickup.getJsonArray("shipment_ids").getString(0)).isEqualTo(shipment.getString("id"));

        String id = pickup.getString("id");
        JsonObject choice = new JsonObject().put("carrier", rate.getString("carrier")).put("service", rate.getString("service"));
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sent.add(api.client().post("/pickups/" + id + "/buy").bearerTokenAuthentication(TestApp.TOKEN).sendJsonObject(choice));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<Buffer>> f : sent) {
            statuses.add(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(simulator.pickupPurchases(pickup.getString("easypost_id"))).isEqualTo(1);
        JsonObject scheduled = api.get("/pickups/" + id).bodyAsJsonObject();
        assertThat(scheduled.getString("status")).isEqualTo("scheduled");
        assertThat(scheduled.getString("confirmation")).startsWith("WTC");
        assertThat(scheduled.getString("service")).isEqualTo(rate.getString("service"));
        assertThat(api.post("/pickups/" + id + "/buy", choice).statusCode()).isEqualTo(409);
        assertThat(simulator.pickupPurchases(pickup.getString("easypost_id"))).isEqualTo(1);

        HttpResponse<Buffer> canceled = api.post("/pickups/" + id + "/cancel", new JsonObject(), "cancel-" + id);
        assertThat(canceled.statusCode()).as(canceled.bodyAsString()).isEqualTo(200);
        assertThat(canceled.bodyAsJsonObject().getString("status")).isEqualTo("canceled");
        JsonArray listed = api.get("/pickups?limit=200").bodyAsJsonObject().getJsonArray("pickups");
        assertThat(listed.stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(id))
                .map(p -> p.getString("status"))).containsExactly("canceled");
    }

    @Test
    @DisplayName("a pickup window in the past, reversed or too long, or for an unknown or unbought shipment, is a 422 naming the field before EasyPost is asked")
    void pickupRefusedUpFront() {
        JsonObject shipment = bought(street(), "USPS");
        String id = shipment.getString("id");
        long pickups = TestDatabase.count("SELECT count(*) FROM pickups");
        int calls = simulator.requests();
        OffsetDateTime yesterday = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);
        assertField(api.post("/pickups", pickupRequest(id, yesterday, yesterday.plusHours(4))), 422, "min_datetime");
        assertField(api.post("/pickups", pickupRequest(id, tomorrowAt(17), tomorrowAt(9))), 422, "max_datetime");
        assertField(api.post("/pickups", pickupRequest(id, tomorrowAt(9), tomorrowAt(9).plusDays(30))), 422, "max_datetime");
        assertField(api.post("/pickups", pickupRequest(UUID.randomUUID().toString(), tomorrowAt(9), tomorrowAt(17))), 422,
                "shipment_id");
        String unbought = Fixtures.created(api, "EOD-UNBOUGHT").getString("id");
        int afterCreate = simulator.requests();
        assertField(api.post("/pickups", pickupRequest(unbought, tomorrowAt(9), tomorrowAt(17))), 422, "shipment_id");
        assertField(api.post("/pickups", pickupRequest(id, tomorrowAt(9), tomorrowAt(17)).put("min_datetime", "tomorrow")),
                400, "min_datetime");
        assertThat(simulator.requests()).isEqualTo(afterCreate);
        assertThat(afterCreate - calls).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM pickups")).isEqualTo(pickups);
    }
    @Test
    @DisplayName("a scan form whose answer EasyPost lost is read back and recorded, not left holding its shipments")
    void lostScanFormAnswer() {
        JsonObject shipment = bought(street(), "USPS");
        simulator.script(EasyPostSimulator.APPLY_THEN_FAIL);
        HttpResponse<Buffer> made = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(shipment.getString("id"))));
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        assertThat(made.bodyAsJsonObject().getString("status")).isEqualTo("created");
        assertThat(made.bodyAsJsonObject().getString("easypost_id")).startsWith("sf_");
        assertThat(shipmentIds(made.bodyAsJsonObject())).containsExactly(shipment.getString("id"));
    }

    @Test
    @DisplayName("a pickup purchase whose answer EasyPost lost is read back: scheduled, bought once")
    void lostPickupAnswer() {
        JsonObject shipment = bought(street(), "USPS");
        JsonObject pickup = api.post("/pickups", pickupRequest(shipment.getString("id"), tomorrowAt(10), tomorrowAt(12)))
                .bodyAsJsonObject();
        JsonObject rate = pickup.getJsonArray("rates").getJsonObject(0);
        simulator.script(EasyPostSimulator.APPLY_THEN_FAIL);
        HttpResponse<Buffer> bought = api.post("/pickups/" + pickup.getString("id") + "/buy",
                new JsonObject().put("carrier", rate.getString("carrier")).put("service", rate.getString("service")));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("status")).isEqualTo("scheduled");
        assertThat(simulator.pickupPurchases(pickup.getString("easypost_id"))).isEqualTo(1);
    }
    @Test
    @DisplayName("a form left unverified is settled before the next form: recorded when EasyPost made it, released when it did not")
    void unverifiedFormsSettled() {
        JsonObject onEasyPost = bought(street(), "USPS");
        JsonObject made = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(onEasyPost.getString("id")))).bodyAsJsonObject();
        TestDatabase.execute("UPDATE scan_forms SET status = 'unverified', easypost_id = NULL WHERE id = '" + made.getString("id") + "'");
        JsonObject notOnEasyPost = bought(street(), "USPS");
        UUID left = UUID.randomUUID();
        TestDatabase.execute("INSERT INTO scan_forms (id, status, carrier) VALUES ('" + left + "', 'unverified', 'USPS')");
        TestDatabase.execute("INSERT INTO scan_form_shipments (shipment_id, scan_form_id) VALUES ('"
                + notOnEasyPost.getString("id") + "', '" + left + "')");

        HttpResponse<Buffer> again = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(onEasyPost.getString("id"))));
        assertField(again, 409, "shipment_ids[0]");
        JsonObject settled = api.get("/scan-forms/" + made.getString("id")).bodyAsJsonObject();
        assertThat(settled.getString("status")).isEqualTo("created");
        assertThat(settled.getString("easypost_id")).isEqualTo(made.getString("easypost_id"));
        assertThat(api.get("/scan-forms/" + left).statusCode()).isEqualTo(404);
        HttpResponse<Buffer> released = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(notOnEasyPost.getString("id"))));
        assertThat(released.statusCode()).as(released.bodyAsString()).isEqualTo(201);
    }

    @Test
    @DisplayName("a form left unverified is found when 250 newer forms sit before it at EasyPost: the read-back pages with before_id")
    void readBackPagesThroughOlderForms() {
        JsonObject shipment = bought(street(), "USPS");
        JsonObject made = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(shipment.getString("id")))).bodyAsJsonObject();
        assertThat(made.getString("easypost_id")).startsWith("sf_");
        TestDatabase.execute("UPDATE scan_forms SET status = 'unverified', easypost_id = NULL WHERE id = '" + made.getString("id") + "'");
        simulator.scanFormsMadeElsewhere(250);

        HttpResponse<Buffer> again = api.post("/scan-forms", new JsonObject().put("shipment_ids",
                new JsonArray().add(shipment.getString("id"))));
        assertField(again, 409, "shipment_ids[0]");
        JsonObject settled = api.get("/scan-forms/" + made.getString("id")).bodyAsJsonObject();
        assertThat(settled.getString("status")).isEqualTo("created");
        assertThat(settled.getString("easypost_id")).isEqualTo(made.getString("easypost_id"));
    }

    @Test
    @DisplayName("a pickup for several shipments is asked of EasyPost with an existing batch of them; an inline list of shipments is refused as EasyPost refuses it")
    void pickupForSeveralShipmentsGoesThroughABatch() throws Exception {
        String street = street();
        JsonObject first = bought(street, "USPS");
        JsonObject second = bought(street, "USPS");
        JsonObject request = pickupRequest(first.getString("id"), tomorrowAt(10), tomorrowAt(12));
        request.remove("shipment_id");
        request.put("shipment_ids", new JsonArray().add(first.getString("id")).add(second.getString("id")));
        HttpResponse<Buffer> made = api.post("/pickups", request);
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        assertThat(made.bodyAsJsonObject().getJsonArray("shipment_ids"))
                .containsExactlyInAnyOrder(first.getString("id"), second.getString("id"));
        assertThat(made.bodyAsJsonObject().getJsonArray("rates")).isNotEmpty();

        var gateway = TestApp.shared().gateway();
        java.util.Map<String, Object> inline = new java.util.HashMap<>();
        inline.put("address", java.util.Map.of("street1", "1 Dock Rd", "city", "Oakland", "zip", "94607"));
        inline.put("min_datetime", tomorrowAt(10).toString());
        inline.put("max_datetime", tomorrowAt(12).toString());
        inline.put("batch", java.util.Map.of("shipments", List.of(java.util.Map.of("id", first.getString("easypost_id")))));
        Throwable refused = gateway.call("create pickup", dev.shipgate.easypost.EasyPostGateway.Repeat.ONCE,
                        c -> c.pickup.create(inline))
                .transform(ar -> Future.succeededFuture(ar.cause())).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(refused).as("EasyPost takes a pickup's batch by id only").isInstanceOf(dev.shipgate.http.ProblemException.class);
        dev.shipgate.http.Problem problem = ((dev.shipgate.http.ProblemException) refused).problem();
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.toJson().encode()).contains("\"field\":\"batch\"");
    }

    @Test
    @DisplayName("10 identical cancels of a scheduled pickup at once make one cancel call at EasyPost; each answer is the canceled pickup or 409 cancel-in-progress")
    void concurrentPickupCancelsCallEasyPostOnce() {
        JsonObject shipment = bought(street(), "USPS");
        JsonObject pickup = api.post("/pickups", pickupRequest(shipment.getString("id"), tomorrowAt(10), tomorrowAt(14))).bodyAsJsonObject();
        String id = pickup.getString("id");
        JsonObject rate = pickup.getJsonArray("rates").getJsonObject(0);
        HttpResponse<Buffer> buy = api.post("/pickups/" + id + "/buy",
                new JsonObject().put("carrier", rate.getString("carrier")).put("service", rate.getString("service")));
        assertThat(buy.statusCode()).as(buy.bodyAsString()).isEqualTo(200);
        simulator.knobs(new dev.shipgate.config.EasyPostConfig.Simulator(400, 0, 0, 0));
        List<HttpResponse<Buffer>> answers;
        try {
            List<java.util.concurrent.CompletableFuture<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(api.client().post("/pickups/" + id + "/cancel").bearerTokenAuthentication(TestApp.TOKEN)
                        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}"))
                        .toCompletionStage().toCompletableFuture());
            }
            answers = sent.stream().map(f -> f.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        } finally {
            simulator.knobs(new dev.shipgate.config.EasyPostConfig.Simulator(0, 0, 0, 0));
        }
        assertThat(simulator.pickupCancelCalls(pickup.getString("easypost_id"))).as("cancel calls at EasyPost").isEqualTo(1);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.bodyAsString()).isIn(200, 409);
            if (a.statusCode() == 200) {
                assertThat(a.bodyAsJsonObject().getString("status")).isEqualTo("canceled");
            } else {
                assertThat(a.bodyAsJsonObject().getString("type")).endsWith("/cancel-in-progress");
                assertThat(a.bodyAsJsonObject().getString("pickup_id")).isEqualTo(id);
            }
        });
        assertThat(api.get("/pickups/" + id).bodyAsJsonObject().getString("status")).isEqualTo("canceled");
    }

    @Test
    @DisplayName("cancelling a pickup EasyPost does not know (404) settles it as gone with a 409 unknown-at-easypost, not a 502; it is not offered again")
    void pickupUnknownAtEasyPost() {
        JsonObject shipment = bought(street(), "USPS");
        JsonObject pickup = api.post("/pickups", pickupRequest(shipment.getString("id"), tomorrowAt(10), tomorrowAt(14))).bodyAsJsonObject();
        String id = pickup.getString("id");
        simulator.forgetPickup(pickup.getString("easypost_id"));
        HttpResponse<Buffer> cancel = api.post("/pickups/" + id + "/cancel", new JsonObject());
        assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(409);
        assertThat(cancel.bodyAsJsonObject().getString("type")).endsWith("/unknown-at-easypost");
        assertThat(cancel.bodyAsJsonObject().getString("pickup_id")).isEqualTo(id);
        assertThat(api.get("/pickups/" + id).bodyAsJsonObject().getString("status")).isEqualTo("gone");
        int calls = simulator.requests();
        HttpResponse<Buffer> again = api.post("/pickups/" + id + "/cancel", new JsonObject());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("gone");
        JsonObject rate = pickup.getJsonArray("rates").getJsonObject(0);
        HttpResponse<Buffer> buy = api.post("/pickups/" + id + "/buy",
                new JsonObject().put("carrier", rate.getString("carrier")).put("service", rate.getString("service")));
        assertThat(buy.statusCode()).isEqualTo(409);
        assertThat(simulator.requests()).as("nothing asked of EasyPost for a gone pickup").isEqualTo(calls);
    }

    @Test
    @DisplayName("a refunded label is refused with 409 label-refunded naming it by pickups, scan forms, label batches, insure and returns")
    void refundedLabelRefusedEverywhere() {
        JsonObject good = bought(street(), "USPS");
        JsonObject refunded = bought(street(), "USPS");
        String id = refunded.getString("id");
        HttpResponse<Buffer> refund = api.post("/shipments/" + id + "/refund", new JsonObject());
        assertThat(refund.statusCode()).as(refund.bodyAsString()).isEqualTo(200);
        assertThat(refund.bodyAsJsonObject().getString("refund_status")).isIn("submitted", "refunded");
        int calls = simulator.requests();
        long pickups = TestDatabase.count("SELECT count(*) FROM pickups");

        List<HttpResponse<Buffer>> answers = List.of(
                api.post("/shipments/" + id + "/insure", new JsonObject().put("amount", "10.00")),
                api.post("/shipments/" + id + "/return", new JsonObject()),
                api.post("/label-batches", new JsonObject().put("shipment_ids", new JsonArray().add(good.getString("id")).add(id))),
                api.post("/pickups", pickupRequest(id, tomorrowAt(10), tomorrowAt(14))),
                api.post("/scan-forms", new JsonObject().put("shipment_ids", new JsonArray().add(good.getString("id")).add(id))));
        List<String> fields = List.of("id", "id", "shipment_ids[1]", "shipment_id", "shipment_ids[1]");
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<Buffer> answer = answers.get(i);
            assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(409);
            assertThat(answer.bodyAsJsonObject().getString("type")).endsWith("/label-refunded");
            assertThat(answer.bodyAsJsonObject().getJsonArray("shipment_ids").getList()).containsExactly(id);
            assertField(answer, 409, fields.get(i));
        }
        assertThat(simulator.requests()).as("nothing sent to EasyPost").isEqualTo(calls);
        assertThat(TestDatabase.count("SELECT count(*) FROM pickups")).isEqualTo(pickups);
    }

    @Test
    @DisplayName("a pickup of several bad shipments names every one; a wrong carrier names carrier, a wrong service names service")
    void pickupNamesEveryBadShipment() throws Exception {
        JsonObject created = api.post("/shipments", Fixtures.newShipment("EOD-UNBOUGHT")).bodyAsJsonObject();
        JsonObject request = pickupRequest(created.getString("id"), tomorrowAt(10), tomorrowAt(14));
        request.remove("shipment_id");
        request.put("shipment_ids", new JsonArray().add(created.getString("id")).add(UUID.randomUUID().toString()));
        HttpResponse<Buffer> refused = api.post("/pickups", request);
        assertField(refused, 422, "shipment_ids[0]");
        assertField(refused, 422, "shipment_ids[1]");

        JsonObject shipment = bought(street(), "USPS");
        JsonObject pickup = api.post("/pickups", pickupRequest(shipment.getString("id"), tomorrowAt(10), tomorrowAt(14))).bodyAsJsonObject();
        String uri = "/pickups/" + pickup.getString("id") + "/buy";
        assertField(api.post(uri, new JsonObject().put("carrier", "UPS").put("service", "NextDay")), 422, "carrier");
        assertField(api.post(uri, new JsonObject().put("carrier", "USPS").put("service", "Teleport")), 422, "service");
    }

    @Test
    @DisplayName("a scan form's carrier matches in any case; an unconnected one is refused naming the connected carriers")
    void scanFormCarrierAnyCase() {
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        HttpResponse<Buffer> unknown = api.post("/scan-forms", new JsonObject().put("date", day).put("carrier", "Pigeon"));
        assertField(unknown, 422, "carrier");
        assertThat(unknown.bodyAsJsonObject().getString("type")).endsWith("/carrier-not-connected");
        assertThat(unknown.bodyAsJsonObject().getJsonArray("connected_carriers").getList()).contains("USPS");
        String street = street();
        JsonObject shipment = bought(street, "USPS");
        HttpResponse<Buffer> form = api.post("/scan-forms", new JsonObject().put("date", day).put("carrier", "usps")
                .put("from_address", Fixtures.address("Shipgate Warehouse", street, "Oakland", "CA", "94607")));
        assertThat(form.statusCode()).as(form.bodyAsString()).isEqualTo(201);
        assertThat(form.bodyAsJsonObject().getString("carrier")).isEqualTo("USPS");
        assertThat(shipmentIds(form.bodyAsJsonObject())).containsExactly(shipment.getString("id"));
    }
}
