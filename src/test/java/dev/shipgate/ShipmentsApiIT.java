package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.http.Json;
import dev.shipgate.shipments.ShipmentReadSql;
import dev.shipgate.shipments.ShipmentViews;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipments API")
class ShipmentsApiIT extends SharedAppTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 10, 12, 0, 0, 0, ZoneOffset.UTC);
    static Fixtures.Shipment delivered;
    static final List<UUID> newestFirst = new ArrayList<>();

    @BeforeAll
    static void seed() {
        TestDatabase.truncate();
        delivered = Fixtures.shipment("delivered", "USPS", "Priority", "7.58", "9400100000000000000001", "ORDER-1",
                "Ada O'Lovelace", T0);
        Fixtures.event(delivered.id(), "pre_transit", "Label created", T0.plusHours(1));
        Fixtures.event(delivered.id(), "in_transit", "Departed facility", T0.plusHours(20));
        Fixtures.event(delivered.id(), "delivered", "Delivered, in mailbox", T0.plusDays(2));
        Fixtures.rate(delivered.id(), "USPS", "Priority", "7.58", 2);
        Fixtures.rate(delivered.id(), "UPS", "Ground", "9.10", 4);
        newestFirst.add(delivered.id());
        for (int i = 1; i <= 24; i++) {
            Fixtures.Shipment s = Fixtures.shipment(i % 3 == 0 ? "in_transit" : "pre_transit", i % 2 == 0 ? "UPS" : "FedEx",
                    "Ground", "10.00", "TRK" + i, "REF-" + i, "Recipient " + i, T0.plusMinutes(i));
            newestFirst.add(0, s.id());
        }
        // Two shipments created at the same instant: the id must break the tie without losing either.
        Fixtures.Shipment a = Fixtures.shipment("pre_transit", "UPS", "Ground", null, null, "TIE-A", "Tie A", T0.minusDays(1));
        Fixtures.Shipment b = Fixtures.shipment("pre_transit", "UPS", "Ground", null, null, "TIE-B", "Tie B", T0.minusDays(1));
        newestFirst.add(a.id().toString().compareTo(b.id().toString()) > 0 ? a.id() : b.id());
        newestFirst.add(a.id().toString().compareTo(b.id().toString()) > 0 ? b.id() : a.id());
    }


    @Test
    @DisplayName("a shipment comes with both addresses, its parcel, its rates and its latest event")
    void getOne() {
        var response = api.get("/shipments/" + delivered.id());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("id")).isEqualTo(delivered.id().toString());
        assertThat(body.getString("tracking_code")).isEqualTo("9400100000000000000001");
        assertThat(body.getString("rate")).isEqualTo("7.58");
        assertThat(body.getJsonObject("from_address").getString("city")).isEqualTo("Oakland");
        assertThat(body.getJsonObject("to_address").getString("name")).isEqualTo("Ada O'Lovelace");
        assertThat(body.getJsonObject("parcel").getString("weight")).isEqualTo("15.5");
        assertThat(body.getJsonArray("rates")).hasSize(2);
        assertThat(body.getJsonArray("rates").getJsonObject(0).getString("rate")).isEqualTo("7.58");
        JsonObject latest = body.getJsonObject("latest_event");
        assertThat(latest.getString("status")).isEqualTo("delivered");
        assertThat(latest.getString("description")).isEqualTo("Delivered, in mailbox");
    }

    @Test
    @DisplayName("reading many shipments at once gives each the answer GET /shipments/{id} gives, and skips unknown ids")
    void readManyMatchesReadOne() throws Exception {
        List<UUID> ids = new ArrayList<>(newestFirst.subList(0, 4));
        ids.add(UUID.randomUUID());
        List<ShipmentViews.ShipmentView> views = new ShipmentReadSql(TestApp.shared().pools().raw())
                .find(ids.toArray(UUID[]::new)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(views).hasSize(4);
        for (ShipmentViews.ShipmentView view : views) {
            JsonObject alone = api.get("/shipments/" + view.id()).bodyAsJsonObject();
            assertThat(new JsonObject(Json.encode(view))).isEqualTo(alone);
        }
    }

    @Test
    @DisplayName("an unknown shipment is a 404 problem and a malformed id a 400 naming the id")
    void missingAndMalformed() {
        var missing = api.get("/shipments/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.getHeader("content-type")).isEqualTo("application/problem+json");
        var malformed = api.get("/shipments/not-a-uuid");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0).getString("name"))
                .isEqualTo("id");
    }

    @Test
    @DisplayName("paging one at a time visits every shipment once, newest first, ties broken by id")
    void keysetPagingVisitsEveryShipmentOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = api.get("/shipments?limit=4" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
            page.getJsonArray("shipments").forEach(s -> seen.add(((JsonObject) s).getString("id")));
            cursor = page.getString("next_cursor");
            assertThat(page.getBoolean("has_more")).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(seen).containsExactlyElementsOf(newestFirst.stream().map(UUID::toString).toList());
        assertThat(pages).isEqualTo(7);
    }

    @Test
    @DisplayName("a page exactly as long as what remains says there is no more")
    void lastFullPage() {
        JsonObject page = api.get("/shipments?limit=" + newestFirst.size()).bodyAsJsonObject();
        assertThat(page.getJsonArray("shipments")).hasSize(newestFirst.size());
        assertThat(page.getBoolean("has_more")).isFalse();
        assertThat(page.getValue("next_cursor")).isNull();
    }

    @Test
    @DisplayName("filters on status, carrier, date range and text combine")
    void filters() {
        assertThat(ids("/shipments?status=delivered")).containsExactly(delivered.id().toString());
        assertThat(ids("/shipments?status=in_transit&carrier=UPS&limit=200")).hasSize(4);
        assertThat(ids("/shipments?created_from=2026-03-09&created_to=2026-03-09")).hasSize(2);
        assertThat(ids("/shipments?q=lovelace")).containsExactly(delivered.id().toString());
        assertThat(ids("/shipments?q=9400100000")).containsExactly(delivered.id().toString());
        assertThat(ids("/shipments?q=ref-2&limit=200")).hasSize(6);
        assertThat(ids("/shipments?q=100%25")).isEmpty();
    }

    @Test
    @DisplayName("bad list parameters are 400 problems naming the parameter")
    void badListParameters() {
        assertInvalid("/shipments?limit=0", "limit");
        assertInvalid("/shipments?limit=201", "limit");
        assertInvalid("/shipments?limit=ten", "limit");
        assertInvalid("/shipments?status=lost", "status");
        assertInvalid("/shipments?cursor=garbage", "cursor");
        assertInvalid("/shipments?created_from=2026-13-01", "created_from");
        assertInvalid("/shipments?created_from=2026-03-10&created_to=2026-03-01", "created_to");
        assertInvalid("/shipments?q=ab", "q");
    }

    @Test
    @DisplayName("an instant where a day is expected says the form a day takes, not a length")
    void instantForADay() {
        for (String uri : List.of("/shipments?created_from=2026-11-30T00:00:00Z", "/shipments?created_to=2026-11-30T23:59:59Z",
                "/shipments/export.csv?created_from=2026-11-30T00:00:00Z", "/scan-forms/open?date=2026-11-30T00:00:00Z",
                "/analytics?from=2026-11-30T00:00:00Z&to=2026-11-30", "/analytics/export.csv?from=2026-11-30&to=2026-11-30T00:00:00Z")) {
            var response = api.get(uri);
            assertThat(response.statusCode()).as(uri).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0).getString("reason"))
                    .as(uri).isEqualTo("must be a date as YYYY-MM-DD");
        }
    }

    @Test
    @DisplayName("carrier=Nope is a 400 naming carrier and the known carriers; a connected carrier without shipments is an empty page")
    void unknownCarrierFilter() {
        var nope = api.get("/shipments?carrier=Nope");
        assertInvalid("/shipments?carrier=Nope", "carrier");
        assertThat(nope.bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0).getString("reason"))
                .contains("USPS", "UPS", "FedEx");
        assertInvalid("/shipments/export.csv?carrier=Nope", "carrier");
        assertThat(api.get("/shipments?carrier=fedex").statusCode()).as("FedEx is connected").isEqualTo(200);
        assertThat(ids("/shipments?carrier=ups&limit=200")).isNotEmpty();
    }

    @Test
    @DisplayName("an unknown query parameter on the list is a 400 naming it and the accepted ones")
    void unknownListParameter() {
        assertInvalid("/shipments?carier=UPS", "carier");
        assertThat(api.get("/shipments?carier=UPS").bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0)
                .getString("reason")).contains("carrier", "created_from");
        assertInvalid("/shipments/" + newestFirst.get(0) + "?expand=rates", "expand");
    }

    private static void assertInvalid(String uri, String param) {
        var response = api.get(uri);
        assertThat(response.statusCode()).as(uri).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getJsonArray("invalid_params").getJsonObject(0).getString("name"))
                .as(uri).isEqualTo(param);
    }

    private static List<String> ids(String uri) {
        var response = api.get(uri);
        assertThat(response.statusCode()).as(uri).isEqualTo(200);
        JsonArray list = response.bodyAsJsonObject().getJsonArray("shipments");
        return list.stream().map(s -> ((JsonObject) s).getString("id")).toList();
    }
}
