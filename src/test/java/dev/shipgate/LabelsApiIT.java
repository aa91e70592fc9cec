package dev.shipgate;

import static dev.shipgate.Fixtures.assertField;
import static dev.shipgate.Fixtures.created;
import static dev.shipgate.Fixtures.newShipment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Creating shipments and buying labels through EasyPost")
class LabelsApiIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    @Test
    @DisplayName("creating a shipment stores it with both addresses, the parcel and every rate, cheapest first")
    void create() {
        JsonObject shipment = created(api, "ORDER-CREATE");
        assertThat(shipment.getString("easypost_id")).startsWith("shp_");
        assertThat(shipment.getString("status")).isEqualTo("unknown");
        JsonArray rates = shipment.getJsonArray("rates");
        assertThat(rates).hasSize(8);
        assertThat(new BigDecimal(rates.getJsonObject(0).getString("rate")))
                .isLessThanOrEqualTo(new BigDecimal(rates.getJsonObject(1).getString("rate")));
        JsonObject stored = api.get("/shipments/" + shipment.getString("id")).bodyAsJsonObject();
        assertThat(stored.getJsonObject("to_address").getString("name")).isEqualTo("Ada Lovelace");
        assertThat(stored.getJsonObject("to_address").getString("easypost_id")).startsWith("adr_");
        assertThat(stored.getJsonObject("parcel").getString("weight")).isEqualTo("15.4");
        assertThat(stored.getJsonArray("rates")).hasSize(8);
        assertThat(stored.getString("reference")).isEqualTo("ORDER-CREATE");
    }

    @Test
    @DisplayName("invalid shipments are refused before EasyPost is called, naming each field")
    void invalidCreate() {
        int before = simulator.requests();
        JsonObject noAddress = newShipment("X");
        noAddress.remove("to_address");
        assertField(api.post("/shipments", noAddress), 422, "to_address");
        JsonObject badCountry = newShipment("X");
        badCountry.getJsonObject("from_address").put("country", "USA");
        assertField(api.post("/shipments", badCountry), 422, "from_address.country");
        JsonObject heavy = newShipment("X");
        heavy.getJsonObject("parcel").put("weight", -3);
        assertField(api.post("/shipments", heavy), 422, "parcel.weight");
        JsonObject wrongType = newShipment("X");
        wrongType.put("parcel", "a box");
        assertField(api.post("/shipments", wrongType), 400, "parcel");
        assertThat(api.post("/shipments", "{not json").statusCode()).isEqualTo(400);
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("buying by rate id stores the label, tracking code and tracker; a second buy is 409 and nothing is bought twice")
    void buyByRate() {
        JsonObject shipment = created(api, "ORDER-BUY");
        JsonObject rate = shipment.getJsonArray("rates").getJsonObject(2);
        String id = shipment.getString("id");
        var bought = api.post("/shipments/" + id + "/buy", new JsonObject().put("rate_id", rate.getString("easypost_id")));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        JsonObject body = bought.bodyAsJsonObject();
        assertThat(body.getString("tracking_code")).isNotBlank();
        assertThat(body.getString("label_url")).startsWith("http://127.0.0.1:" + TestApp.shared().config().httpPort() + "/sim-files/");
        assertThat(body.getString("carrier")).isEqualTo(rate.getString("carrier"));
        assertThat(body.getString("rate")).isEqualTo(rate.getString("rate"));
        var again = api.post("/shipments/" + id + "/buy", new JsonObject().put("rate_id", rate.getString("id")));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
        var tracked = api.post("/shipments/batch-track",
                new JsonObject().put("tracking_codes", new JsonArray().add(body.getString("tracking_code"))));
        assertThat(tracked.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("shipment_id")).isEqualTo(id);
    }

    @Test
    @DisplayName("buying by strategy picks the cheapest or the fastest among the allowed carriers")
    void buyByStrategy() {
        JsonObject cheap = created(api, "ORDER-CHEAP");
        var cheapest = api.post("/shipments/" + cheap.getString("id") + "/buy",
                new JsonObject().put("strategy", "cheapest").put("carriers", new JsonArray().add("ups")));
        assertThat(cheapest.statusCode()).isEqualTo(200);
        BigDecimal minUps = cheap.getJsonArray("rates").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("carrier").equals("UPS")).map(r -> new BigDecimal(r.getString("rate")))
                .min(BigDecimal::compareTo).orElseThrow();
        assertThat(cheapest.bodyAsJsonObject().getString("carrier")).isEqualTo("UPS");
        assertThat(new BigDecimal(cheapest.bodyAsJsonObject().getString("rate"))).isEqualByComparingTo(minUps);

        JsonObject fast = created(api, "ORDER-FAST");
        var fastest = api.post("/shipments/" + fast.getString("id") + "/buy", new JsonObject().put("strategy", "FASTEST"));
        JsonObject paid = fastest.bodyAsJsonObject();
        int fastestDays = fast.getJsonArray("rates").stream().map(JsonObject.class::cast)
                .mapToInt(r -> r.getInteger("delivery_days")).min().orElseThrow();
        assertThat(paid.getJsonArray("rates").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("rate").equals(paid.getString("rate")) && r.getString("service").equals(paid.getString("service")))
                .findFirst().orElseThrow().getInteger("delivery_days")).isEqualTo(fastestDays);
    }

    @Test
    @DisplayName("bad buy requests are refused without spending")
    void invalidBuy() {
        JsonObject shipment = created(api, "ORDER-BAD-BUY");
        String uri = "/shipments/" + shipment.getString("id") + "/buy";
        // the rule "exactly one of rate_id or strategy" names both real fields, never the validator's method
        assertField(api.post(uri, new JsonObject()), 422, "rate_id");
        assertField(api.post(uri, new JsonObject()), 422, "strategy");
        assertField(api.post(uri, new JsonObject().put("rate_id", "rate_x").put("strategy", "cheapest")), 422, "strategy");
        assertField(api.post(uri, new JsonObject().put("rate_id", "rate_nope")), 400, "rate_id");
        assertField(api.post(uri, new JsonObject().put("strategy", "slowest")), 400, "strategy");
        assertField(api.post(uri, new JsonObject().put("strategy", "cheapest").put("carriers", new JsonArray().add("Pigeon"))),
                422, "carriers");
        assertThat(api.post("/shipments/00000000-0000-4000-8000-000000000000/buy",
                new JsonObject().put("strategy", "cheapest")).statusCode()).isEqualTo(404);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isZero();
    }

    @Test
    @DisplayName("a purchase whose answer is lost is read back from EasyPost and recorded, not bought again")
    void lostAnswerIsReconciled() {
        JsonObject shipment = created(api, "ORDER-LOST");
        simulator.script(EasyPostSimulator.APPLY_THEN_FAIL);
        var bought = api.post("/shipments/" + shipment.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("tracking_code")).isNotBlank();
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("a purchase that fails with a 5xx before taking effect is checked, then bought once")
    void failedBeforeEffectIsBoughtOnce() {
        JsonObject shipment = created(api, "ORDER-5XX");
        simulator.script(500);
        var bought = api.post("/shipments/" + shipment.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("two concurrent purchases of one shipment buy one label: one succeeds, the other is refused")
    void concurrentBuys() {
        JsonObject shipment = created(api, "ORDER-RACE");
        String uri = "/shipments/" + shipment.getString("id") + "/buy";
        List<CompletableFuture<HttpResponse<Buffer>>> calls = List.of(1, 2, 3).stream()
                .map(i -> api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN)
                        .sendJsonObject(new JsonObject().put("strategy", "cheapest")).toCompletionStage().toCompletableFuture())
                .toList();
        List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).sorted().toList();
        assertThat(statuses).containsExactly(200, 409, 409);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("an Idempotency-Key replays the first answer, refuses another body and never creates twice")
    void idempotentCreate() {
        long before = TestDatabase.count("SELECT count(*) FROM shipments");
        Buffer body = newShipment("ORDER-IDEM").toBuffer();
        var first = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "create-once-1").putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        var second = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "create-once-1").putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments")).isEqualTo(before + 1);
        var other = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "create-once-1").putHeader("Content-Type", "application/json").sendBuffer(newShipment("OTHER").toBuffer())
                .toCompletionStage().toCompletableFuture().join();
        assertThat(other.statusCode()).isEqualTo(422);
    }

    @Test
    @DisplayName("a retry whose client serialised the same JSON again (a space, another member order, charset=utf-8) is replayed, not a 422")
    void idempotentRetryReserialised() {
        JsonObject shipment = created(api, "ORDER-RESERIALISED");
        String uri = "/shipments/" + shipment.getString("id") + "/buy";
        var first = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "reserialised-1").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"strategy\":\"cheapest\",\"label_format\":\"PDF\"}")).toCompletionStage().toCompletableFuture().join();
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
        var retry = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "reserialised-1").putHeader("Content-Type", "application/json; charset=UTF-8")
                .sendBuffer(Buffer.buffer("{ \"label_format\": \"PDF\",\n  \"strategy\": \"cheapest\" }")).toCompletionStage().toCompletableFuture().join();
        assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(200);
        assertThat(retry.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.bodyAsJsonObject().getString("tracking_code")).isEqualTo(first.bodyAsJsonObject().getString("tracking_code"));
        var other = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Idempotency-Key", "reserialised-1").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"strategy\":\"fastest\",\"label_format\":\"PDF\"}")).toCompletionStage().toCompletableFuture().join();
        assertThat(other.statusCode()).as("another strategy is another request").isEqualTo(422);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("the same Idempotency-Key sent again while the first request runs is a 409")
    void idempotencyKeyInFlight() {
        simulator.knobs(new dev.shipgate.config.EasyPostConfig.Simulator(600, 0, 0, 0));
        try {
            Buffer body = newShipment("ORDER-INFLIGHT").toBuffer();
            var first = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                    .putHeader("Idempotency-Key", "in-flight-1").putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture();
            Await.until("the first request to claim the key", Duration.ofSeconds(10), () -> TestDatabase.count(
                    "SELECT count(*) FROM idempotency_keys WHERE key = 'in-flight-1' AND status_code IS NULL") == 1);
            var second = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                    .putHeader("Idempotency-Key", "in-flight-1").putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture().join();
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.getHeader("Retry-After")).as("seconds until a retry may find the answer").isEqualTo("1");
            assertThat(first.join().statusCode()).isEqualTo(201);
        } finally {
            simulator.knobs(new dev.shipgate.config.EasyPostConfig.Simulator(0, 0, 0, 0));
        }
    }

    @Test
    @DisplayName("a buy retried with the same Idempotency-Key gets the same label, not a 409")
    void idempotentBuy() {
        JsonObject shipment = created(api, "ORDER-IDEM-BUY");
        String uri = "/shipments/" + shipment.getString("id") + "/buy";
        Buffer body = new JsonObject().put("strategy", "cheapest").toBuffer();
        var first = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN).putHeader("Idempotency-Key", "buy-1")
                .putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        var retry = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN).putHeader("Idempotency-Key", "buy-1")
                .putHeader("Content-Type", "application/json").sendBuffer(body).toCompletionStage().toCompletableFuture().join();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.bodyAsJsonObject().getString("tracking_code")).isEqualTo(first.bodyAsJsonObject().getString("tracking_code"));
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("a refund is requested at EasyPost once and its status stored")
    void refund() {
        JsonObject shipment = created(api, "ORDER-REFUND");
        String id = shipment.getString("id");
        assertThat(api.post("/shipments/" + id + "/refund", new JsonObject()).statusCode()).as("no label yet").isEqualTo(409);
        api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest"));
        var refunded = api.post("/shipments/" + id + "/refund", new JsonObject());
        assertThat(refunded.statusCode()).isEqualTo(200);
        assertThat(refunded.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
        assertThat(api.send(HttpMethod.POST, "/shipments/" + id + "/refund", null).bodyAsJsonObject()
                .getString("refund_status")).isEqualTo("submitted");
    }

    @Test
    @DisplayName("a label the carrier has scanned is not refunded: 409 label-scanned naming the status, EasyPost not asked")
    void refundAfterScanRefused() {
        for (String status : List.of("in_transit", "out_for_delivery", "delivered")) {
            JsonObject shipment = created(api, "ORDER-SCANNED-" + status);
            String id = shipment.getString("id");
            assertThat(api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest")).statusCode()).isEqualTo(200);
            TestDatabase.execute("UPDATE shipments SET status = '" + status + "' WHERE id = '" + id + "'");
            int calls = simulator.requests();
            HttpResponse<Buffer> refused = api.post("/shipments/" + id + "/refund", new JsonObject());
            assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
            assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/label-scanned");
            assertThat(refused.bodyAsJsonObject().getString("shipment_status")).isEqualTo(status);
            assertThat(refused.bodyAsJsonObject().getString("detail")).contains(status);
            assertThat(simulator.requests()).as("EasyPost not asked").isEqualTo(calls);
            assertThat(api.get("/shipments/" + id).bodyAsJsonObject().getString("refund_status")).isNull();
        }
        JsonObject preTransit = created(api, "ORDER-PRE-TRANSIT");
        String id = preTransit.getString("id");
        api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest"));
        TestDatabase.execute("UPDATE shipments SET status = 'pre_transit' WHERE id = '" + id + "'");
        assertThat(api.post("/shipments/" + id + "/refund", new JsonObject()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("buying by a service no connected carrier sells is a 422 naming services and the valid ones; nothing is bought")
    void buyUnknownServiceRefused() {
        JsonObject shipment = created(api, "ORDER-NO-SERVICE");
        String id = shipment.getString("id");
        HttpResponse<Buffer> refused = api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("services", new JsonArray().add("NoSuchService")));
        Fixtures.assertField(refused, 422, "services");
        assertThat(refused.bodyAsJsonObject().getJsonArray("valid_services").getList()).contains("GroundAdvantage");
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isZero();
        HttpResponse<Buffer> bought = api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("services", new JsonArray().add("groundadvantage")));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("service")).isEqualTo("GroundAdvantage");
    }

    @Test
    @DisplayName("money has two decimals in every answer (5.80, not 5.8), and a dry run's rate.id is Shipgate's rate id, buyable as rate_id")
    void moneyAndDryRunRateId() {
        JsonObject request = newShipment("MONEY-1");
        request.getJsonObject("parcel").put("weight", 15.875);
        HttpResponse<Buffer> made = api.post("/shipments", request);
        assertThat(made.statusCode()).isEqualTo(201);
        JsonObject shipment = made.bodyAsJsonObject();
        assertThat(shipment.getJsonArray("rates").stream().map(r -> ((JsonObject) r).getString("rate")))
                .as("rates in the creation answer").isNotEmpty().allMatch(r -> r.matches("[0-9]+\\.[0-9]{2}"));
        assertThat(shipment.getJsonArray("rates").stream().map(r -> ((JsonObject) r).getString("rate")))
                .as("the simulator's USPS ground rate for this parcel, written as the API writes it after buying").contains("5.80");
        String id = shipment.getString("id");

        JsonObject dry = api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest").put("dry_run", true))
                .bodyAsJsonObject();
        JsonObject rate = dry.getJsonObject("rate");
        JsonObject listed = shipment.getJsonArray("rates").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("id").equals(rate.getString("id"))).findFirst().orElseThrow();
        assertThat(rate.getString("easypost_id")).isEqualTo(listed.getString("easypost_id")).startsWith("rate_");
        assertThat(rate.getString("rate")).isEqualTo(listed.getString("rate"));

        HttpResponse<Buffer> bought = api.post("/shipments/" + id + "/buy", new JsonObject().put("rate_id", rate.getString("id")));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("rate")).isEqualTo(rate.getString("rate")).matches("[0-9]+\\.[0-9]{2}");
        assertThat(bought.bodyAsJsonObject().getString("service")).isEqualTo(rate.getString("service"));
    }
}
