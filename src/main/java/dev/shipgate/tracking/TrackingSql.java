package dev.shipgate.tracking;

import dev.shipgate.shipments.ShipmentViews.EventView;
import io.vertx.sqlclient.templates.RowMapper;
import java.util.UUID;

/**
 * Tracking on the raw path: many codes, one round trip, one index probe per code for its latest event;
 * and the trackers this service asked EasyPost for.
 */
final class TrackingSql {

    static final String BATCH_TRACK = """
            SELECT c.code, s.id, s.status, e.status AS event_status, e.description, e.occurred_at,
                   e.city, e.state, e.zip, e.country
            FROM unnest(#{codes}::text[]) WITH ORDINALITY AS c(code, ord)
            LEFT JOIN shipments s ON s.tracking_code = c.code
            LEFT JOIN LATERAL (
                SELECT ev.status, ev.description, ev.occurred_at, ev.city, ev.state, ev.zip, ev.country
                FROM shipment_events ev
                WHERE ev.shipment_id = s.id
                ORDER BY ev.occurred_at DESC, ev.id DESC
                LIMIT 1
            ) e ON true
            ORDER BY c.ord""";

    /** A shipment's whole timeline, newest first; one row with no event when it has none, no row when it does not exist. */
    static final String TIMELINE = """
            SELECT ev.status AS event_status, ev.description, ev.occurred_at, ev.city, ev.state, ev.zip, ev.country
            FROM shipments s
            LEFT JOIN shipment_events ev ON ev.shipment_id = s.id
            WHERE s.id = #{id}
            ORDER BY ev.occurred_at DESC, ev.id DESC
            LIMIT 1000""";

    /** Remembers a tracker EasyPost made; asking again for the same code and carrier updates it. */
    static final String UPSERT_TRACKER = """
            INSERT INTO trackers (id, easypost_id, tracking_code, carrier, status, public_url)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tracking_code, carrier) DO UPDATE
                SET easypost_id = excluded.easypost_id, status = excluded.status, public_url = excluded.public_url,
                    updated_at = now()
            RETURNING id""";

    static final RowMapper<EventView> EVENT = row -> row.getString("event_status") == null ? null
            : new EventView(row.getString("event_status"), row.getString("description"),
                    row.getOffsetDateTime("occurred_at"), row.getString("city"), row.getString("state"),
                    row.getString("zip"), row.getString("country"));

    record Tracked(String code, UUID shipmentId, String status, EventView latestEvent) {
    }


    static final RowMapper<Tracked> ROW = row -> new Tracked(
            row.getString("code"),
            row.getUUID("id"),
            row.getString("status"),
            EVENT.map(row));

    private TrackingSql() {
    }
}
