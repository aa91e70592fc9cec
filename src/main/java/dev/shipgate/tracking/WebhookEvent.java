package dev.shipgate.tracking;

import dev.shipgate.http.Problem;
import dev.shipgate.http.StorableText;
import dev.shipgate.shipments.ShipmentStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A verified EasyPost event, read field by field: a signed body that is not JSON is a 400, and a field of
 * the wrong type or one PostgreSQL could not store (a NUL) is a 422 naming it
 * ({@code result.tracking_details}), never a 500. Only tracker and batch events are read past id and description.
 */
record WebhookEvent(String id, String description, Tracker tracker, Batch batch) {

    /**
     * A tracker as the event saw it; {@code at} is its newest detail's time, else the tracker's own
     * {@code updated_at}, null when it has neither (an event that cannot be ordered against earlier ones);
     * {@code estDeliveryDate} is EasyPost's {@code est_delivery_date}, null when it gives none.
     */
    record Tracker(String trackingCode, String status, String shipmentId, List<TrackingDetail> details, OffsetDateTime at,
                   OffsetDateTime estDeliveryDate) {
    }

    /**
     * A batch as a {@code batch.updated} event saw it: EasyPost's id, its {@code state} (creating, created,
     * label_generating, label_generated, ..._failed) and its document's {@code label_url} once generated.
     */
    record Batch(String easypostId, String state, String labelUrl) {
    }

    static WebhookEvent parse(Buffer body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
            Objects.requireNonNull(json.getMap());
        } catch (RuntimeException e) {
            throw Problem.invalid(400, "the event is not a JSON object",
                    List.of(new Problem.InvalidParam("body", "must be a JSON object"))).exception();
        }
        Reader r = new Reader();
        String id = r.text(json, "id", "id", true);
        String description = r.text(json, "description", "description", true);
        Tracker tracker = null;
        Batch batch = null;
        if (r.faults.isEmpty() && (description.equals("tracker.updated") || description.equals("tracker.created"))) {
            JsonObject result = r.object(json, "result", "result", true);
            if (result != null) {
                tracker = tracker(r, result);
            }
        }
        if (r.faults.isEmpty() && (description.equals("batch.updated") || description.equals("batch.created"))) {
            JsonObject result = r.object(json, "result", "result", true);
            if (result != null) {
                batch = new Batch(r.text(result, "id", "result.id", true), r.text(result, "state", "result.state", true),
                        r.text(result, "label_url", "result.label_url", false));
            }
        }
        if (!r.faults.isEmpty()) {
            String detail = String.join("; ", r.faults.stream().map(p -> p.name() + " " + p.reason()).toList());
            throw Problem.invalid(422, detail, r.faults).exception();
        }
        return new WebhookEvent(id, description, tracker, batch);
    }

    /**
     * A tracker status as one of EasyPost's documented ones ({@link ShipmentStatus}, from its Tracker object's
     * {@code status}); any other is kept as {@code unknown}, so a status EasyPost adds later (or a signed event
     * with a made-up one) never becomes a shipment status the API cannot filter, the rollups count apart and the
     * exceptions queue does not know, while the event's details and messages are still stored. Null stays null
     * (the field's own check reports it).
     */
    static String known(String status) {
        if (status == null || ShipmentStatus.fromWire(status).isPresent()) {
            return status;
        }
        // said once per status (at most 100 kept), not per event
        if (UNKNOWN_SEEN.size() < 100 && UNKNOWN_SEEN.add(status)) {
            LOG.warn("EasyPost tracker status '{}' is not one Shipgate knows; kept as unknown",
                    status.substring(0, Math.min(64, status.length())));
        }
        return ShipmentStatus.UNKNOWN.wire();
    }

    private static final java.util.Set<String> UNKNOWN_SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookEvent.class);

    private static Tracker tracker(Reader r, JsonObject result) {
        String code = r.text(result, "tracking_code", "result.tracking_code", true);
        String status = known(r.text(result, "status", "result.status", true));
        String shipmentId = r.text(result, "shipment_id", "result.shipment_id", false);
        List<TrackingDetail> details = new ArrayList<>();
        Object raw = result.getValue("tracking_details");
        if (raw != null && !(raw instanceof JsonArray)) {
            r.fault("result.tracking_details", "must be a list of tracking details");
        } else if (raw != null) {
            JsonArray list = (JsonArray) raw;
            for (int i = 0; i < list.size(); i++) {
                String path = "result.tracking_details[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject d)) {
                    r.fault(path, "must be a tracking detail object");
                    continue;
                }
                String detailStatus = known(r.text(d, "status", path + ".status", true));
                String message = r.text(d, "message", path + ".message", false);
                OffsetDateTime at = r.time(d, "datetime", path + ".datetime");
                JsonObject where = r.object(d, "tracking_location", path + ".tracking_location", false);
                String loc = path + ".tracking_location.";
                details.add(new TrackingDetail(detailStatus, message, at,
                        where == null ? null : r.text(where, "city", loc + "city", false),
                        where == null ? null : r.text(where, "state", loc + "state", false),
                        where == null ? null : r.text(where, "zip", loc + "zip", false),
                        where == null ? null : r.text(where, "country", loc + "country", false)));
            }
        }
        // A tracker without a timed detail is placed in time by its own updated_at (EasyPost's Tracker object),
        // so a bare status can still be ordered against what the shipment already has.
        OffsetDateTime newest = details.stream().map(TrackingDetail::datetime).filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElseGet(() -> result.getValue("updated_at") == null ? null
                        : r.time(result, "updated_at", "result.updated_at"));
        OffsetDateTime estimate = result.getValue("est_delivery_date") == null ? null
                : r.time(result, "est_delivery_date", "result.est_delivery_date");
        return new Tracker(code, status, shipmentId, details, newest, estimate);
    }

    /** Reads typed members, collecting a fault per member of the wrong type, missing or unstorable. */
    private static final class Reader {

        final List<Problem.InvalidParam> faults = new ArrayList<>();

        void fault(String path, String reason) {
            faults.add(new Problem.InvalidParam(path, reason));
        }

        String text(JsonObject o, String key, String path, boolean required) {
            Object v = o.getValue(key);
            if (v == null) {
                if (required) {
                    fault(path, "is required");
                }
                return null;
            }
            if (!(v instanceof String s)) {
                fault(path, "must be a string");
                return null;
            }
            String reason = StorableText.problem(s);
            if (reason != null) {
                fault(path, reason);
                return null;
            }
            return s;
        }

        JsonObject object(JsonObject o, String key, String path, boolean required) {
            Object v = o.getValue(key);
            if (v == null && !required) {
                return null;
            }
            if (!(v instanceof JsonObject json)) {
                fault(path, v == null ? "is required" : "must be an object");
                return null;
            }
            return json;
        }

        OffsetDateTime time(JsonObject o, String key, String path) {
            String s = text(o, key, path, true);
            if (s == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(s);
            } catch (DateTimeParseException e) {
                fault(path, "must be an ISO-8601 date-time with an offset (2026-11-21T08:30:00Z)");
                return null;
            }
        }
    }
}
