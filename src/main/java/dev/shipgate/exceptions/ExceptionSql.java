package dev.shipgate.exceptions;

/**
 * The exceptions queue in SQL, computed when read (the time-based reasons change with the clock, not with a
 * write). Every reason needs a label that is bought, not delivered and not refunded, so the candidates come
 * from the partial index {@code shipments_undelivered_idx} (migration V42), whose predicate {@link #OPEN}
 * repeats word for word: the planner reads days of in-flight parcels plus the stuck ones, never the
 * delivered bulk of the table, however many shipments there are. Each candidate's reasons and the time it
 * became an exception ({@code since}) are worked out in one LATERAL over four small VALUES rows; the page
 * is then a sort of that small set by {@code (since, id)}, newest first, cut at the keyset cursor.
 */
final class ExceptionSql {

    /** The partial index's predicate: a bought label, not delivered, not refunded. */
    static final String OPEN = """
            s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
              AND (s.refund_status IS NULL OR s.refund_status = 'rejected')""";

    /**
     * The carrier's estimated delivery day: the bought rate's date, else the tracker's first estimate. Both are
     * calendar dates the carrier writes as midnight UTC, so the date is read as written (the UTC date of the
     * value), never moved into another zone.
     */
    static final String EXPECTED = "coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date)";

    /**
     * Every queue entry with its reasons and acknowledgement; {@code #{stall_days}} and
     * {@code #{unscanned_days}} are the settings, {@code #{today}} the business's today and {@code #{zone}} its
     * time zone: a parcel is past its estimated delivery day once that day has ended where the business is
     * (since the next local midnight), not at the UTC midnight, which in Los Angeles is 16:00 or 17:00 that day.
     * {@code since} is the earliest start of the entry's reasons, or the start of its stay in the queue that
     * tracking updates kept ({@code exception_since}, see {@link QueueStay}) when that is earlier.
     * An acknowledgement holds while the entry has no reason it
     * did not have then and no exception event newer than the one it had seen.
     */
    static final String ENTRIES = """
            SELECT s.id, s.easypost_id, s.carrier, s.service, s.tracking_code, s.status, s.reference, s.recipient_name,
                   s.created_at, s.label_bought_at, s.first_scan_at, s.status_at AS last_event_at, s.exception_event_at,
                   %2$s AS expected_delivery_date,
                   r.reasons, least(s.exception_since, r.since) AS since,
                   a.reasons AS acknowledged_reasons, a.note, a.token_name, a.acknowledged_at,
                   (a.shipment_id IS NOT NULL AND r.reasons <@ a.reasons
                       AND coalesce(s.exception_event_at <= a.exception_event_at, s.exception_event_at IS NULL)) AS acknowledged
            FROM shipments s
            CROSS JOIN LATERAL (
                SELECT array_agg(x.reason ORDER BY x.reason) AS reasons, min(x.since) AS since
                FROM (VALUES
                    (CASE WHEN s.status IN ('failure', 'return_to_sender', 'error') THEN s.status
                          WHEN s.status = 'cancelled' AND s.first_scan_at IS NOT NULL THEN 'cancelled_after_pickup' END,
                     coalesce(s.exception_event_at, s.status_at, s.label_bought_at)),
                    (CASE WHEN s.first_scan_at IS NOT NULL
                               AND coalesce(s.status_at, s.first_scan_at) < now() - make_interval(days => #{stall_days})
                          THEN 'no_movement' END,
                     coalesce(s.status_at, s.first_scan_at) + make_interval(days => #{stall_days})),
                    (CASE WHEN %2$s < #{today} THEN 'past_estimated_delivery' END,
                     ((%2$s + 1)::timestamp AT TIME ZONE #{zone})),
                    (CASE WHEN s.first_scan_at IS NULL AND s.label_bought_at < now() - make_interval(days => #{unscanned_days})
                          THEN 'never_scanned' END,
                     s.label_bought_at + make_interval(days => #{unscanned_days}))
                ) x(reason, since)
                WHERE x.reason IS NOT NULL) r
            LEFT JOIN exception_acknowledgements a ON a.shipment_id = s.id
            WHERE %1$s
              AND NOT (s.status = 'cancelled' AND s.first_scan_at IS NULL)
              AND r.reasons IS NOT NULL""".formatted(OPEN, EXPECTED);

    /** The list's optional conditions, by bit of the variant mask. */
    static final String[] CONDITIONS = {
        "#{reason} = ANY(q.reasons)",
        "NOT q.acknowledged",
        "(q.since, q.id) < (#{cursor_at}, #{cursor_id})",
    };

    static String page(int mask) {
        StringBuilder sql = new StringBuilder("SELECT q.* FROM (").append(ENTRIES).append(") q");
        String joiner = "\nWHERE ";
        for (int i = 0; i < CONDITIONS.length; i++) {
            if ((mask & (1 << i)) != 0) {
                sql.append(joiner).append(CONDITIONS[i]);
                joiner = "\n  AND ";
            }
        }
        return sql.append("\nORDER BY q.since DESC, q.id DESC\nLIMIT #{limit}").toString();
    }

    /** Open and acknowledged entries, overall (reason NULL) and per reason; the queue is worked out once. */
    static final String SUMMARY = """
            WITH q AS MATERIALIZED (%s)
            SELECT NULL AS reason, count(*) FILTER (WHERE NOT q.acknowledged) AS open,
                   count(*) FILTER (WHERE q.acknowledged) AS acknowledged
            FROM q
            UNION ALL
            SELECT reason, count(*) FILTER (WHERE NOT q.acknowledged), count(*) FILTER (WHERE q.acknowledged)
            FROM q, unnest(q.reasons) reason
            GROUP BY reason""".formatted(ENTRIES);

    /**
     * Acknowledges shipment {@code #{id}}'s entry as it is now (its reasons and newest exception event), with
     * who and the note, and keeps the acknowledgement in the history. An acknowledgement that still holds (no
     * new reason, no newer exception event) is left alone: the {@code ON CONFLICT ... WHERE} is evaluated on
     * the latest committed row, so of parallel acknowledgements exactly one writes. No row: not in the queue,
     * or acknowledged already.
     */
    static final String ACKNOWLEDGE = """
            WITH entry AS (SELECT q.* FROM (%s) q WHERE q.id = #{id}),
            ack AS (
                INSERT INTO exception_acknowledgements AS a
                    (shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at)
                SELECT id, reasons, exception_event_at, #{note}::text, #{token_id}::uuid, #{token_name}::text, now() FROM entry
                ON CONFLICT (shipment_id) DO UPDATE
                    SET reasons = excluded.reasons, exception_event_at = excluded.exception_event_at, note = excluded.note,
                        token_id = excluded.token_id, token_name = excluded.token_name, acknowledged_at = excluded.acknowledged_at
                    WHERE NOT (excluded.reasons <@ a.reasons
                               AND coalesce(excluded.exception_event_at <= a.exception_event_at, excluded.exception_event_at IS NULL))
                RETURNING a.*),
            kept AS (
                INSERT INTO exception_acknowledgement_history
                    (shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at)
                SELECT shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at FROM ack
                RETURNING shipment_id)
            SELECT shipment_id FROM kept""".formatted(ENTRIES.replace("WHERE " + OPEN, "WHERE s.id = #{id} AND " + OPEN));

    /** Every acknowledgement of shipment $1, newest first. */
    static final String HISTORY = """
            SELECT token_name, acknowledged_at, note, reasons
            FROM exception_acknowledgement_history
            WHERE shipment_id = $1
            ORDER BY acknowledged_at DESC, id DESC""";

    /** One entry (after acknowledging it, or read by id). */
    static final String ONE = "SELECT q.* FROM (" + ENTRIES.replace("WHERE " + OPEN, "WHERE s.id = #{id} AND " + OPEN) + ") q";

    /**
     * Whether an exception event at $2 re-opens shipment $1's acknowledged entry: the acknowledgement still
     * held for exception events (the shipment's newest one is no newer than the one it saw) and $2 is newer.
     * Read before the event's facts are written, in the event's transaction (the shipment row is locked).
     */
    static final String REOPENS = """
            SELECT 1 FROM shipments s JOIN exception_acknowledgements a ON a.shipment_id = s.id
            WHERE s.id = $1 AND $2::timestamptz IS NOT NULL AND %s
              AND coalesce(s.exception_event_at <= a.exception_event_at, s.exception_event_at IS NULL)
              AND (a.exception_event_at IS NULL OR $2::timestamptz > a.exception_event_at)""".formatted(OPEN);

    /** Records $2 (UTC, or null: not in the queue) as the start of shipment $1's stay in the queue. */
    static final String KEEP_STAY = """
            UPDATE shipments SET exception_since = $2
            WHERE id = $1 AND exception_since IS DISTINCT FROM $2::timestamptz""";

    /**
     * When shipment $1's current run of exception details began (UTC): its first exception detail after the
     * newest other detail, while its status is an exception; no row value otherwise. One tracker event can
     * carry a whole run (failure, then another failure), which the status alone does not show.
     */
    static final String RUN_START = """
            SELECT min(e.occurred_at) AS started
            FROM shipments t JOIN shipment_events e ON e.shipment_id = t.id
            WHERE t.id = $1
              AND (t.status IN ('failure', 'return_to_sender', 'error') OR (t.status = 'cancelled' AND t.first_scan_at IS NOT NULL))
              AND e.status IN ('failure', 'return_to_sender', 'error', 'cancelled')
              AND e.occurred_at > coalesce((SELECT max(o.occurred_at) FROM shipment_events o
                                            WHERE o.shipment_id = t.id
                                              AND o.status NOT IN ('failure', 'return_to_sender', 'error', 'cancelled')
                                              AND o.occurred_at <= coalesce(t.status_at, 'infinity')), '-infinity')""";

    static final String EXISTS = "SELECT 1 FROM shipments WHERE id = $1";

    private ExceptionSql() {
    }
}
