package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Analytics API")
class AnalyticsApiIT extends SharedAppTest {

    static final OffsetDateTime DAY = OffsetDateTime.of(2026, 6, 15, 0, 0, 0, 0, ZoneOffset.UTC);
    static Fixtures.Shipment returned;

    @BeforeAll
    static void seed() {
        TestDatabase.truncate();
        Fixtures.shipment("delivered", "USPS", "Priority", "7.58", "A1", "R", "N", DAY.plusHours(1));
        Fixtures.shipment("delivered", "USPS", "Priority", "8.42", "A2", "R", "N", DAY.plusHours(2));
        returned = Fixtures.shipment("in_transit", "UPS", "Ground", "12.10", "A3", "R", "N", DAY.plusHours(23).plusMinutes(59));
        Fixtures.shipment("unknown", null, null, null, null, "R", "N", DAY.plusHours(3));
        Fixtures.shipment("delivered", "UPS", "Ground", "20.00", "B1", "R", "N", DAY.plusDays(2));
        // A refunded label is no longer spend.
        Fixtures.shipment("cancelled", "UPS", "Ground", "99.99", "A4", "R", "N", DAY.plusHours(4));
        TestDatabase.execute("UPDATE shipments SET refund_status = 'refunded' WHERE tracking_code = 'A4'");
    }


    @Test
    @DisplayName("a day's figures: shipments, labels, spend, average cost and breakdowns")
    void oneDay() {
        JsonObject day = api.get("/analytics/2026-06-15").bodyAsJsonObject();
        assertThat(day.getString("date")).isEqualTo("2026-06-15");
        assertThat(day.getLong("shipments")).isEqualTo(5);
        assertThat(day.getLong("labels")).isEqualTo(3);
        assertThat(day.getString("spend")).isEqualTo("28.10");
        assertThat(day.getString("average_cost")).isEqualTo("9.37");
        assertThat(day.getJsonObject("by_carrier").getJsonObject("USPS").getString("spend")).isEqualTo("16.00");
        assertThat(day.getJsonObject("by_carrier").getJsonObject("UPS").getLong("shipments")).isEqualTo(2);
        assertThat(day.getJsonObject("by_service").getJsonObject("Priority").getLong("labels")).isEqualTo(2);
        assertThat(day.getJsonObject("by_status").getMap())
                .containsEntry("delivered", 2).containsEntry("in_transit", 1).containsEntry("unknown", 1)
                .containsEntry("cancelled", 1);
    }

    @Test
    @DisplayName("a status change moves the shipment between status counts at once")
    void statusChangeMovesCounts() {
        TestDatabase.execute("UPDATE shipments SET status = 'return_to_sender' WHERE id = '" + returned.id() + "'");
        try {
            JsonObject day = api.get("/analytics/2026-06-15").bodyAsJsonObject();
            assertThat(day.getJsonObject("by_status").getMap()).containsEntry("return_to_sender", 1)
                    .doesNotContainKey("in_transit");
            assertThat(day.getLong("shipments")).isEqualTo(5);
        } finally {
            TestDatabase.execute("UPDATE shipments SET status = 'in_transit' WHERE id = '" + returned.id() + "'");
        }
    }

    @Test
    @DisplayName("a day without shipments is zeros, not an error")
    void emptyDay() {
        var response = api.get("/analytics/2001-01-01");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject day = response.bodyAsJsonObject();
        assertThat(day.getLong("shipments")).isZero();
        assertThat(day.getString("spend")).isEqualTo("0.00");
        assertThat(day.getString("average_cost")).isEqualTo("0.00");
        assertThat(day.getJsonObject("by_carrier")).isEmpty();
    }

    @Test
    @DisplayName("a range gives every day, empty ones included, and the totals")
    void range() {
        JsonObject range = api.get("/analytics?from=2026-06-14&to=2026-06-17").bodyAsJsonObject();
        assertThat(range.getJsonArray("days")).hasSize(4);
        assertThat(range.getJsonArray("days").getJsonObject(0).getLong("shipments")).isZero();
        assertThat(range.getJsonArray("days").getJsonObject(1).getLong("shipments")).isEqualTo(5);
        assertThat(range.getJsonArray("days").getJsonObject(3).getString("spend")).isEqualTo("20.00");
        assertThat(range.getJsonObject("totals").getLong("labels")).isEqualTo(4);
        assertThat(range.getJsonObject("totals").getString("spend")).isEqualTo("48.10");
    }

    @Test
    @DisplayName("malformed dates, unknown groups, reversed and overlong ranges are 400s naming the parameter")
    void invalid() {
        assertThat(api.get("/analytics/2026-6-15").statusCode()).isEqualTo(400);
        assertThat(api.get("/analytics/2026-02-30").statusCode()).isEqualTo(400);
        Fixtures.assertField(api.get("/analytics/yesterday"), 400, "date");
        Fixtures.assertField(api.get("/analytics?from=2026-01-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics?from=2026-02-01&to=2026-01-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics?from=2026-01-01&to=2026-01-31&group=year"), 400, "group");
        // 367 days are fine in weeks (the automatic choice) but too many bars as days
        assertThat(api.get("/analytics?from=2025-01-01&to=2026-01-02").statusCode()).isEqualTo(200);
        Fixtures.assertField(api.get("/analytics?from=2025-01-01&to=2026-01-02&group=day"), 400, "group");
        assertThat(api.get("/analytics?from=2025-01-02&to=2026-01-02&group=day").statusCode()).isEqualTo(200);
        assertThat(api.get("/analytics?from=2023-01-01&to=2025-12-31").statusCode()).isEqualTo(200);
        Fixtures.assertField(api.get("/analytics?from=2023-01-01&to=2026-01-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics?days=0"), 400, "days");
        Fixtures.assertField(api.get("/analytics?days=30&from=2026-01-01"), 400, "days");
    }

    @Test
    @DisplayName("a range comes with the period of equal length before it, bucket for bucket, and names its zone and grouping")
    void previousPeriod() {
        JsonObject range = api.get("/analytics?from=2026-06-18&to=2026-06-21").bodyAsJsonObject();
        assertThat(range.getString("time_zone")).isEqualTo("UTC");
        assertThat(range.getString("group")).isEqualTo("day");
        assertThat(range.getJsonObject("totals").getLong("shipments")).isZero();
        JsonObject previous = range.getJsonObject("previous");
        assertThat(previous.getString("from")).isEqualTo("2026-06-14");
        assertThat(previous.getString("to")).isEqualTo("2026-06-17");
        assertThat(previous.getJsonObject("totals").getLong("labels")).isEqualTo(4);
        assertThat(previous.getJsonObject("totals").getString("spend")).isEqualTo("48.10");
        assertThat(previous.getJsonArray("days")).hasSize(4);
        assertThat(previous.getJsonArray("days").getJsonObject(1).getString("date")).isEqualTo("2026-06-15");
        assertThat(previous.getJsonArray("days").getJsonObject(1).getLong("shipments")).isEqualTo(5);
        assertThat(previous.getJsonArray("days").getJsonObject(3).getString("spend")).isEqualTo("20.00");
    }

    @Test
    @DisplayName("group=week buckets ISO weeks from Monday, group=month calendar months, long ranges choose weeks by themselves")
    void grouping() {
        JsonObject weeks = api.get("/analytics?from=2026-06-01&to=2026-06-30&group=week").bodyAsJsonObject();
        assertThat(weeks.getString("group")).isEqualTo("week");
        assertThat(weeks.getJsonArray("days").stream().map(d -> ((JsonObject) d).getString("date")).toList())
                .containsExactly("2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29");
        assertThat(weeks.getJsonArray("days").getJsonObject(2).getLong("shipments")).isEqualTo(6);
        assertThat(weeks.getJsonArray("days").getJsonObject(2).getString("spend")).isEqualTo("48.10");
        assertThat(weeks.getJsonObject("totals").getLong("shipments")).isEqualTo(6);

        // a range starting on a Wednesday: its first week is cut to Wednesday..Sunday
        JsonObject cut = api.get("/analytics?from=2026-06-10&to=2026-06-21&group=week").bodyAsJsonObject();
        assertThat(cut.getJsonArray("days").stream().map(d -> ((JsonObject) d).getString("date")).toList())
                .containsExactly("2026-06-10", "2026-06-15");

        JsonObject months = api.get("/analytics?from=2026-05-20&to=2026-07-10&group=month").bodyAsJsonObject();
        assertThat(months.getJsonArray("days").stream().map(d -> ((JsonObject) d).getString("date")).toList())
                .containsExactly("2026-05-20", "2026-06-01", "2026-07-01");
        assertThat(months.getJsonArray("days").getJsonObject(1).getLong("labels")).isEqualTo(4);

        JsonObject year = api.get("/analytics?from=2025-07-01&to=2026-06-30").bodyAsJsonObject();
        assertThat(year.getString("group")).isEqualTo("week");
        assertThat(year.getJsonArray("days").size()).isBetween(52, 54);
        JsonObject twoYears = api.get("/analytics?from=2024-07-01&to=2026-06-30").bodyAsJsonObject();
        assertThat(twoYears.getString("group")).isEqualTo("month");
        assertThat(twoYears.getJsonArray("days")).hasSize(24);
        assertThat(twoYears.getJsonObject("previous").getJsonArray("days")).hasSize(24);
        assertThat(twoYears.getJsonObject("totals").getLong("shipments")).isEqualTo(6);
    }

    @Test
    @DisplayName("a day answer names its zone, and /analytics/today is today's day there")
    void dayNamesItsZone() {
        JsonObject day = api.get("/analytics/2026-06-15").bodyAsJsonObject();
        assertThat(day.getString("time_zone")).isEqualTo("UTC");
        JsonObject today = api.get("/analytics/today").bodyAsJsonObject();
        assertThat(today.getString("date")).isEqualTo(java.time.LocalDate.now(ZoneOffset.UTC).toString());
    }
}
