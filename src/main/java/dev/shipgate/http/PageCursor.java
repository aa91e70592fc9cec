package dev.shipgate.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

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

    /** One page of a list read with {@code LIMIT limit + 1}: the rows to answer, and the cursor to the next page if any. */
    public record Slice<T>(List<T> items, boolean hasMore, String nextCursor) {
    }

    /**
     * Cuts {@code rows} (read with one row more than {@code limit}) to a page; the extra row only says that
     * there is a next page, whose cursor is the position of the page's last row.
     */
    public static <T> Slice<T> slice(List<T> rows, int limit, Function<T, PageCursor> position) {
        boolean more = rows.size() > limit;
        List<T> page = more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows);
        return new Slice<>(page, more, more ? position.apply(page.get(page.size() - 1)).encode() : null);
    }
}
