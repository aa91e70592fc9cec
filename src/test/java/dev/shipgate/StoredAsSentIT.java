package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What PostgreSQL would refuse or round is refused before the first side effect (an EasyPost call or a
 * write), and what is stored is what EasyPost was sent.
 */
@DisplayName("Refused before EasyPost acts, stored as sent")
class StoredAsSentIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    /** A valid shipment with the parcel given as raw JSON, so numbers reach the service exactly as written. */
    static String shipment(String parcel, String reference) {
        JsonObject body = Fixtures.newShipment(reference);
        body.remove("parcel");
        String json = body.encode();
        return json.substring(0, json.length() - 1) + ", \"parcel\": " + parcel + "}";
    }

    static String csv(String... rows) {
        return "reference,to_name,to_street1,to_city,to_state,to_zip,from_name,from_street1,from_city,from_state,from_zip,"
                + "length,width,height,weight\n" + String.join("\n", rows);
    }

    static String csvRow(String reference, String toName, String weight) {
        return reference + "," + toName + ",417 Montgomery St,San Francisco,CA,94104,Warehouse,1 Dock Rd,Oakland,CA,94607,10,8,4,"
                + weight;
    }

    static HttpResponse<Buffer> uploadCsv(String csv) {
        return api.client().post("/shipments/bulk-create?buy=cheapest").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv").sendBuffer(Buffer.buffer(csv))
                .toCompletionStage().toCompletableFuture().join();
    }

    static String sql(String query) {
        var u = TestDatabase.url();
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0} oz")
    @ValueSource(strings = {"0.004", "1e-3", "1e-19"})
    @DisplayName("a weight the numeric column would round to zero is refused with 422 naming parcel.weight, and EasyPost is not called")
    void tinyWeightRefused(String weight) {
        int before = simulator.requests();
        Fixtures.assertField(api.post("/shipments", shipment("{\"weight\": " + weight + "}", "TINY")), 422, "parcel.weight");
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("15.875 oz and 10.125 x 8.5 x 4.001 in are sent to EasyPost, stored and read back digit for digit")
    void precisionRoundTrips() throws Exception {
        HttpResponse<Buffer> created = api.post("/shipments",
                shipment("{\"weight\": 15.875, \"length\": 10.125, \"width\": 8.50, \"height\": 4.001}", "PRECISE"));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject body = created.bodyAsJsonObject();
        String id = body.getString("id");

        JsonObject parcel = api.get("/shipments/" + id).bodyAsJsonObject().getJsonObject("parcel");
        assertThat(parcel.getString("weight")).isEqualTo("15.875");
        assertThat(parcel.getString("length")).isEqualTo("10.125");
        assertThat(parcel.getString("width")).isEqualTo("8.5");
        assertThat(parcel.getString("height")).isEqualTo("4.001");
        assertThat(body.getJsonObject("parcel")).isEqualTo(parcel);
        assertThat(sql("SELECT p.weight::text || ' ' || p.length || ' ' || p.width || ' ' || p.height FROM shipments s "
                + "JOIN parcels p ON p.id = s.parcel_id WHERE s.id = '" + id + "'")).isEqualTo("15.875 10.125 8.5 4.001");

        EasyPostGateway gateway = TestApp.shared().gateway();
        com.easypost.model.Shipment atEasyPost = gateway.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(body.getString("easypost_id"))).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(atEasyPost.getParcel().getWeight()).isEqualTo(15.875f);
        assertThat(atEasyPost.getParcel().getLength()).isEqualTo(10.125f);
        assertThat(atEasyPost.getParcel().getWidth()).isEqualTo(8.5f);
    }

    @Test
    @DisplayName("a NUL character in to_address.name or in reference is refused with 422 naming the field, and EasyPost is not called")
    void nulRefused() {
        int before = simulator.requests();
        JsonObject inName = Fixtures.newShipment("NUL-NAME");
        inName.getJsonObject("to_address").put("name", "Ada\u0000Lovelace");
        Fixtures.assertField(api.post("/shipments", inName), 422, "to_address.name");
        Fixtures.assertField(api.post("/shipments", Fixtures.newShipment("ORDER-\u0000")), 422, "reference");
        JsonObject inAddress = Fixtures.address("Ada", "417 Montgomery St\u0000", "San Francisco", "CA", "94104");
        Fixtures.assertField(api.post("/addresses/verify", inAddress), 422, "street1");
        Fixtures.assertField(api.post("/trackers", new JsonObject().put("tracking_code", "EZ1000000001")
                .put("carrier", "USPS\u0000")), 422, "carrier");
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("a ZIP code sent as a JSON number is refused with 400 naming to_address.zip, and EasyPost is not called")
    void zipAsNumberRefused() {
        int before = simulator.requests();
        JsonObject body = Fixtures.newShipment("ZIP-NUMBER");
        body.getJsonObject("to_address").put("zip", 2134);
        Fixtures.assertField(api.post("/shipments", body), 400, "to_address.zip");
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("a CSV upload with a 0.004 oz row or a NUL in a name is refused whole, naming row and field; nothing is created")
    void csvRefusedBeforeAnything() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        long shipments = TestDatabase.count("SELECT count(*) FROM shipments");
        int before = simulator.requests();
        Fixtures.assertField(uploadCsv(csv(csvRow("CSV-OK", "Ada", "16"), csvRow("CSV-TINY", "Grace", "0.004"))),
                422, "line 3: weight");
        HttpResponse<Buffer> nul = uploadCsv(csv(csvRow("CSV-NUL-END", "Ada\u0000", "16"),
                csvRow("CSV-NUL-MID", "Grace\u0000Hopper", "8")));
        Fixtures.assertField(nul, 422, "line 2: to_name");
        Fixtures.assertField(nul, 422, "line 3: to_name");
        Fixtures.assertField(uploadCsv(csv(csvRow("CSV-LONG", "Ada", "1" + "0".repeat(200)))), 400,
                "line 2: weight");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments")).isEqualTo(shipments);
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("a JSON bulk upload with NUL in options (stored as jsonb) or a ZIP as a number is refused, and nothing is stored")
    void jsonBulkRefused() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        JsonObject withOptions = Fixtures.newShipment("BULK-NUL")
                .put("options", new JsonObject().put("label_format", "PDF\u0000"));
        Fixtures.assertField(api.post("/shipments/bulk-create", new JsonObject().put("shipments",
                new JsonArray().add(Fixtures.newShipment("BULK-OK")).add(withOptions))), 422, "shipments[1].options.label_format");
        JsonObject zip = Fixtures.newShipment("BULK-ZIP");
        zip.getJsonObject("from_address").put("zip", 94607);
        Fixtures.assertField(api.post("/shipments/bulk-create", new JsonObject().put("shipments", new JsonArray().add(zip))),
                400, "shipments[0].from_address.zip");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
    }

    @Test
    @DisplayName("NUL in a search term, a list filter or a tracking code is a 4xx naming it, never a database error")
    void nulInQueries() {
        Fixtures.assertField(api.get("/shipments?q=Ada%00Lovelace"), 400, "q");
        Fixtures.assertField(api.get("/shipments?carrier=UPS%00"), 400, "carrier");
        Fixtures.assertField(api.post("/shipments/batch-track",
                new JsonObject().put("tracking_codes", new JsonArray().add("TRK1").add("TRK\u00002"))), 422, "tracking_codes[1]");
        assertThat(api.get("/shipments?q=" + "x".repeat(101)).statusCode()).isEqualTo(400);
    }
}
