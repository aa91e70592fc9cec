package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.PageCursor;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The shipment list's query string and keyset cursor")
class ListQueryTest {

    static final UUID ID = UUID.fromString("0b6f4c1e-8d2a-4f3b-9c5e-7a1d2e3f4a5b");

    static ListQuery parse(String... pairs) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            params.add(pairs[i], pairs[i + 1]);
        }
        return ListQuery.parse(params, java.time.ZoneId.of("UTC"));
    }

    static Problem refused(String... pairs) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> parse(pairs));
        assertThat(e).as("refused: " + String.join(" ", pairs)).isNotNull();
        return e.problem();
    }

    static void assertRefusedNaming(String param, String... pairs) {
        Problem p = refused(pairs);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.invalidParams()).extracting(Problem.InvalidParam::name).containsExactly(param);
    }

    static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("without parameters: 50 rows from the newest, no filter")
    void defaults() {
        ListQuery q = parse();
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.cursor()).isEmpty();
        assertThat(q.status()).isEmpty();
        assertThat(q.carrier()).isEmpty();
        assertThat(q.createdFrom()).isEmpty();
        assertThat(q.createdBefore()).isEmpty();
        assertThat(q.q()).isEmpty();
    }

    @Test
    @DisplayName("a limit from 1 to 200 is taken as given")
    void limitBounds() {
        assertThat(parse("limit", "1").limit()).isEqualTo(1);
        assertThat(parse("limit", "200").limit()).isEqualTo(200);
    }

    @ParameterizedTest(name = "limit={0}")
    @ValueSource(strings = {"0", "201", "-1", "ten", "1.5", "", "99999999999"})
    @DisplayName("a limit outside 1 to 200, or not a whole number, is refused naming limit")
    void badLimit(String limit) {
        assertRefusedNaming("limit", "limit", limit);
    }

    @Test
    @DisplayName("a cursor decodes to the instant and id it was made from, whatever the offset it was made in")
    void cursorRoundTrip() {
        OffsetDateTime at = OffsetDateTime.parse("2026-03-02T23:59:59.123456+05:30");
        PageCursor decoded = PageCursor.decode(new PageCursor(at, ID).encode());
        assertThat(decoded.createdAt().toInstant()).isEqualTo(at.toInstant());
        assertThat(decoded.createdAt().getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(decoded.id()).isEqualTo(ID);
    }

    @Test
    @DisplayName("a cursor keeps microseconds, as PostgreSQL does, and drops the nanoseconds PostgreSQL never returns")
    void cursorPrecision() {
        OffsetDateTime at = OffsetDateTime.parse("2026-03-02T10:00:00.000001999Z");
        assertThat(PageCursor.decode(new PageCursor(at, ID).encode()).createdAt())
                .isEqualTo(OffsetDateTime.parse("2026-03-02T10:00:00.000001Z"));
    }

    @Test
    @DisplayName("a cursor before 1970 survives the round trip (negative microseconds are floored, not truncated)")
    void cursorBeforeEpoch() {
        OffsetDateTime at = OffsetDateTime.parse("1969-12-31T23:59:59.999999Z");
        assertThat(PageCursor.decode(new PageCursor(at, ID).encode()).createdAt()).isEqualTo(at);
    }

    @Test
    @DisplayName("a cursor is URL-safe text: no +, / or = to escape in a query string")
    void cursorIsUrlSafe() {
        for (int i = 0; i < 200; i++) {
            String cursor = new PageCursor(OffsetDateTime.parse("2026-01-01T00:00:00Z").plusNanos(i * 7_919_000L),
                    UUID.randomUUID()).encode();
            assertThat(cursor).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    @DisplayName("the cursor given in the query is decoded into the position after which the page starts")
    void cursorFromQuery() {
        OffsetDateTime at = OffsetDateTime.parse("2026-03-02T10:15:30.5Z");
        ListQuery q = parse("cursor", new PageCursor(at, ID).encode());
        assertThat(q.cursor()).contains(new PageCursor(at, ID));
    }

    static Stream<Arguments> badCursors() {
        return Stream.of(
                Arguments.of("not base64", "!!not-base64!!"),
                Arguments.of("no colon", base64("no colon")),
                Arguments.of("words for the time", base64("abc:" + ID)),
                Arguments.of("no time", base64(":" + ID)),
                Arguments.of("not a UUID", base64("1772446130000000:not-a-uuid")),
                Arguments.of("no UUID", base64("1772446130000000:")),
                Arguments.of("a time beyond a long", base64("99999999999999999999:" + ID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCursors")
    @DisplayName("a cursor the API did not make is refused with 400 naming cursor, never a 500")
    void badCursor(String what, String cursor) {
        Problem p = refused("cursor", cursor);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("cursor");
        assertThat(p.detail()).contains("is not a cursor this API returned");
    }

    @Test
    @DisplayName("a cursor longer than 200 characters is refused before it is decoded")
    void overlongCursor() {
        assertRefusedNaming("cursor", "cursor", "A".repeat(201));
    }

    @Test
    @DisplayName("a blank cursor, status or carrier is no filter at all")
    void blankMeansAbsent() {
        ListQuery q = parse("cursor", "  ", "status", "", "carrier", " ");
        assertThat(q.cursor()).isEmpty();
        assertThat(q.status()).isEmpty();
        assertThat(q.carrier()).isEmpty();
    }

    @Test
    @DisplayName("every tracking status is accepted as a filter")
    void knownStatuses() {
        for (String status : ShipmentStatus.wireNames()) {
            assertThat(parse("status", status).status()).contains(status);
        }
    }

    @ParameterizedTest(name = "status={0}")
    @ValueSource(strings = {"shipped", "Delivered", "in transit"})
    @DisplayName("an unknown status is refused naming status and listing the accepted ones")
    void unknownStatus(String status) {
        Problem p = refused("status", status);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("status");
        assertThat(p.detail()).contains("delivered", "in_transit", "return_to_sender");
    }

    @Test
    @DisplayName("created_from and created_to are whole UTC days, both inclusive: the upper bound is the next midnight")
    void dayBounds() {
        ListQuery q = parse("created_from", "2026-02-27", "created_to", "2026-02-28");
        assertThat(q.createdFrom()).contains(OffsetDateTime.parse("2026-02-27T00:00:00Z"));
        assertThat(q.createdBefore()).contains(OffsetDateTime.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    @DisplayName("a range of one day, from and to the same date, is accepted; the last day of a leap February too")
    void oneDayRange() {
        ListQuery q = parse("created_from", "2028-02-29", "created_to", "2028-02-29");
        assertThat(q.createdBefore()).contains(OffsetDateTime.parse("2028-03-01T00:00:00Z"));
    }

    @Test
    @DisplayName("created_to before created_from is refused naming created_to")
    void reversedRange() {
        assertRefusedNaming("created_to", "created_from", "2026-03-02", "created_to", "2026-03-01");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-02-30", "2026/03/01", "yesterday", "2026-3-1", "20260301"})
    @DisplayName("a date that is not a real YYYY-MM-DD day is refused naming the parameter")
    void badDates(String date) {
        assertRefusedNaming("created_from", "created_from", date);
        assertRefusedNaming("created_to", "created_to", date);
    }

    @Test
    @DisplayName("the search term and carrier are trimmed")
    void trimmed() {
        ListQuery q = parse("q", "  Lovelace ", "carrier", " UPS ");
        assertThat(q.q()).contains("Lovelace");
        assertThat(q.carrier()).contains("UPS");
    }

    @Test
    @DisplayName("a search term needs 3 characters after trimming, and at most 100")
    void searchLength() {
        assertThat(parse("q", "Ada").q()).contains("Ada");
        assertRefusedNaming("q", "q", " ab ");
        assertRefusedNaming("q", "q", "x".repeat(101));
        assertThat(parse("q", "x".repeat(100)).q()).isPresent();
    }

    @Test
    @DisplayName("text PostgreSQL cannot store (a NUL, an unpaired surrogate) is refused naming the parameter")
    void unstorableText() {
        assertRefusedNaming("q", "q", "Ada\u0000Lovelace");
        assertRefusedNaming("carrier", "carrier", "UPS\ud800");
    }
}
