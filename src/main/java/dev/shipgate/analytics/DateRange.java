package dev.shipgate.analytics;

import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The range query parameters of analytics, both ends inclusive, as the business's days
 * ({@code BUSINESS_TIMEZONE}): {@code from} and {@code to}, or the last {@code days} days up to today. One
 * reading and one set of refusals for {@code GET /analytics}, {@code GET /analytics/carriers} and
 * {@code GET /analytics/export.csv} (and so for the MCP tools that call them).
 */
record DateRange(LocalDate from, LocalDate to) {

    /**
     * Reads {@code days} (1 to {@link AnalyticsRoutes#MAX_DAYS}: today, the business's {@code today}, and the
     * days before it) or {@code from} and {@code to} (each {@code YYYY-MM-DD}, ISO 8601's calendar date, {@code to}
     * not before {@code from}, at most {@link AnalyticsRoutes#MAX_DAYS} days in all). Throws a 400 problem naming
     * the parameter otherwise, or {@code days} when it is combined with {@code from} or {@code to}.
     */
    static DateRange parse(MultiMap params, LocalDate today) {
        if (params.get("days") != null) {
            if (params.get("from") != null || params.get("to") != null) {
                throw Problem.invalidParam("days", "cannot be combined with from and to").exception();
            }
            int days = Params.integer("days", params.get("days"), 1, 1, AnalyticsRoutes.MAX_DAYS);
            return new DateRange(today.minusDays(days - 1), today);
        }
        LocalDate from = date("from", params.get("from"));
        LocalDate to = date("to", params.get("to"));
        if (to.isBefore(from)) {
            throw Problem.invalidParam("to", "must not be before from").exception();
        }
        if (Periods.length(from, to) > AnalyticsRoutes.MAX_DAYS) {
            throw Problem.invalidParam("to", "the range may span at most " + AnalyticsRoutes.MAX_DAYS + " days").exception();
        }
        return new DateRange(from, to);
    }

    /** Days in the range, both ends included. */
    int length() {
        return Periods.length(from, to);
    }

    /** One {@code YYYY-MM-DD} date parameter; a 400 problem naming {@code name} when missing or malformed. */
    static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            throw Problem.invalidParam(name, "is required, as YYYY-MM-DD").exception();
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value);
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be a date as YYYY-MM-DD").exception();
    }
}
