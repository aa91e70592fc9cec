package dev.shipgate.tracking;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tracking a code bought elsewhere: EasyPost starts a tracker, Shipgate keeps it and shows its history. */
public final class TrackerRoutes {

    record TrackRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9]+", message = "must be letters and digits") String trackingCode,
            @Size(max = 32) String carrier) {
    }

    record TrackerView(UUID id, String easypostId, String trackingCode, String carrier, String status, String publicUrl,
                       List<TrackingDetail> trackingDetails) {
    }

    private final EasyPostGateway gateway;
    private final Pool pool;
    private final Idempotency idempotency;

    public TrackerRoutes(EasyPostGateway gateway, Pool pool, Idempotency idempotency) {
        this.gateway = gateway;
        this.pool = pool;
        this.idempotency = idempotency;
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/trackers").handler(body).handler(idempotency.guard(201, this::create));
    }

    private Future<TrackerView> create(RoutingContext ctx) {
        TrackRequest request = Json.decode(ctx.body().buffer(), TrackRequest.class);
        Map<String, Object> params = new HashMap<>();
        params.put("tracking_code", request.trackingCode());
        if (request.carrier() != null) {
            params.put("carrier", request.carrier());
        }
        return gateway.call("create tracker", Repeat.SAFE, c -> c.tracker.create(params))
                .compose(t -> pool.preparedQuery(TrackingSql.UPSERT_TRACKER)
                        .execute(Tuple.of(UUID.randomUUID(), t.getId(), t.getTrackingCode(), t.getCarrier(), t.getStatus(),
                                t.getPublicUrl()))
                        .map(rows -> new TrackerView(rows.iterator().next().getUUID("id"), t.getId(), t.getTrackingCode(),
                                t.getCarrier(), t.getStatus(), t.getPublicUrl(),
                                t.getTrackingDetails() == null ? List.of() : t.getTrackingDetails().stream()
                                        .map(d -> new TrackingDetail(d.getStatus(), d.getMessage(),
                                                d.getDatetime() == null ? null : d.getDatetime().toInstant().atOffset(ZoneOffset.UTC),
                                                d.getTrackingLocation() == null ? null : d.getTrackingLocation().getCity(),
                                                d.getTrackingLocation() == null ? null : d.getTrackingLocation().getState(),
                                                d.getTrackingLocation() == null ? null : d.getTrackingLocation().getZip(),
                                                d.getTrackingLocation() == null ? null : d.getTrackingLocation().getCountry()))
                                        .toList())));
    }
}
