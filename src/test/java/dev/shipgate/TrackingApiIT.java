package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batch tracking API")
class TrackingApiIT extends SharedAppTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 5, 1, 8, 0, 0, 0, ZoneOffset.UTC);
    static Fixtures.Shipment moving;

    @BeforeAll
    static void seed() {
        TestDatabase.truncate();
        moving = Fixtures.shipment("in_transit", "UPS", "Ground", "9.99", "1ZMOVING", "R1", "Grace Hopper", T0);
        Fixtures.event(moving.id(), "pre_transit", "Label created", T0.plusHours(1));
        Fixtures.event(moving.id(), "in_transit", "Arrived at facility", T0.plusHours(9));
        Fixtures.shipment("pre_transit", "USPS", "Priority", "7.00", "9400QUIET", "R2", "Alan Turing", T0);
        TestDatabase.execute("INSERT INTO addresses (id, street1, city, zip) SELECT gen_random_uuid(), 'x', 'y', '1' FROM generate_series(1, 1)");
        TestDatabase.execute("""
                WITH a AS (SELECT id FROM addresses LIMIT 1)
                INSERT INTO shipments (id, status, tracking_code, from_address_id, to_address_id)
                SELECT gen_random_uuid(), 'in_transit', 'BULK' || g, a.id, a.id FROM a, generate_series(1, 1000) g""");
    }


    @Test
    @DisplayName("known codes come back in request order with their latest event, unknown ones as not found")
    void knownAndUnknown() {
        var response = api.post("/shipments/batch-track",
                new JsonObject().put("tracking_codes", new JsonArray().add("NOPE-1").add("1ZMOVING").add("9400QUIET").add("NOPE-2")));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        JsonArray results = body.getJsonArray("results");
        assertThat(results).hasSize(2);
        JsonObject first = results.getJsonObject(0);
        assertThat(first.getString("tracking_code")).isEqualTo("1ZMOVING");
        assertThat(first.getString("shipment_id")).isEqualTo(moving.id().toString());
        assertThat(first.getString("status")).isEqualTo("in_transit");
        assertThat(first.getJsonObject("latest_event").getString("description")).isEqualTo("Arrived at facility");
        assertThat(first.getJsonObject("latest_event").getString("datetime")).isEqualTo("2026-05-01T17:00:00Z");
        assertThat(results.getJsonObject(1).getValue("latest_event")).isNull();
        assertThat(body.getJsonArray("not_found")).containsExactly("NOPE-1", "NOPE-2");
    }

    @Test
    @DisplayName("a thousand codes are answered in one call")
    void thousandCodes() {
        JsonArray codes = new JsonArray();
        IntStream.rangeClosed(1, 1000).forEach(i -> codes.add("BULK" + i));
        var response = api.post("/shipments/batch-track", new JsonObject().put("tracking_codes", codes));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getJsonArray("results")).hasSize(1000);
        assertThat(response.bodyAsJsonObject().getJsonArray("not_found")).isEmpty();
    }

    @Test
    @DisplayName("repeated codes are answered once")
    void duplicates() {
        var response = api.post("/shipments/batch-track",
                new JsonObject().put("tracking_codes", new JsonArray().add("1ZMOVING").add("1ZMOVING")));
        assertThat(response.bodyAsJsonObject().getJsonArray("results")).hasSize(1);
    }

    @Test
    @DisplayName("an empty list, 1001 codes, a blank code or a wrong type is rejected naming the field")
    void invalidBodies() {
        assertProblem(new JsonObject().put("tracking_codes", new JsonArray()), 422, "tracking_codes");
        JsonArray tooMany = new JsonArray();
        IntStream.rangeClosed(1, 1001).forEach(i -> tooMany.add("C" + i));
        assertProblem(new JsonObject().put("tracking_codes", tooMany), 422, "tracking_codes");
        assertProblem(new JsonObject().put("tracking_codes", new JsonArray().add("ok").add(" ")), 422, "tracking_codes[1]");
        assertProblem(new JsonObject().put("tracking_codes", "1ZMOVING"), 400, "tracking_codes");
        assertProblem(new JsonObject(), 422, "tracking_codes");
    }

    @Test
    @DisplayName("malformed JSON is a 400 and an oversized body a 413, both as problem JSON")
    void malformedAndOversized() {
        var malformed = api.post("/shipments/batch-track", "{\"tracking_codes\": [");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.getHeader("content-type")).isEqualTo("application/problem+json");
        var huge = api.post("/shipments/batch-track", "{\"tracking_codes\": [\"" + "x".repeat(2_000_000) + "\"]}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.getHeader("content-type")).isEqualTo("application/problem+json");
    }

    private static void assertProblem(JsonObject body, int status, String field) {
        var response = api.post("/shipments/batch-track", body);
        assertThat(response.statusCode()).as(body.encode().substring(0, Math.min(60, body.encode().length()))).isEqualTo(status);
        assertThat(response.bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0).getString("name"))
                .isEqualTo(field);
    }
}
