package dev.shipgate.analytics;

import dev.shipgate.http.Problem;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The {@code from} and {@code to} query parameters of an analytics range, both inclusive, as the business's
 * days ({@code BUSINESS_TIMEZONE}, or UTC where the caller says so): one reading and one set of refusals for
 * {@code GET /analytics}, {@code GET /analytics/carriers} and {@code GET /analytics/export.csv}.
 */
record DateRange(LocalDate from, LocalDate to) {

    /**
     * Reads {@code from} and {@code to} from {@code params}: each required as {@code YYYY-MM-DD} (ISO 8601's
     * calendar date), {@code to} not before {@code from}, at most {@link AnalyticsRoutes#MAX_DAYS} days in
     * all. Throws a 400 problem naming the parameter otherwise.
     */
    static DateRange parse(MultiMap params) {
        LocalDate from = date("from", params.get("from"));
        LocalDate to = date("to", params.get("to"));
        if (to.isBefore(from)) {
            throw Problem.invalidParam("to", "must not be before from").exception();
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > AnalyticsRoutes.MAX_DAYS) {
            throw Problem.invalidParam("to", "the range may span at most " + AnalyticsRoutes.MAX_DAYS + " days").exception();
        }
        return new DateRange(from, to);
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
