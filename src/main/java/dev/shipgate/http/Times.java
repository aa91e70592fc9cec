package dev.shipgate.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times written into JSON by hand (webhook event data, problem details, MCP answers): RFC 3339 in UTC with
 * {@code Z}, always with seconds and six fractional digits, {@code 2026-11-30T17:35:00.000000Z}. That is the
 * form SQL-built JSON uses ({@code to_char(... AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')}) and
 * PostgreSQL's precision, so one event family never mixes 6 and 9 digits. {@code OffsetDateTime.toString()}
 * must not be used on the wire: it drops zero seconds ({@code 17:35Z}), which strict RFC 3339 parsers refuse.
 */
public final class Times {

    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** The instant in the wire form; null stays null. Below microseconds is cut, not rounded. */
    public static String wire(Instant at) {
        return at == null ? null : WIRE.format(at.truncatedTo(ChronoUnit.MICROS));
    }

    /** The instant in the wire form, whatever the offset it carries; null stays null. */
    public static String wire(OffsetDateTime at) {
        return at == null ? null : wire(at.toInstant());
    }

    /** Whole seconds in UTC ({@code 2026-11-30T17:35:00Z}), the form of times the exceptions queue shows. */
    public static String seconds(OffsetDateTime at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}
