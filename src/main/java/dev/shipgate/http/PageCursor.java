package dev.shipgate.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * Position after the last row of a page, newest first with the id breaking ties: the opaque
 * {@code cursor} of every keyset-paginated list (shipments, scan forms, pickups). Times keep microseconds,
 * PostgreSQL's precision, so no row is skipped or repeated across pages.
 */
public record PageCursor(OffsetDateTime createdAt, UUID id) {

    public String encode() {
        long micros = createdAt.toInstant().getEpochSecond() * 1_000_000 + createdAt.toInstant().getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String value) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
            return new PageCursor(at.atOffset(ZoneOffset.UTC), UUID.fromString(text.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw Problem.invalidParam("cursor", "is not a cursor this API returned").exception();
        }
    }
}
