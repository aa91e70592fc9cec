package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every EasyPost operation the service uses, run through a service whose simulator writes its answers
 * in an awkward way, and compared with the same operation on the run's shared service, whose simulator
 * writes plainly: the answers must be the same, with no 5xx, no label bought twice and no shipment
 * created at EasyPost without being stored. Subclasses choose the write pattern.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WireScenario {

    private static final Pattern EASYPOST_ID = Pattern.compile("\\b[a-z]{2,5}_[0-9a-f]{32}\\b");
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
    private static final Pattern TIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})$");
    private static final Pattern TRACKING = Pattern.compile("\\bEZ\\d{10,}\\b");
    /**
     * Where label files are served: by each service itself under /sim-files/ (each on a port of its own), or
     * by a simulator's own HTTPS port.
     */
    private static final Pattern SIMULATOR = Pattern.compile("https://localhost:\\d+/|http://127\\.0\\.0\\.1:\\d+/sim-files/");

    ShipgateApp app;
    DatabaseUrl database;
    EasyPostSimulator simulator;
    Api api;
    Api baseline;

    /** The simulator settings of the service under test. */
    abstract Map<String, String> writePattern();

    @BeforeAll
    void start() {
        database = TestDatabase.isolated("wire_" + getClass().getSimpleName().toLowerCase());
        Map<String, String> env = new HashMap<>(writePattern());
        env.put("DATABASE_URL", "postgresql://" + database.user() + ":" + database.password() + "@" + database.host()
                + ":" + database.port() + "/" + database.database());
        env.put("DATABASE_POOL_SIZE", "4");
        env.put("DATABASE_MAX_OVERFLOW", "2");
        env.put("DATABASE_RAW_POOL_SIZE", "6");
        app = TestApp.start(env);
        simulator = app.gateway().simulator().orElseThrow();
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
        baseline = new Api(TestApp.shared().config().httpPort(), TestApp.TOKEN);
    }

    @AfterAll
    void stop() {
        api.close();
        baseline.close();
        app.close();
    }

    /** A POST to both services: both must answer the expected status, and the same body up to ids and times. */
    JsonObject same(String uri, JsonObject body, int status) {
        HttpResponse<Buffer> plain = baseline.post(uri, body);
        HttpResponse<Buffer> awkward = api.post(uri, body);
        assertThat(plain.statusCode()).as("baseline " + uri + ": " + plain.bodyAsString()).isEqualTo(status);
        assertThat(awkward.statusCode()).as(uri + ": " + awkward.bodyAsString()).isEqualTo(status);
        assertThat(stable(awkward.bodyAsJsonObject())).isEqualTo(stable(plain.bodyAsJsonObject()));
        return awkward.bodyAsJsonObject();
    }

    /** The answer with what differs between two services by nature (ids, times, tracking codes) masked. */
    static Object stable(Object value) {
        if (value instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            o.forEach(e -> out.put(e.getKey(), stable(e.getValue())));
            return out;
        }
        if (value instanceof JsonArray a) {
            return new JsonArray(a.stream().map(WireScenario::stable).collect(Collectors.toList()));
        }
        if (value instanceof String s) {
            if (TIME.matcher(s).matches()) {
                return "<time>";
            }
            String masked = SIMULATOR.matcher(s).replaceAll("<simulator>/");
            masked = EASYPOST_ID.matcher(masked).replaceAll("<easypost-id>");
            masked = UUID.matcher(masked).replaceAll("<uuid>");
            return TRACKING.matcher(masked).replaceAll("<tracking-code>");
        }
        return value;
    }

    @Test
    @DisplayName("creating a shipment answers 201 with the same addresses, parcel and rates")
    void createShipment() {
        JsonObject shipment = same("/shipments", Fixtures.newShipment("WIRE-CREATE"), 201);
        assertThat(shipment.getJsonArray("rates")).hasSize(8);
        assertThat(simulator.shipmentIds()).contains(shipment.getString("easypost_id"));
    }

    @Test
    @DisplayName("buying by rate and by strategy answers 200 with the same label, each bought exactly once")
    void buy() {
        for (JsonObject buy : new JsonObject[] {new JsonObject().put("strategy", "cheapest"),
                new JsonObject().put("strategy", "fastest").put("carriers", new JsonArray().add("UPS"))}) {
            JsonObject plain = Fixtures.created(baseline, "WIRE-BUY");
            JsonObject awkward = Fixtures.created(api, "WIRE-BUY");
            HttpResponse<Buffer> plainBought = baseline.post("/shipments/" + plain.getString("id") + "/buy", buy);
            HttpResponse<Buffer> bought = api.post("/shipments/" + awkward.getString("id") + "/buy", buy);
            assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
            assertThat(stable(bought.bodyAsJsonObject())).isEqualTo(stable(plainBought.bodyAsJsonObject()));
            assertThat(bought.bodyAsJsonObject().getString("tracking_code")).isNotBlank();
            assertThat(simulator.purchases(awkward.getString("easypost_id"))).isEqualTo(1);
        }
        JsonObject byRate = Fixtures.created(api, "WIRE-BUY-RATE");
        String rateId = byRate.getJsonArray("rates").getJsonObject(3).getString("easypost_id");
        HttpResponse<Buffer> bought = api.post("/shipments/" + byRate.getString("id") + "/buy",
                new JsonObject().put("rate_id", rateId));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("rate"))
                .isEqualTo(byRate.getJsonArray("rates").getJsonObject(3).getString("rate"));
        assertThat(simulator.purchases(byRate.getString("easypost_id"))).isEqualTo(1);
    }

    @Test
    @DisplayName("a refund answers 200 with the same refund status")
    void refund() {
        JsonObject plain = Fixtures.created(baseline, "WIRE-REFUND");
        JsonObject awkward = Fixtures.created(api, "WIRE-REFUND");
        JsonObject cheapest = new JsonObject().put("strategy", "cheapest");
        assertThat(baseline.post("/shipments/" + plain.getString("id") + "/buy", cheapest).statusCode()).isEqualTo(200);
        assertThat(api.post("/shipments/" + awkward.getString("id") + "/buy", cheapest).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> plainRefund = baseline.post("/shipments/" + plain.getString("id") + "/refund", new JsonObject());
        HttpResponse<Buffer> refund = api.post("/shipments/" + awkward.getString("id") + "/refund", new JsonObject());
        assertThat(refund.statusCode()).as(refund.bodyAsString()).isEqualTo(200);
        assertThat(refund.bodyAsJsonObject().getString("refund_status")).isEqualTo("submitted");
        assertThat(stable(refund.bodyAsJsonObject())).isEqualTo(stable(plainRefund.bodyAsJsonObject()));
    }

    @Test
    @DisplayName("address verification gives the same verdict and findings for good and bad addresses")
    void verifyAddresses() {
        JsonObject good = same("/addresses/verify",
                Fixtures.address("Ada", "417 Montgomery St", "San Francisco", "CA", "94104"), 200);
        assertThat(good.getBoolean("deliverable")).isTrue();
        JsonObject bad = same("/addresses/verify",
                Fixtures.address("Nobody", "000 unknown street", "Not A City", "ZZ", "00001"), 200);
        assertThat(bad.getBoolean("deliverable")).isFalse();
        assertThat(bad.getJsonArray("errors")).isNotEmpty();
    }

    @Test
    @DisplayName("starting a tracker answers 201 with the same status and tracking details")
    void tracker() {
        String code = "EZ" + (4_000_000_000L + getClass().getSimpleName().length());
        JsonObject tracker = same("/trackers", new JsonObject().put("tracking_code", code).put("carrier", "USPS"), 201);
        assertThat(tracker.getString("easypost_id")).startsWith("trk_");
        assertThat(tracker.getJsonArray("tracking_details")).isNotEmpty();
    }

    @Test
    @DisplayName("a bulk job with buying completes every item, the same as without the write pattern, each label bought once")
    void bulkJob() throws Exception {
        JsonObject body = Fixtures.bulk(12, "cheapest");
        HttpResponse<Buffer> plainAccepted = baseline.post("/shipments/bulk-create", body);
        HttpResponse<Buffer> accepted = api.post("/shipments/bulk-create", body);
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject plainJob = Await.job(baseline, plainAccepted.bodyAsJsonObject().getString("id"),
                Duration.ofSeconds(60));
        JsonObject job = Await.job(api, accepted.bodyAsJsonObject().getString("id"), Duration.ofSeconds(60));
        assertThat(job.getJsonObject("job").getString("state")).isEqualTo("completed");
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).isEqualTo(12);
        assertThat(stable(job.getJsonArray("items"))).isEqualTo(stable(plainJob.getJsonArray("items")));
        for (Object o : job.getJsonArray("items")) {
            String shipment = ((JsonObject) o).getString("shipment_id");
            String easypostId = api.get("/shipments/" + shipment).bodyAsJsonObject().getString("easypost_id");
            assertThat(simulator.purchases(easypostId)).as(easypostId).isEqualTo(1);
        }
    }

    /** After every test, whatever it did: each shipment EasyPost created is stored, each label it sold recorded. */
    @AfterEach
    void nothingLeftBehind() {
        String ids = simulator.shipmentIds().stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE easypost_id IN ("
                + (ids.isEmpty() ? "NULL" : ids) + ")"))
                .as("shipments made at EasyPost and stored").isEqualTo(simulator.shipmentIds().size());
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE label_url IS NOT NULL"))
                .as("labels sold by EasyPost and recorded").isEqualTo(simulator.totalPurchases());
    }
}
