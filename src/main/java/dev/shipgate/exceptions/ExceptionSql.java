package dev.shipgate.exceptions;

/**
 * The exceptions queue in SQL. An entry's order is stored, its reasons are worked out when read.
 *
 * <p>Each time-based reason becomes active at its own start: {@code no_movement} once the last movement plus
 * {@code EXCEPTION_STALL_DAYS} has passed, {@code never_scanned} once the purchase plus
 * {@code EXCEPTION_UNSCANNED_DAYS} has (days of 24 hours), {@code past_estimated_delivery} from the first midnight in
 * {@code BUSINESS_TIMEZONE} after the expected day. A candidate that is not active yet starts at or after now, so
 * once the least of {@code exception_since} ({@link QueueStay}), the status reason's start and every time-based
 * candidate, active or not, has passed, it is the entry's {@code since}, and the shipment stays in the queue until
 * a write changes it. That value depends on the row and the three settings only: it is kept in
 * {@code shipments.queue_since} by a trigger on every write (migration V59, which also puts the open rows in a
 * new order when a setting changes; {@link QueueSettings} writes the settings at startup).
 *
 * <p>A page is then a backward scan of the partial index {@code shipments_queue_idx} on {@code (queue_since, id)}
 * (the shipments whose {@code queue_since} is not null: {@link #OPEN} ones, not cancelled before a scan) from now,
 * or from the keyset cursor: the planner reads the page's rows and stops, however many shipments or queue
 * entries there are. Only those rows get their reasons
 * and acknowledgement, in one LATERAL over four small VALUES rows; entries filtered out by reason or as
 * acknowledged are read and skipped. {@code r.reasons IS NOT NULL} stays as a guard: a shipment whose stay
 * ({@code exception_since}) outlived its reasons after a settings change, or whose only candidate that has come is
 * one starting exactly now, has a {@code queue_since} that has come but is not in the queue.
 *
 * <p>The stored start may also not have passed for an entry: a status reason is active from the update that
 * writes the status and starts at the exception event's time as the carrier dated it, which can be ahead of the
 * service's clock, and a stored start of exactly now may be an inactive candidate's. Those few entries are read
 * apart (a point of the index, and the range after now of {@code shipments_queue_status_idx}, the open shipments
 * in an exception status) with their {@code since} worked out from the reasons that can be active then; each
 * of them is newer than every other entry, so they come first. The summary reads the entries the same way:
 * every entry, but not the parcels in flight whose time has not come, so it stays linear in the entries.
 *
 * <p>"Now" is the service's clock ({@code #{now}}, UTC) and {@code #{today}} the business's day at that
 * instant ({@link dev.shipgate.config.BusinessDay}), never the database's {@code now()}: every rule of the queue
 * is judged at one instant, which tests choose.
 */
final class ExceptionSql {

    /**
     * A bought label, not delivered, not refunded: the shipments that can be in the queue, and the predicate of the
     * partial index {@code shipments_undelivered_idx} (V42).
     */
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
     * The tracker statuses that are a reason by themselves ({@code cancelled} once scanned), as the predicate of
     * {@code shipments_queue_status_idx} spells it (V59). Such a reason is active at once, even when its start
     * (the exception event's time, as the carrier dated it) is still ahead of the service's clock.
     */
    static final String STATUS_REASONS = "('failure', 'return_to_sender', 'error', 'cancelled')";

    /**
     * An entry's {@code since} when its stored start has not passed yet ({@code queue_since >= #{now}}): then no
     * time-based reason can be active except a {@code past_estimated_delivery} that starts exactly now, so the
     * earliest start among the active reasons is that of the status reason, the stay's, or that one. Below now the
     * stored value is {@code since} itself (an inactive candidate starts at or after now, so it cannot be the least
     * of a set whose least is earlier); at or after now a candidate that is not active yet could be.
     */
    private static final String SINCE_NOT_PASSED = """
            least(s.exception_since,
                  CASE WHEN s.status IN %1$s THEN coalesce(s.exception_event_at, s.status_at, s.label_bought_at) END,
                  CASE WHEN %2$s < #{today} THEN (%2$s + 1)::timestamp AT TIME ZONE #{zone} END)""".formatted(STATUS_REASONS, EXPECTED);

    /**
     * Every queue entry with its reasons and acknowledgement; {@code #{stall_days}} and {@code #{unscanned_days}}
     * are the settings, {@code #{now}} the instant the queue is read at, {@code #{today}} the business's day then
     * and {@code #{zone}} its time zone: a parcel is past its estimated delivery day once that day has ended where
     * the business is (since the next local midnight), not at the UTC midnight, which in Los Angeles is 16:00 or
     * 17:00 that day. {@code since} is the earliest start of the entry's reasons, or the start of its stay in the
     * queue that tracking updates kept ({@code exception_since}, see {@link QueueStay}) when that is earlier: the
     * stored {@code queue_since} once that has passed. An acknowledgement holds while the entry has no reason it
     * did not have then and no exception event newer than the one it had seen.
     */
    static final String ENTRIES = entries(Reach.ANY.reached, Reach.ANY.since);

    /**
     * Which entries a statement reads and how it tells their {@code since}. A shipment that can be an entry is
     * one whose {@code queue_since} is not null (the trigger keeps it null for every other, V59), and the
     * statements say so rather than repeat {@link #OPEN}: the planner multiplies the selectivities of the
     * predicate's clauses as if they were independent of {@code queue_since}, estimated the entries of a range
     * at a hundredth of their number, and sorted the whole queue instead of reading the index in order.
     */
    private enum Reach {
        /** Every entry (one, the summary, an acknowledgement). */
        ANY("s.queue_since IS NOT NULL AND (s.queue_since <= #{now} OR s.status IN %s)".formatted(STATUS_REASONS),
                "CASE WHEN s.queue_since < #{now} THEN s.queue_since ELSE " + SINCE_NOT_PASSED + " END"),
        /** The entries whose stored start has passed: a backward range of {@code shipments_queue_idx}. */
        PASSED("s.queue_since < #{now}", "s.queue_since"),
        /**
         * The other entries, normally none: those whose start is exactly now, and those of a status reason dated
         * ahead of the service's clock (a carrier that writes its local time as UTC, a clock behind the carrier's),
         * read from the small {@code shipments_queue_status_idx} rather than from the parcels in flight whose
         * time-based reasons lie ahead. The bound at infinity changes no result: with it a plan made without the
         * parameters' values expects a narrow range there rather than a third of the index, and does not start
         * parallel workers to sort what is normally nothing.
         */
        NOT_PASSED("""
                (s.queue_since = #{now}
                 OR (s.queue_since > #{now} AND s.queue_since < 'infinity' AND s.status IN %s))""".formatted(STATUS_REASONS),
                SINCE_NOT_PASSED);

        final String reached;
        final String since;

        Reach(String reached, String since) {
            this.reached = reached;
            this.since = since;
        }
    }

    /** Each entry's acknowledgement, joined as the planner sees fit: the summary hashes them all at once. */
    private static final String JOIN_ACKNOWLEDGEMENT = "LEFT JOIN exception_acknowledgements a ON a.shipment_id = s.id";

    /**
     * Each entry's acknowledgement, looked up by its key for each row a page reads (the subquery is kept apart by
     * {@code OFFSET 0}): a page reads few rows, but a plan made for the generic parameters expects many and would
     * hash the whole, ever growing, acknowledgement table as soon as one row came.
     */
    private static final String LOOK_UP_ACKNOWLEDGEMENT = """
            LEFT JOIN LATERAL (SELECT * FROM exception_acknowledgements k WHERE k.shipment_id = s.id OFFSET 0) a ON true""";

    /** The entries among the shipments that meet {@code reached} (a condition on {@code s}), with this {@code since}. */
    private static String entries(String reached, String since) {
        return entries(reached, since, JOIN_ACKNOWLEDGEMENT);
    }

    private static String entries(String reached, String since, String acknowledgements) {
        return """
            SELECT s.id, s.easypost_id, s.carrier, s.service, s.tracking_code, s.status, s.reference, s.recipient_name,
                   s.created_at, s.label_bought_at, s.first_scan_at, s.status_at AS last_event_at, s.exception_event_at,
                   %2$s AS expected_delivery_date,
                   r.reasons, %3$s AS since,
                   a.reasons AS acknowledged_reasons, a.note, a.token_name, a.acknowledged_at,
                   (a.shipment_id IS NOT NULL AND r.reasons <@ a.reasons
                       AND coalesce(s.exception_event_at <= a.exception_event_at, s.exception_event_at IS NULL)) AS acknowledged
            FROM shipments s
            CROSS JOIN LATERAL (
                SELECT array_agg(x.reason ORDER BY x.reason) AS reasons
                FROM (VALUES
                    (CASE WHEN s.status IN ('failure', 'return_to_sender', 'error') THEN s.status
                          WHEN s.status = 'cancelled' AND s.first_scan_at IS NOT NULL THEN 'cancelled_after_pickup' END),
                    (CASE WHEN s.first_scan_at IS NOT NULL
                               AND coalesce(s.status_at, s.first_scan_at) + make_interval(hours => 24 * #{stall_days}) < #{now}
                          THEN 'no_movement' END),
                    (CASE WHEN %2$s < #{today} THEN 'past_estimated_delivery' END),
                    (CASE WHEN s.first_scan_at IS NULL
                               AND s.label_bought_at + make_interval(hours => 24 * #{unscanned_days}) < #{now}
                          THEN 'never_scanned' END)
                ) x(reason)
                WHERE x.reason IS NOT NULL) r
            %4$s
            WHERE %1$s
              AND NOT (s.status = 'cancelled' AND s.first_scan_at IS NULL)
              AND r.reasons IS NOT NULL""".formatted(reached, EXPECTED, since, acknowledgements);
    }

    /** The list's optional conditions, by bit of the variant mask. */
    static final String[] CONDITIONS = {
        "#{reason} = ANY(q.reasons)",
        "NOT q.acknowledged",
        "(q.since, q.id) < (#{cursor_at}, #{cursor_id})",
    };

    private static final String PASSED = entries(Reach.PASSED.reached, Reach.PASSED.since, LOOK_UP_ACKNOWLEDGEMENT);

    private static final String NOT_PASSED = entries(Reach.NOT_PASSED.reached, Reach.NOT_PASSED.since, LOOK_UP_ACKNOWLEDGEMENT);

    /**
     * A page of {@link #ENTRIES} with the {@link #CONDITIONS} of {@code mask}, newest {@code since} first. The order
     * and the cursor are on the stored column, so each part is an index read in order whose keyset condition
     * ({@code (queue_since, id) < cursor}) is its range, cut at the page's size: the entries whose start has not
     * passed (each of them newer than every other), then those whose start has. The two parts are at most
     * twice the page, and only they are sorted.
     */
    static String page(int mask) {
        StringBuilder where = new StringBuilder();
        String joiner = "\n    WHERE ";
        for (int i = 0; i < CONDITIONS.length; i++) {
            if ((mask & (1 << i)) != 0) {
                where.append(joiner).append(CONDITIONS[i]);
                joiner = "\n      AND ";
            }
        }
        String part = "(SELECT q.* FROM (%s) q" + where + "\n    ORDER BY q.since DESC, q.id DESC\n    LIMIT #{limit})";
        return "SELECT q.* FROM (\n" + part.formatted(NOT_PASSED) + "\nUNION ALL\n" + part.formatted(PASSED)
                + ") q\nORDER BY q.since DESC, q.id DESC\nLIMIT #{limit}";
    }

    /**
     * Open and acknowledged entries, overall (reason NULL) and per reason; the queue is worked out once. It reads
     * every entry (linear in the queue, as a count is), but only the entries: shipments whose {@code queue_since}
     * is still ahead (the parcels in flight) are outside the index range.
     */
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
            SELECT shipment_id FROM kept""".formatted(entries("s.id = #{id} AND " + Reach.ANY.reached, Reach.ANY.since));

    /** Every acknowledgement of shipment $1, newest first. */
    static final String HISTORY = """
            SELECT token_name, acknowledged_at, note, reasons
            FROM exception_acknowledgement_history
            WHERE shipment_id = $1
            ORDER BY acknowledged_at DESC, id DESC""";

    /** One entry (after acknowledging it, or read by id). */
    static final String ONE = "SELECT q.* FROM (" + entries("s.id = #{id} AND " + Reach.ANY.reached, Reach.ANY.since) + ") q";

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

    /** The queue's settings as stored (migration V59); no row when someone deleted it. */
    static final String STORED_SETTINGS = "SELECT exception_stall_days, exception_unscanned_days FROM business_settings";

    /**
     * Keeps writers of shipments out (and waits for those in flight) until new settings commit, so none computes
     * a {@code queue_since} with the old ones after the open rows were put in the new order. The mode conflicts
     * with itself, so two instances starting together take turns instead of deadlocking on the re-ordering.
     */
    static final String LOCK_SHIPMENTS = "LOCK TABLE shipments IN SHARE ROW EXCLUSIVE MODE";

    /**
     * Stores the settings ({@code ?} stall days, unscanned days, and the zone should the row be missing); the
     * settings row's trigger (V59) puts the open shipments in the new order in the same transaction. The zone of
     * an existing row is the rollup's to change ({@code analytics.Rollups}), so it is left alone.
     */
    static final String SAVE_SETTINGS = """
            INSERT INTO business_settings AS b (singleton, exception_stall_days, exception_unscanned_days, time_zone)
            VALUES (true, ?, ?, ?)
            ON CONFLICT (singleton) DO UPDATE
                SET exception_stall_days = excluded.exception_stall_days,
                    exception_unscanned_days = excluded.exception_unscanned_days""";

    private ExceptionSql() {
    }
}
