package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.analytics.ClosedDays;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Closed days of the daily rollup are answered from memory, and a late change to one, made by any writer, is
 * in the very next answer: the cache is evicted by migration V56's notification, and each read syncs with the
 * listener first, so there is no window in which a committed change is not seen.
 */
@DisplayName("Analytics of closed days from memory, never stale")
class AnalyticsCacheIT extends SharedAppTest {

    static final OffsetDateTime DAY = OffsetDateTime.of(2026, 3, 10, 12, 0, 0, 0, ZoneOffset.UTC);
    static final String DATE = "2026-03-10";
    Fixtures.Shipment first;

    static ClosedDays cache() {
        return TestApp.shared().closedDays();
    }

    @BeforeEach
    void seed() {
        TestDatabase.truncate();
        first = Fixtures.shipment("in_transit", "USPS", "Priority", "7.50", "C1", "R", "N", DAY);
        Fixtures.shipment("delivered", "UPS", "Ground", "12.25", "C2", "R", "N", DAY.plusHours(1));
        Await.until("the analytics day cache to listen", Duration.ofSeconds(10), cache()::listening);
    }

    static JsonObject day(String date) {
        var response = api.get("/analytics/" + date);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    @Test
    @DisplayName("a closed day is kept after its first read, and yesterday and today never are")
    void closedDaysAreKept() {
        assertThat(day(DATE).getLong("shipments")).isEqualTo(2);
        assertThat(cache().holds(LocalDate.parse(DATE))).isTrue();
        JsonObject range = api.get("/analytics?days=7").bodyAsJsonObject();
        LocalDate today = LocalDate.parse(range.getString("to"));
        assertThat(cache().holds(today)).isFalse();
        assertThat(cache().holds(today.minusDays(1))).isFalse();
        assertThat(cache().holds(today.minusDays(2))).as("two days ago is closed").isTrue();
        assertThat(day(DATE).getLong("shipments")).as("answered again, from memory").isEqualTo(2);
    }

    @Test
    @DisplayName("a late status change and a refund made in SQL by another connection are in the very next read, every time")
    void lateChangesAreSeenAtOnce() {
        day(DATE);
        for (int i = 0; i < 20; i++) {
            String status = i % 2 == 0 ? "return_to_sender" : "in_transit";
            TestDatabase.execute("UPDATE shipments SET status = '" + status + "' WHERE id = '" + first.id() + "'");
            assertThat(day(DATE).getJsonObject("by_status").getMap()).as("read %d after the change", i)
                    .containsEntry(status, 1);
        }
        TestDatabase.execute("UPDATE shipments SET refund_status = 'refunded' WHERE id = '" + first.id() + "'");
        JsonObject refunded = day(DATE);
        assertThat(refunded.getLong("labels")).isEqualTo(1);
        assertThat(refunded.getString("spend")).isEqualTo("12.25");
        assertThat(cache().holds(LocalDate.parse(DATE))).as("kept again after the refund").isTrue();
    }

    @Test
    @DisplayName("a shipment added to a closed day (an import, a restore) counts in the range at once")
    void insertedIntoAClosedDay() {
        JsonObject before = api.get("/analytics?from=2026-03-09&to=2026-03-11").bodyAsJsonObject();
        assertThat(before.getJsonObject("totals").getLong("shipments")).isEqualTo(2);
        Fixtures.shipment("delivered", "FedEx", "FEDEX_GROUND", "20.00", "C3", "R", "N", DAY.minusDays(1));
        JsonObject after = api.get("/analytics?from=2026-03-09&to=2026-03-11").bodyAsJsonObject();
        assertThat(after.getJsonObject("totals").getLong("shipments")).isEqualTo(3);
        assertThat(after.getJsonArray("days").getJsonObject(0).getLong("shipments")).isEqualTo(1);
    }

    @Test
    @DisplayName("emptying the rollup forgets every day")
    void truncateForgetsAll() {
        day(DATE);
        assertThat(cache().holds(LocalDate.parse(DATE))).isTrue();
        TestDatabase.truncate();
        assertThat(day(DATE).getLong("shipments")).isZero();
    }

    @Test
    @DisplayName("while its listener is gone every read goes to the database, and a change made meanwhile is seen after it returns")
    void listenerLost() {
        day(DATE);
        TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'shipgate-analytics-listener'");
        // bypassed while it is gone, emptied when it is back: either way the day is no longer held
        Await.until("the cache to drop what it held", Duration.ofSeconds(10), () -> !cache().holds(LocalDate.parse(DATE)));
        TestDatabase.execute("UPDATE shipments SET status = 'failure' WHERE id = '" + first.id() + "'");
        assertThat(day(DATE).getJsonObject("by_status").getMap()).containsEntry("failure", 1);
        Await.until("the cache to listen again", Duration.ofSeconds(15), cache()::listening);
        assertThat(day(DATE).getJsonObject("by_status").getMap()).containsEntry("failure", 1);
        assertThat(cache().holds(LocalDate.parse(DATE))).as("kept again once it listens").isTrue();
    }
}
