package dev.shipgate.tracking;

import dev.shipgate.http.Handlers;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.ShipmentViews.EventView;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tracking on the raw path: status and latest event for up to 1,000 codes in one call, and one shipment's timeline. */
public final class TrackingRoutes {

    static final int MAX_CODES = 1000;

    record BatchTrackRequest(
            @NotNull @Size(min = 1, max = MAX_CODES) List<@NotBlank @Size(max = 64) String> trackingCodes) {
    }

    record Result(String trackingCode, UUID shipmentId, String status, EventView latestEvent) {
    }

    record BatchTrackResponse(List<Result> results, List<String> notFound) {
    }

    record Timeline(UUID shipmentId, List<EventView> events) {
    }

    private final SqlTemplate<Map<String, Object>, RowSet<TrackingSql.Tracked>> batchTrack;
    private final SqlTemplate<Map<String, Object>, RowSet<EventView>> timeline;
    private final SqlTemplate<Map<String, Object>, RowSet<TrackingSql.Tracked>> batchTrackPrimary;
    private final SqlTemplate<Map<String, Object>, RowSet<EventView>> timelinePrimary;
    private final boolean separateReads;

    /**
     * {@code readPool} answers first (a read replica, when one is configured); what it does not know yet, a
     * shipment created or a label bought a moment ago on the primary, is asked of {@code rawPool}, so a
     * client tracking what it just bought never gets a 404 or a not_found because of replication lag.
     */
    public TrackingRoutes(Pool rawPool, Pool readPool) {
        this.batchTrack = SqlTemplate.forQuery(readPool, TrackingSql.BATCH_TRACK).mapTo(TrackingSql.ROW);
        this.timeline = SqlTemplate.forQuery(readPool, TrackingSql.TIMELINE).mapTo(TrackingSql.EVENT);
        this.batchTrackPrimary = SqlTemplate.forQuery(rawPool, TrackingSql.BATCH_TRACK).mapTo(TrackingSql.ROW);
        this.timelinePrimary = SqlTemplate.forQuery(rawPool, TrackingSql.TIMELINE).mapTo(TrackingSql.EVENT);
        this.separateReads = readPool != rawPool;
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/shipments/batch-track").handler(body).handler(Handlers.json(this::batchTrack));
        router.get("/shipments/:id/events").handler(Handlers.json(this::timeline));
    }

    private Future<Timeline> timeline(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        UUID id = Params.uuid("id", ctx.pathParam("id"), "shipment id");
        return timeline.execute(Map.of("id", id))
                .compose(rows -> rows.size() == 0 && separateReads ? timelinePrimary.execute(Map.of("id", id)) : Future.succeededFuture(rows))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception();
                    }
                    List<EventView> events = new ArrayList<>(rows.size());
                    rows.forEach(e -> {
                        if (e != null) {
                            events.add(e);
                        }
                    });
                    return new Timeline(id, events);
                });
    }

    private Future<BatchTrackResponse> batchTrack(RoutingContext ctx) {
        BatchTrackRequest request = Json.decode(ctx.body().buffer(), BatchTrackRequest.class);
        String[] codes = new LinkedHashSet<>(request.trackingCodes().stream().map(String::trim).toList())
                .toArray(String[]::new);
        return batchTrack.execute(Map.of("codes", codes)).compose(rows -> {
            Map<String, TrackingSql.Tracked> found = new java.util.HashMap<>();
            rows.forEach(t -> found.put(t.code(), t));
            String[] missing = found.values().stream().filter(t -> t.shipmentId() == null).map(TrackingSql.Tracked::code)
                    .toArray(String[]::new);
            if (missing.length == 0 || !separateReads) {
                return Future.succeededFuture(answer(codes, found));
            }
            return batchTrackPrimary.execute(Map.of("codes", missing)).map(again -> {
                again.forEach(t -> found.put(t.code(), t));
                return answer(codes, found);
            });
        });
    }

    private static BatchTrackResponse answer(String[] codes, Map<String, TrackingSql.Tracked> found) {
        List<Result> results = new ArrayList<>(codes.length);
        List<String> notFound = new ArrayList<>();
        for (String code : codes) {
            TrackingSql.Tracked t = found.get(code);
            if (t == null || t.shipmentId() == null) {
                notFound.add(code);
            } else {
                results.add(new Result(t.code(), t.shipmentId(), t.status(), t.latestEvent()));
            }
        }
        return new BatchTrackResponse(results, notFound);
    }
}
