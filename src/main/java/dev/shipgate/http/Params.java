package dev.shipgate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * Request parameters every feature reads the same way, failing with a 400 that names the parameter.
 * Anything that reaches SQL is checked here first: a NUL character or an unpaired surrogate (which
 * PostgreSQL refuses, a 500 otherwise) and lengths beyond what the query can use.
 */
public final class Params {

    private Params() {
    }

    /** A UUID in its canonical 36-character form. */
    public static UUID uuid(String name, String raw, String what) {
        try {
            if (raw != null && raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be " + what + " (a UUID)").exception();
    }

    /**
     * Optional free text (a search term, a filter value): null when absent or blank, else trimmed. At most
     * {@code maxLength} characters, and text PostgreSQL can store unchanged ({@link StorableText}).
     */
    public static String text(String name, String raw, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.codePointCount(0, raw.length()) > maxLength) {
            throw Problem.invalidParam(name, "must be at most " + maxLength + " characters").exception();
        }
        String reason = StorableText.problem(raw);
        if (reason != null) {
            throw Problem.invalidParam(name, reason).exception();
        }
        return raw.trim();
    }

    /**
     * An optional calendar day as {@code YYYY-MM-DD} (ISO 8601's extended date), null when absent or blank.
     * Anything else, an instant such as {@code 2026-11-30T00:00:00Z} included, is a 400 naming the parameter
     * and the form it takes rather than a length complaint.
     */
    public static java.time.LocalDate date(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            if (raw.length() == 10) {
                return java.time.LocalDate.parse(raw);
            }
        } catch (java.time.format.DateTimeParseException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be a date as YYYY-MM-DD").exception();
    }

    /** An optional whole number within bounds. */
    public static int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be a whole number from " + min + " to " + max).exception();
    }

    /**
     * Refuses query parameters a route does not take, as unknown body members are refused: a misspelt
     * {@code lable_format} on a call that spends money must not be ignored while labels are bought.
     * A parameter given more than once ({@code ?status=a&status=b}) is refused too, rather than reduced to
     * its first value, and so is a blank one ({@code ?status=%20}): no parameter takes an empty value to
     * mean something, and a scheduler writing an empty variable into the address must not export everything.
     * Fails with a 400 naming the first offending parameter (and, for an unknown one, the accepted ones).
     */
    public static void only(RoutingContext ctx, List<String> accepted) {
        for (String name : ctx.queryParams().names()) {
            if (!accepted.contains(name)) {
                throw Problem.invalidParam(name, accepted.isEmpty() ? "unknown parameter; this call takes none"
                        : "unknown parameter; accepted: " + String.join(", ", accepted)).exception();
            }
            List<String> values = ctx.queryParams().getAll(name);
            if (values.size() > 1) {
                throw Problem.invalidParam(name, "given more than once; give it once").exception();
            }
            if (values.get(0).isBlank()) {
                throw Problem.invalidParam(name, "must not be blank; leave it out for no filter").exception();
            }
        }
    }
}
