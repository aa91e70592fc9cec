package dev.shipgate.exceptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The exceptions queue in SQL, computed when read (the time-based reasons change with the clock, not with a
 * write). Every reason needs a label that is bought, not delivered and not refunded ({@link #OPEN}, the
 * predicate of every queue index, repeated word for word). Each entry's reasons and the time it became an
 * exception ({@code since}) are worked out in one LATERAL over four small VALUES rows ({@link #ENTRIES}).
 * <p>
 * Which shipments to work them out for: a page and the summary read the queue in four branches, one per kind
 * of reason, each a range scan of that reason's index (migration V52) keyed by when the reason began; the
 * time-based reasons hold exactly for the keys older than now minus their days, so a branch reads only
 * shipments that have its reason, never every parcel in flight. A page takes a page from each branch in the
 * queue's order ({@code since}, id, newest first, after the keyset cursor) and merges them. The single-entry
 * statements ({@link #ACKNOWLEDGE}, {@link #ONE}) look the shipment up by id.
 */
final class ExceptionSql {

    /** The partial index's predicate: a bought label, not delivered, not refunded. */
    static final String OPEN = """
            s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
              AND (s.refund_status IS NULL OR s.refund_status = 'rejected')""";

    /** The carrier's estimated delivery day: the bought rate's date, else the tracker's first estimate (UTC day). */
    static final String EXPECTED = "coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date)";

    /**
     * Every queue entry with its reasons and acknowledgement; {@code #{stall_days}} and
     * {@code #{unscanned_days}} are the settings. An acknowledgement holds while the entry has no reason it
     * did not have then and no exception event newer than the one it had seen.
     */
    static final String ENTRIES = """
            SELECT s.id, s.easypost_id, s.carrier, s.service, s.tracking_code, s.status, s.reference, s.recipient_name,
                   s.created_at, s.label_bought_at, s.first_scan_at, s.status_at AS last_event_at, s.exception_event_at,
                   %2$s AS expected_delivery_date,
                   r.reasons, r.since,
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
                    (CASE WHEN %2$s < (now() AT TIME ZONE 'UTC')::date THEN 'past_estimated_delivery' END,
                     ((%2$s + 1)::timestamp AT TIME ZONE 'UTC')),
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

    /**
     * The queue split by the reason that gives an entry its {@code since} (its earliest reason; on a tie, the
     * first of these): each entry is in exactly one branch, and within its branch {@code since} is the
     * branch's index key plus a constant, so a branch is a range scan of its index (migration V52) in the
     * queue's order. Each is: the reason's condition on the shipment (part of its index's predicate), the
     * index key, that the entry has the reason and takes its {@code since} from it (the key, or the key plus
     * the setting's days; {@code since} is the earliest of the reasons' times, so "at or after" means "equal",
     * and is not taken by the planner for a rare equality), the key's range where the reason holds now, and its range at or before a cursor's
     * {@code since}.
     */
    private record Branch(String shipments, String key, String claims, String holds, String upToCursor) {
    }

    private static final Branch[] BRANCHES = {
        new Branch("q.status IN ('failure', 'return_to_sender', 'error', 'cancelled')",
                "coalesce(q.exception_event_at, q.last_event_at, q.label_bought_at)",
                "q.since >= coalesce(q.exception_event_at, q.last_event_at, q.label_bought_at)"
                        + " AND q.reasons::text[] && ARRAY['failure', 'return_to_sender', 'error', 'cancelled_after_pickup']",
                null,
                "coalesce(q.exception_event_at, q.last_event_at, q.label_bought_at) <= #{cursor_at}::timestamptz"),
        new Branch("q.first_scan_at IS NOT NULL",
                "coalesce(q.last_event_at, q.first_scan_at)",
                "q.since >= coalesce(q.last_event_at, q.first_scan_at) + make_interval(days => #{stall_days})"
                        + " AND array_position(q.reasons, 'no_movement') IS NOT NULL",
                "coalesce(q.last_event_at, q.first_scan_at) < now() - make_interval(days => #{stall_days})",
                "coalesce(q.last_event_at, q.first_scan_at) <= #{cursor_at}::timestamptz - make_interval(days => #{stall_days})"),
        new Branch(null,
                "q.expected_delivery_date",
                "q.since >= ((q.expected_delivery_date + 1)::timestamp AT TIME ZONE 'UTC')"
                        + " AND array_position(q.reasons, 'past_estimated_delivery') IS NOT NULL",
                "q.expected_delivery_date < (now() AT TIME ZONE 'UTC')::date",
                "q.expected_delivery_date < (#{cursor_at}::timestamptz AT TIME ZONE 'UTC')::date"),
        new Branch("q.first_scan_at IS NULL",
                "q.label_bought_at",
                "q.since >= q.label_bought_at + make_interval(days => #{unscanned_days})"
                        + " AND array_position(q.reasons, 'never_scanned') IS NOT NULL",
                "q.label_bought_at < now() - make_interval(days => #{unscanned_days})",
                "q.label_bought_at <= #{cursor_at}::timestamptz - make_interval(days => #{unscanned_days})"),
    };

    /**
     * Branch {@code b}'s entries with the {@link #CONDITIONS} of {@code mask}; {@code page} orders them by the
     * branch's index key and cuts them at {@code #{limit}}.
     */
    private static String branch(int b, int mask, boolean page) {
        Branch branch = BRANCHES[b];
        List<String> where = new ArrayList<>();
        if (branch.shipments() != null) {
            where.add(branch.shipments());
        }
        if (branch.holds() != null) {
            where.add(branch.holds());
        }
        if ((mask & CURSOR) != 0) {
            where.add(branch.upToCursor());
        }
        where.add(branch.claims());
        for (int earlier = 0; earlier < b; earlier++) {
            where.add("(" + BRANCHES[earlier].claims() + ") IS NOT TRUE");
        }
        for (int i = 0; i < CONDITIONS.length; i++) {
            if ((mask & (1 << i)) != 0) {
                where.add(CONDITIONS[i]);
            }
        }
        String sql = "SELECT q.* FROM (" + ENTRIES + ") q\nWHERE " + String.join("\n  AND ", where);
        return page ? "(" + sql + "\nORDER BY " + branch.key() + " DESC, q.id DESC\nLIMIT #{limit})" : sql;
    }

    private static final int CURSOR = 1 << 2;

    /**
     * A page: each branch's first {@code #{limit}} entries in the queue's order (a range scan of its index, of
     * about a page of rows), merged and cut at {@code #{limit}}, so a page reads at most four pages of entries
     * however many parcels are in flight.
     */
    static String page(int mask) {
        List<String> branches = new ArrayList<>();
        for (int b = 0; b < BRANCHES.length; b++) {
            branches.add(branch(b, mask, true));
        }
        return "SELECT q.* FROM (\n" + String.join("\nUNION ALL\n", branches) + ") q"
                + "\nORDER BY q.since DESC, q.id DESC\nLIMIT #{limit}";
    }

    /**
     * Open and acknowledged entries, overall (reason NULL) and per reason; the queue is read once, branch by
     * branch, each a range scan over the shipments that have its reason now.
     */
    static final String SUMMARY = """
            WITH q AS MATERIALIZED (%s)
            SELECT NULL AS reason, count(*) FILTER (WHERE NOT q.acknowledged) AS open,
                   count(*) FILTER (WHERE q.acknowledged) AS acknowledged
            FROM q
            UNION ALL
            SELECT reason, count(*) FILTER (WHERE NOT q.acknowledged), count(*) FILTER (WHERE q.acknowledged)
            FROM q, unnest(q.reasons) reason
            GROUP BY reason""".formatted(String.join("\nUNION ALL\n",
                    java.util.stream.IntStream.range(0, BRANCHES.length).mapToObj(b -> branch(b, 0, false)).toList()));

    /**
     * Acknowledges shipment {@code #{id}}'s entry as it is now (its reasons and newest exception event), with
     * who and the note; a repeat replaces the earlier acknowledgement. No row: not in the queue.
     */
    static final String ACKNOWLEDGE = """
            WITH entry AS (SELECT q.* FROM (%s) q WHERE q.id = #{id})
            INSERT INTO exception_acknowledgements AS a
                (shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at)
            SELECT id, reasons, exception_event_at, #{note}::text, #{token_id}::uuid, #{token_name}::text, now() FROM entry
            ON CONFLICT (shipment_id) DO UPDATE
                SET reasons = excluded.reasons, exception_event_at = excluded.exception_event_at, note = excluded.note,
                    token_id = excluded.token_id, token_name = excluded.token_name, acknowledged_at = excluded.acknowledged_at
            RETURNING shipment_id""".formatted(ENTRIES.replace("WHERE " + OPEN, "WHERE s.id = #{id} AND " + OPEN));

    /** One entry, after acknowledging it. */
    static final String ONE = "SELECT q.* FROM (" + ENTRIES.replace("WHERE " + OPEN, "WHERE s.id = #{id} AND " + OPEN) + ") q";

    static final String EXISTS = "SELECT 1 FROM shipments WHERE id = $1";

    private ExceptionSql() {
    }
}
