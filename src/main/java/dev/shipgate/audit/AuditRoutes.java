package dev.shipgate.audit;

import dev.shipgate.config.BusinessDay;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.Handlers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /audit?from=&to=&token=&operation=&limit=&cursor=} for an admin: the trail newest first,
 * cursor-paginated like the shipment list. {@code from}/{@code to} are dates (days of the business's time zone,
 * {@code BUSINESS_TIMEZONE}, both included, as every other list filter) or instants; {@code token} is a token id or name.
 */
public final class AuditRoutes {

    /** The operations the trail records: the audited entries of the route table, and a purchase's approval request. */
    private static final java.util.SortedSet<String> OPERATIONS = operations();

    private static java.util.SortedSet<String> operations() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(dev.shipgate.Services.routeScopes().operations());
        names.add("request_approval"); // written by Checkout when a buy waits for approval
        return java.util.Collections.unmodifiableSortedSet(names);
    }

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final Pool pool;
    private final BusinessDay days;

    /** @param days the business's days: what a bare date in {@code from}/{@code to} covers */
    public AuditRoutes(Pool pool, BusinessDay days) {
        this.pool = pool;
        this.days = days;
    }

    /** Mounts {@code GET /audit} on the protected router (the route table asks for {@code admin}). */
    public void mount(Router router) {
        router.get("/audit").handler(Handlers.json(this::page));
    }

    private Future<JsonObject> page(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("limit", "from", "to", "token", "operation", "cursor"));
        MultiMap q = ctx.queryParams();
        int limit = Params.integer("limit", q.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        OffsetDateTime from = time("from", q.get("from"), false, days);
        OffsetDateTime to = time("to", q.get("to"), true, days);
        if (from != null && to != null && !from.isBefore(to)) {
            throw Problem.invalidParam("to", "must be after from").exception();
        }
        String token = Params.text("token", q.get("token"), 100);
        UUID tokenId = null;
        String tokenName = null;
        if (token != null) {
            try {
                tokenId = UUID.fromString(token);
            } catch (IllegalArgumentException e) {
                tokenName = token;
            }
        }
        String operation = Params.text("operation", q.get("operation"), 64);
        if (operation != null && !OPERATIONS.contains(operation)) {
            // A misspelt operation would filter everything out and look like an empty trail.
            throw Problem.invalidParam("operation", "must be one of " + String.join(", ", OPERATIONS)).exception();
        }
        String cursor = Params.text("cursor", q.get("cursor"), 200);
        OffsetDateTime afterAt = null;
        UUID afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                afterAt = OffsetDateTime.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw Problem.invalidParam("cursor", "is not a cursor this API returned").exception();
            }
        }
        return pool.preparedQuery(AuditSql.PAGE)
                .execute(Tuple.from(java.util.Arrays.asList(from, to, tokenId, tokenName, operation, afterAt, afterId,
                        limit + 1)))
                .map(rows -> {
                    List<JsonObject> entries = new ArrayList<>();
                    String next = null;
                    for (Row row : rows) {
                        if (entries.size() == limit) {
                            JsonObject last = entries.get(entries.size() - 1);
                            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                                    (last.getString("at") + "|" + last.getString("id")).getBytes(StandardCharsets.UTF_8));
                            break;
                        }
                        entries.add(json(row));
                    }
                    return new JsonObject().put("entries", new JsonArray(entries))
                            .put("has_more", next != null).put("next_cursor", next);
                });
    }

    private static JsonObject json(Row row) {
        return new JsonObject()
                .put("id", row.getUUID("id").toString())
                .put("at", dev.shipgate.http.Times.wire(row.getOffsetDateTime("at")))
                .put("token_id", text(row.getUUID("token_id")))
                .put("token_name", row.getString("token_name"))
                .put("client", row.getString("client"))
                .put("operation", row.getString("operation"))
                .put("shipment_id", text(row.getUUID("shipment_id")))
                .put("job_id", text(row.getUUID("job_id")))
                .put("approval_id", text(row.getUUID("approval_id")))
                .put("target_token_id", text(row.getUUID("target_token")))
                .put("amount", row.getBigDecimal("amount") == null ? null : row.getBigDecimal("amount").toPlainString())
                .put("currency", row.getString("currency"))
                .put("status", row.getInteger("status"))
                .put("problem_type", row.getString("problem_type"))
                .put("request_id", row.getString("request_id"))
                .put("note", row.getString("note"));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** A date (start of that business day; for {@code to}, the end of it) or an ISO-8601 instant with offset. */
    private static OffsetDateTime time(String name, String raw, boolean endOfDay, BusinessDay days) {
        String value = Params.text(name, raw, 40);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return days.startOf(endOfDay ? day.plusDays(1) : day);
            }
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Problem.invalidParam(name, "must be a date (YYYY-MM-DD) or an instant (2026-11-30T10:00:00Z)").exception();
        }
    }
}
