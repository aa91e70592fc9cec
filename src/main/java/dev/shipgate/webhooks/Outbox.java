package dev.shipgate.webhooks;

import dev.shipgate.exceptions.ExceptionReason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * How a feature emits an outbound webhook event: by calling the database function {@code webhook_emit(type,
 * key, data)} (migration V44) inside the statement or transaction that makes the change, so the event exists
 * exactly when the change does (a transactional outbox). The function stores the event once per
 * {@code key} and queues one delivery per enabled endpoint subscribed to {@code type}; with no endpoint
 * subscribed it stores nothing. The {@link Dispatcher} sends what is queued.
 */
public final class Outbox {

    public static final String SHIPMENT_CREATED = "shipment.created";
    public static final String LABEL_PURCHASED = "label.purchased";
    public static final String TRACKING_UPDATED = "tracking.updated";
    public static final String SHIPMENT_EXCEPTION = "shipment.exception";
    public static final String JOB_COMPLETED = "job.completed";
    /** Sent only by {@code POST /webhook-endpoints/{id}/test}; no endpoint subscribes to it. */
    public static final String PING = "ping";

    /** The event types an endpoint may subscribe to ({@code "*"} means all of them). */
    public static final List<String> TYPES = List.of(SHIPMENT_CREATED, LABEL_PURCHASED, TRACKING_UPDATED,
            SHIPMENT_EXCEPTION, JOB_COMPLETED);

    /** The call on the raw pool's numbered parameters: $1 type, $2 dedupe key, $3 data as JSON text. */
    public static final String EMIT = "SELECT webhook_emit($1, $2, $3)";

    /** The same call for a Hibernate native query: ?1 type, ?2 dedupe key, ?3 data as JSON text. */
    public static final String EMIT_NATIVE = "select webhook_emit(?1, ?2, ?3)";

    /** EasyPost tracker statuses that are always an exception for the shipper. */
    /** Statuses after which the carrier has the parcel: a cancellation from there on is an exception. */

    private Outbox() {
    }

    /**
     * Emits an event on {@code client}, which should be the connection of the transaction making the
     * change. Completes with the number of deliveries queued (0 for a repeated key or no subscriber).
     */
    public static Future<Integer> emit(SqlClient client, String type, String key, JsonObject data) {
        return client.preparedQuery(EMIT).execute(Tuple.of(type, key, data.encode()))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    /**
     * Whether a tracking status moving from {@code previous} to {@code status} is an exception the shipper
     * must act on ({@code shipment.exception}): EasyPost's {@code failure}, {@code return_to_sender} and
     * {@code error}, or {@code cancelled} once the carrier had the parcel. EasyPost's tracker statuses:
     * https://docs.easypost.com/docs/trackers#tracker-object. The same rule as the exceptions queue's
     * ({@link ExceptionReason#ofTrackingStatus}), so an event and the queue never disagree.
     */
    public static boolean isException(String previous, String status) {
        return ExceptionReason.ofTrackingStatus(status, ExceptionReason.isCarrierScan(previous)).isPresent();
    }
}
