package dev.shipgate.tracking;

import com.easypost.exception.EasyPostException;
import com.easypost.utils.Utilities;
import dev.shipgate.http.Problem;
import dev.shipgate.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * EasyPost's webhook: outside the API token, but only events signed with {@code EASYPOST_WEBHOOK_SECRET}
 * get in. Each event id is applied once; tracker events move the shipment's status and add its tracking
 * details, which batch-track and analytics then see.
 */
public final class WebhookRoutes {

    static final String SIGNATURE = "X-Hmac-Signature";

    private final Pool pool;
    private final Optional<String> secret;

    public WebhookRoutes(Pool pool, Optional<String> secret) {
        this.pool = pool;
        this.secret = secret;
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/webhooks/easypost").handler(body).handler(this::receive);
    }

    private void receive(RoutingContext ctx) {
        String signature = ctx.request().getHeader(SIGNATURE);
        byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (signature == null || secret.isEmpty() || !valid(raw, signature)) {
            ctx.response().putHeader("WWW-Authenticate", "HMAC realm=\"easypost\"");
            throw Problem.of(401, "Unauthorized", "a valid " + SIGNATURE + " is required").exception();
        }
        JsonObject event;
        try {
            event = new JsonObject(ctx.body().buffer());
        } catch (RuntimeException e) {
            throw Problem.of(400, "Malformed JSON", "the event is not a JSON object").exception();
        }
        String id = event.getString("id");
        String description = event.getString("description");
        if (id == null || description == null) {
            throw Problem.of(422, "Not an event", "an EasyPost event has an id and a description").exception();
        }
        pool.withTransaction(conn -> conn.preparedQuery(WebhookSql.REMEMBER).execute(Tuple.of(id, description))
                        .compose(fresh -> fresh.size() == 0
                                ? Future.succeededFuture(new JsonObject().put("received", true).put("duplicate", true))
                                : apply(conn, description, event.getJsonObject("result"))
                                        .map(applied -> new JsonObject().put("received", true).put("applied", applied))))
                .onSuccess(body -> Responses.json(ctx, body))
                .onFailure(ctx::fail);
    }

    private boolean valid(byte[] body, String signature) {
        try {
            Utilities.validateWebhook(body, Map.of(SIGNATURE, signature), secret.get());
            return true;
        } catch (EasyPostException | RuntimeException e) {
            return false;
        }
    }

    /** Applies a tracker event; other events are acknowledged and kept only as seen. */
    private Future<Integer> apply(SqlConnection conn, String description, JsonObject tracker) {
        if (tracker == null || !(description.equals("tracker.updated") || description.equals("tracker.created"))) {
            return Future.succeededFuture(0);
        }
        String code = tracker.getString("tracking_code");
        String status = tracker.getString("status");
        if (code == null || status == null) {
            return Future.failedFuture(Problem.of(422, "Not a tracker", "the tracker has no tracking_code or status").exception());
        }
        return conn.preparedQuery(WebhookSql.UPDATE_TRACKER).execute(Tuple.of(code, status))
                .compose(v -> conn.preparedQuery(WebhookSql.FIND_SHIPMENT).execute(Tuple.of(code, tracker.getString("shipment_id"))))
                .compose(found -> {
                    if (found.size() == 0) {
                        return Future.succeededFuture(0);
                    }
                    UUID shipment = found.iterator().next().getUUID("id");
                    List<Tuple> events = details(shipment, tracker.getJsonArray("tracking_details", new JsonArray()));
                    Future<?> inserted = events.isEmpty() ? Future.succeededFuture()
                            : conn.preparedQuery(WebhookSql.INSERT_EVENT).executeBatch(events);
                    return inserted.compose(x -> conn.preparedQuery(WebhookSql.UPDATE_STATUS).execute(Tuple.of(shipment, status)))
                            .map(updated -> 1);
                });
    }

    private static List<Tuple> details(UUID shipment, JsonArray details) {
        List<Tuple> out = new ArrayList<>();
        for (Object o : details) {
            if (!(o instanceof JsonObject d) || d.getString("status") == null || d.getString("datetime") == null) {
                continue;
            }
            OffsetDateTime at;
            try {
                at = OffsetDateTime.parse(d.getString("datetime"));
            } catch (DateTimeParseException e) {
                continue;
            }
            JsonObject where = d.getJsonObject("tracking_location", new JsonObject());
            out.add(Tuple.of(shipment, d.getString("status"), d.getString("message"), at, where.getString("city"),
                    where.getString("state"), where.getString("zip"), where.getString("country")));
        }
        return out;
    }
}
