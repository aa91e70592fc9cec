package dev.shipgate.shipments;

/** A bought label's files per format (migration V33). */
final class LabelFileSql {

    /** The file of shipment $1 in format $2 (lower case), if stored. */
    static final String FIND = "SELECT url FROM shipment_labels WHERE shipment_id = $1 AND format = $2";

    /** Every stored format of shipment $1. */
    static final String ALL = "SELECT format, url FROM shipment_labels WHERE shipment_id = $1 ORDER BY format";

    /** Stores the file of shipment $1 in format $2 at $3; a file already stored for that format stays. */
    static final String STORE = """
            INSERT INTO shipment_labels (shipment_id, format, url) VALUES ($1, $2, $3)
            ON CONFLICT (shipment_id, format) DO NOTHING""";

    private LabelFileSql() {
    }
}
