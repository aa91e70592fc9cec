package dev.shipgate.shipments;

/** A bought label's files per format (migration V33). */
final class LabelFileSql {

    /** The file of shipment $1 in format $2 (lower case), if stored: the label as bought, or a conversion. */
    static final String FIND = """
            SELECT label_url AS url FROM shipments WHERE id = $1 AND label_format = $2 AND label_url IS NOT NULL
            UNION ALL
            SELECT url FROM shipment_labels WHERE shipment_id = $1 AND format = $2
            LIMIT 1""";

    /** The format shipment $1's label was bought in (lower case; null only without a label). */
    static final String BOUGHT_FORMAT = "SELECT label_format FROM shipments WHERE id = $1";

    /** Stores the file of shipment $1 in format $2 at $3; a file already stored for that format stays. */
    static final String STORE = """
            INSERT INTO shipment_labels (shipment_id, format, url) VALUES ($1, $2, $3)
            ON CONFLICT (shipment_id, format) DO NOTHING""";

    private LabelFileSql() {
    }
}
