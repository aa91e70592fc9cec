package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What tests share: request bodies the simulator accepts, shipments created through the API, and known
 * shipments written straight into the database, so tests can assert exact answers.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public record Shipment(UUID id, String trackingCode, OffsetDateTime createdAt) {
    }

    /** An address as {@code POST /shipments} and {@code POST /addresses/verify} take it. */
    public static JsonObject address(String name, String street, String city, String state, String zip) {
        return new JsonObject().put("name", name).put("street1", street).put("city", city).put("state", state)
                .put("zip", zip).put("country", "US");
    }

    /** A valid {@code POST /shipments} body: Oakland to San Francisco, 15.4 oz. */
    public static JsonObject newShipment(String reference) {
        return new JsonObject()
                .put("to_address", address("Ada Lovelace", "417 Montgomery St", "San Francisco", "CA", "94104"))
                .put("from_address", address("Shipgate Warehouse", "1 Dock Rd", "Oakland", "CA", "94607"))
                .put("parcel", new JsonObject().put("length", 10).put("width", 8).put("height", 4).put("weight", 15.4))
                .put("reference", reference);
    }

    /** A {@code POST /shipments/bulk-create} body of {@code n} shipments, bought by {@code strategy} unless null. */
    public static JsonObject bulk(int n, String strategy) {
        JsonArray shipments = new JsonArray();
        for (int i = 0; i < n; i++) {
            shipments.add(newShipment("BULK-" + i));
        }
        JsonObject body = new JsonObject().put("shipments", shipments);
        if (strategy != null) {
            body.put("buy", new JsonObject().put("strategy", strategy));
        }
        return body;
    }

    /** Creates a shipment through the API; fails unless the answer is 201. */
    public static JsonObject created(Api api, String reference) {
        HttpResponse<Buffer> response = api.post("/shipments", newShipment(reference));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return response.bodyAsJsonObject();
    }

    /** The answer is a problem with {@code status} naming {@code field} among its invalid parameters. */
    public static void assertField(HttpResponse<Buffer> response, int status, String field) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(response.bodyAsJsonObject().getJsonArray("invalid_params").stream().map(JsonObject.class::cast)
                .map(p -> p.getString("name")).toList()).contains(field);
    }

    public static Shipment shipment(String status, String carrier, String service, String rate, String trackingCode,
                                    String reference, String recipient, OffsetDateTime createdAt) {
        return shipment(TestDatabase.url(), status, carrier, service, rate, trackingCode, reference, recipient, createdAt);
    }

    /** A shipment written straight into {@code db} (an {@link TestDatabase#isolated} one), as the shared one above. */
    public static Shipment shipment(dev.shipgate.config.DatabaseUrl db, String status, String carrier, String service, String rate,
                                    String trackingCode, String reference, String recipient, OffsetDateTime createdAt) {
        UUID id = UUID.randomUUID();
        UUID from = UUID.randomUUID();
        UUID to = UUID.randomUUID();
        UUID parcel = UUID.randomUUID();
        TestDatabase.execute(db, "INSERT INTO addresses (id, name, street1, city, state, zip) VALUES "
                + "('" + from + "', 'Warehouse', '1 Dock Rd', 'Oakland', 'CA', '94607'), "
                + "('" + to + "', " + quote(recipient) + ", '5 Elm St', 'Boston', 'MA', '02108')");
        TestDatabase.execute(db, "INSERT INTO parcels (id, length, width, height, weight) VALUES ('" + parcel
                + "', 10, 8, 4, 15.5)");
        TestDatabase.execute(db, "INSERT INTO shipments (id, easypost_id, status, carrier, service, rate, tracking_code, "
                + "reference, recipient_name, from_address_id, to_address_id, parcel_id, created_at, updated_at) VALUES ('"
                + id + "', 'shp_" + id.toString().substring(0, 8) + "', " + quote(status) + ", " + quote(carrier) + ", "
                + quote(service) + ", " + (rate == null ? "NULL" : new BigDecimal(rate).toPlainString()) + ", "
                + quote(trackingCode) + ", " + quote(reference) + ", " + quote(recipient) + ", '" + from + "', '" + to
                + "', '" + parcel + "', '" + createdAt + "', '" + createdAt + "')");
        return new Shipment(id, trackingCode, createdAt);
    }

    public static void event(UUID shipment, String status, String description, OffsetDateTime at) {
        TestDatabase.execute("INSERT INTO shipment_events (shipment_id, status, description, occurred_at, city, state, country) "
                + "VALUES ('" + shipment + "', " + quote(status) + ", " + quote(description) + ", '" + at
                + "', 'Boston', 'MA', 'US')");
    }

    public static void rate(UUID shipment, String carrier, String service, String rate, int days) {
        TestDatabase.execute("INSERT INTO rates (id, shipment_id, carrier, service, rate, delivery_days) VALUES ('"
                + UUID.randomUUID() + "', '" + shipment + "', " + quote(carrier) + ", " + quote(service) + ", " + rate
                + ", " + days + ")");
    }

    private static String quote(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    /** The bytes with UTF-8's byte-order mark in front, as Excel's "CSV UTF-8" writes them. */
    public static byte[] withBom(byte[] bytes) {
        byte[] out = new byte[bytes.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(bytes, 0, out, 3, bytes.length);
        return out;
    }
}
