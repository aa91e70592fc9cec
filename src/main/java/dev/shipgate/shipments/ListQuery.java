package dev.shipgate.shipments;

import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The list's query string, parsed and checked: {@code limit}, {@code cursor}, {@code status},
 * {@code carrier}, {@code created_from}/{@code created_to} (days of the business's time zone,
 * {@code BUSINESS_TIMEZONE}, both inclusive: from that day's first instant there to the next day's) and {@code q}.
 */
record ListQuery(int limit, Optional<PageCursor> cursor, Optional<String> status, Optional<String> carrier,
                 Optional<OffsetDateTime> createdFrom, Optional<OffsetDateTime> createdBefore, Optional<String> q,
                 ZoneId timeZone) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** @param zone the business's time zone, whose days bare filter dates are (a DST day is 23 or 25 hours) */
    static ListQuery parse(MultiMap params, ZoneId zone) {
        int limit = Params.integer("limit", params.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<String> status = text(params, "status", 32);
        status.ifPresent(s -> {
            if (ShipmentStatus.fromWire(s).isEmpty()) {
                throw Problem.invalidParam("status", "must be one of " + String.join(", ", ShipmentStatus.wireNames())).exception();
            }
        });
        Optional<OffsetDateTime> from = day(params, "created_from").map(d -> d.atStartOfDay(zone).toOffsetDateTime());
        Optional<OffsetDateTime> before = day(params, "created_to").map(d -> d.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
        if (from.isPresent() && before.isPresent() && !from.get().isBefore(before.get())) {
            throw Problem.invalidParam("created_to", "must not be before created_from").exception();
        }
        Optional<String> q = text(params, "q", 100);
        if (q.isPresent() && q.get().length() < 3) {
            throw Problem.invalidParam("q", "must be at least 3 characters").exception();
        }
        return new ListQuery(limit, text(params, "cursor", 200).map(PageCursor::decode), status,
                text(params, "carrier", 64), from, before, q, zone);
    }

    private static Optional<String> text(MultiMap params, String name, int maxLength) {
        return Optional.ofNullable(Params.text(name, params.get(name), maxLength));
    }

    private static Optional<LocalDate> day(MultiMap params, String name) {
        return Optional.ofNullable(Params.date(name, params.get(name)));
    }
}
