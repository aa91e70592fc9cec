package dev.shipgate.scanforms;

/**
 * Scan forms on the raw path. The reservation is the heart of it: a form's shipments are inserted into
 * {@code scan_form_shipments} (keyed by shipment) in the same transaction as the form, before EasyPost is
 * asked, so two overlapping requests cannot both reach EasyPost with the same shipment.
 */
final class ScanFormSql {

    /** Shipments $1 with what decides whether they may go on a form. */
    static final String CANDIDATES_BY_ID = """
            SELECT s.id, s.easypost_id, s.carrier, s.label_url, s.refund_status, s.tracking_code, f.scan_form_id
            FROM shipments s LEFT JOIN scan_form_shipments f ON f.shipment_id = s.id
            WHERE s.id = ANY($1)""";

    /**
     * Bought, unrefunded (no refund submitted or refunded), unmanifested shipments of carrier $1 (any case) whose labels were bought in [$2, $3), from the
     * origin $4/$5/$6 (street1, zip, country, compared case-insensitively) when $4 is not null.
     */
    static final String CANDIDATES_OF_DAY = """
            SELECT s.id, s.easypost_id, s.carrier, s.label_url, s.refund_status, s.tracking_code, NULL::uuid AS scan_form_id
            FROM shipments s JOIN addresses a ON a.id = s.from_address_id
            WHERE s.label_url IS NOT NULL AND (s.refund_status IS NULL OR s.refund_status NOT IN ('submitted', 'refunded'))
              AND lower(s.carrier) = lower($1)
              AND s.label_bought_at >= $2 AND s.label_bought_at < $3
              AND ($4::text IS NULL OR (lower(a.street1) = lower($4) AND a.zip = $5 AND a.country = $6))
              AND NOT EXISTS (SELECT 1 FROM scan_form_shipments f WHERE f.shipment_id = s.id)
            ORDER BY s.label_bought_at, s.id
            LIMIT $7""";

    static final String INSERT_FORM = "INSERT INTO scan_forms (id, status, carrier) VALUES ($1, 'reserving', $2)";

    /** Reserves shipments $1 for form $2; fails with 23505 when any of them is on a form already. */
    static final String RESERVE = """
            INSERT INTO scan_form_shipments (shipment_id, scan_form_id) SELECT unnest($1::uuid[]), $2""";

    /** Which of shipments $1 are on a form, and which. */
    static final String TAKEN = "SELECT shipment_id, scan_form_id FROM scan_form_shipments WHERE shipment_id = ANY($1)";

    static final String CREATED = """
            UPDATE scan_forms SET status = 'created', easypost_id = $2, form_url = $3, form_file_type = $4,
                   confirmation = $5, message = $6, updated_at = now()
            WHERE id = $1""";

    /** EasyPost refused, or shows no such form: the form and its reservations go. */
    static final String DROP = "DELETE FROM scan_forms WHERE id = $1 AND status <> 'created'";

    /**
     * Up to $2 forms whose outcome at EasyPost is unknown: unverified, or still reserving after $1 seconds
     * (left by a crash), with their shipments' tracking codes.
     */
    static final String UNSETTLED = """
            SELECT sf.id, array_agg(s.tracking_code) AS tracking_codes
            FROM scan_forms sf JOIN scan_form_shipments f ON f.scan_form_id = sf.id JOIN shipments s ON s.id = f.shipment_id
            WHERE sf.status = 'unverified' OR (sf.status = 'reserving' AND sf.updated_at < now() - make_interval(secs => $1))
            GROUP BY sf.id ORDER BY min(sf.created_at) LIMIT $2""";

    /** EasyPost's outcome is unknown: the shipments stay held until it is settled. */
    static final String UNVERIFIED = "UPDATE scan_forms SET status = 'unverified', updated_at = now() WHERE id = $1";

    static final String FORM = """
            SELECT id, easypost_id, status, carrier, form_url, form_file_type, confirmation, message, created_at, updated_at
            FROM scan_forms WHERE id = $1""";

    static final String FORM_SHIPMENTS = """
            SELECT s.id, s.easypost_id, s.tracking_code, s.reference, s.recipient_name, s.service
            FROM scan_form_shipments f JOIN shipments s ON s.id = f.shipment_id
            WHERE f.scan_form_id = $1 ORDER BY s.tracking_code""";

    private static final String PAGE_SELECT = """
            SELECT sf.id, sf.easypost_id, sf.status, sf.carrier, sf.form_url, sf.created_at,
                   (SELECT count(*) FROM scan_form_shipments f WHERE f.scan_form_id = sf.id) AS shipment_count
            FROM scan_forms sf""";

    /** The newest $1 forms. */
    static final String FIRST_PAGE = PAGE_SELECT + "\nORDER BY sf.created_at DESC, sf.id DESC LIMIT $1";

    /** The newest $1 forms after cursor ($2, $3). */
    static final String NEXT_PAGE = PAGE_SELECT
            + "\nWHERE (sf.created_at, sf.id) < ($2, $3)\nORDER BY sf.created_at DESC, sf.id DESC LIMIT $1";

    /** A business day's ($1 to $2) bought, unmanifested shipments per carrier, for the end-of-day page. */
    static final String OPEN_TODAY = """
            SELECT s.carrier, count(*) AS shipments, array_agg(s.id ORDER BY s.label_bought_at) AS ids
            FROM shipments s
            WHERE s.label_url IS NOT NULL AND (s.refund_status IS NULL OR s.refund_status NOT IN ('submitted', 'refunded'))
              AND s.label_bought_at >= $1 AND s.label_bought_at < $2
              AND NOT EXISTS (SELECT 1 FROM scan_form_shipments f WHERE f.shipment_id = s.id)
            GROUP BY s.carrier ORDER BY s.carrier""";

    private ScanFormSql() {
    }
}
