package dev.shipgate;

import static dev.shipgate.TrackingUpdatesIT.detail;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Carrier performance on a small data set worked out by hand. Labels are bought through the API (USPS
 * GroundAdvantage, whose simulated rates carry no delivery date, and UPS Ground, whose rates promise a day
 * ahead of today) and tracked through signed webhooks dated March 2025, a month no other test delivers in.
 * Purchase times are set in the database, the one thing the API cannot backdate.
 *
 * <pre>
 * shipment  bought      first scan   delivered    expected (source)       on time  transit  to scan
 * A USPS    03-01 00:00 03-01 12:00  03-03 12:00  03-03 (tracker)         yes      2.00     0.50
 * B USPS    03-01 00:00 03-02 00:00  03-06 00:00  03-04 (tracker)         no       4.00     1.00
 * C USPS    03-02 00:00 03-02 06:00  03-03 06:00  03-05 (tracker)         yes      1.00     0.25
 * D USPS    03-02 00:00 03-04 00:00  03-07 00:00  none                    -        3.00     2.00
 * E UPS     03-01 00:00 03-01 12:00  03-10 12:00  rate's day (tracker     yes      9.00     0.50
 *                                                  said 03-05: rate wins)
 * USPS: delivered 4, with an estimate 3, on time 2, share 2/3 = 0.6667.
 *   transit sorted 1, 2, 3, 4: p50 = (2 + 3) / 2 = 2.5; p90 at rank 0.9 * 3 = 2.7 = 3 + 0.7 * (4 - 3) = 3.7.
 *   to scan sorted 0.25, 0.5, 1, 2: p50 = (0.5 + 1) / 2 = 0.75; mean 3.75 / 4 = 0.9375, shown 0.94.
 * UPS: delivered 1, estimate 1, on time 1, share 1; transit p50 = p90 = 9; to scan 0.5.
 * </pre>
 */
@DisplayName("Carrier performance from the account's own deliveries")
class CarrierPerformanceIT extends SharedAppTest {

    @BeforeAll
    static void deliveries() throws Exception {
        parcel("A", null, "2025-03-01T00:00:00Z", "2025-03-01T12:00:00Z", "2025-03-03T12:00:00Z", "2025-03-03T00:00:00Z");
        parcel("B", null, "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z", "2025-03-06T00:00:00Z", "2025-03-04T00:00:00Z");
        parcel("C", null, "2025-03-02T00:00:00Z", "2025-03-02T06:00:00Z", "2025-03-03T06:00:00Z", "2025-03-05T00:00:00Z");
        parcel("D", null, "2025-03-02T00:00:00Z", "2025-03-04T00:00:00Z", "2025-03-07T00:00:00Z", null);
        parcel("E", "UPS", "2025-03-01T00:00:00Z", "2025-03-01T12:00:00Z", "2025-03-10T12:00:00Z", "2025-03-05T00:00:00Z");
    }

    static void parcel(String name, String carrier, String bought, String scanned, String delivered, String estimate) throws Exception {
        JsonObject s = ExceptionsIT.buy("PERF-" + name, carrier);
        TestDatabase.execute("UPDATE shipments SET label_bought_at = '" + bought + "' WHERE id = '" + s.getString("id") + "'");
        ExceptionsIT.track(s, "in_transit", estimate, detail("pre_transit", "Label created", bought),
                detail("in_transit", "Accepted", scanned));
        ExceptionsIT.track(s, "delivered", null, detail("delivered", "Delivered", delivered));
    }

    static JsonObject carrier(JsonObject view, String name) {
        return view.getJsonArray("carriers").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("carrier").equals(name)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("on-time share, transit p50/p90 and days to first scan match the figures worked out by hand")
    void handChecked() {
        var answer = api.get("/analytics/carriers?from=2025-03-01&to=2025-03-31");
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        JsonObject view = answer.bodyAsJsonObject();
        assertThat(view.getJsonArray("carriers")).hasSize(2);

        JsonObject usps = carrier(view, "USPS");
        JsonObject overall = usps.getJsonObject("overall");
        assertThat(overall.getLong("delivered")).isEqualTo(4);
        assertThat(overall.getLong("with_estimate")).isEqualTo(3);
        assertThat(overall.getLong("on_time")).isEqualTo(2);
        assertThat(overall.getDouble("on_time_share")).isEqualTo(0.6667);
        assertThat(overall.getDouble("transit_days_p50")).isEqualTo(2.5);
        assertThat(overall.getDouble("transit_days_p90")).isEqualTo(3.7);
        assertThat(overall.getDouble("days_to_first_scan_p50")).isEqualTo(0.75);
        assertThat(overall.getDouble("days_to_first_scan_avg")).isEqualTo(0.94);
        assertThat(usps.getJsonArray("services")).hasSize(1);
        JsonObject ground = usps.getJsonArray("services").getJsonObject(0);
        assertThat(ground.getString("service")).isEqualTo("GroundAdvantage");
        assertThat(ground.getDouble("transit_days_p90")).isEqualTo(3.7);

        JsonObject ups = carrier(view, "UPS").getJsonObject("overall");
        assertThat(ups.getLong("delivered")).isEqualTo(1);
        assertThat(ups.getLong("on_time")).as("the rate's promised day wins over the tracker's earlier estimate").isEqualTo(1);
        assertThat(ups.getDouble("on_time_share")).isEqualTo(1.0);
        assertThat(ups.getDouble("transit_days_p50")).isEqualTo(9.0);
        assertThat(ups.getDouble("transit_days_p90")).isEqualTo(9.0);
        assertThat(ups.getDouble("days_to_first_scan_p50")).isEqualTo(0.5);
    }

    @Test
    @DisplayName("a range counts parcels delivered on its days (of BUSINESS_TIMEZONE, UTC here), both ends included, and names the zone")
    void rangeEnds() {
        JsonObject view = api.get("/analytics/carriers?from=2025-03-04&to=2025-03-06").bodyAsJsonObject();
        assertThat(view.getString("time_zone")).isEqualTo("UTC");
        JsonObject usps = carrier(view, "USPS").getJsonObject("overall");
        assertThat(usps.getLong("delivered")).as("only B, delivered 03-06 00:00").isEqualTo(1);
        assertThat(usps.getLong("on_time")).isZero();
        assertThat(usps.getDouble("on_time_share")).isEqualTo(0.0);
        assertThat(api.get("/analytics/carriers?from=2025-04-01&to=2025-04-30").bodyAsJsonObject().getJsonArray("carriers")).isEmpty();
    }

    @Test
    @DisplayName("days=N is the N days ending today, as on GET /analytics (it was a 400 'from: is required')")
    void lastDays() {
        var answer = api.get("/analytics/carriers?days=30");
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        JsonObject analytics = api.get("/analytics?days=30").bodyAsJsonObject();
        assertThat(answer.bodyAsJsonObject().getString("from")).isEqualTo(analytics.getString("from"));
        assertThat(answer.bodyAsJsonObject().getString("to")).isEqualTo(analytics.getString("to"));
        assertThat(answer.bodyAsJsonObject().getString("time_zone")).isEqualTo(analytics.getString("time_zone"));
        Fixtures.assertField(api.get("/analytics/carriers?days=0"), 400, "days");
        Fixtures.assertField(api.get("/analytics/carriers?days=1097"), 400, "days");
        Fixtures.assertField(api.get("/analytics/carriers?days=7&from=2025-03-01"), 400, "days");
    }

    @Test
    @DisplayName("bad, missing or reversed dates and ranges over 1,096 days (as analytics) are 400 problems naming the parameter")
    void badDates() {
        Fixtures.assertField(api.get("/analytics/carriers?from=2025-13-01&to=2025-03-31"), 400, "from");
        Fixtures.assertField(api.get("/analytics/carriers?from=2025-03-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics/carriers?from=yesterday&to=2025-03-31"), 400, "from");
        Fixtures.assertField(api.get("/analytics/carriers?from=2025-03-31&to=2025-03-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics/carriers?from=2022-01-01&to=2025-03-01"), 400, "to");
        assertThat(api.get("/analytics/2025-03-01").statusCode()).as("the day route still answers").isEqualTo(200);
    }
}
