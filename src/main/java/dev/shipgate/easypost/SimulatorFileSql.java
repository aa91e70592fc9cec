package dev.shipgate.easypost;

import java.util.List;

/**
 * Rewrites simulator document links stored at an earlier address ({@code https://localhost:PORT/...} of the
 * simulator itself, or an earlier {@code .../sim-files} base) to the current base ($1). EasyPost's own links
 * (https://easypost-files.s3..., never on localhost) do not match.
 */
final class SimulatorFileSql {

    private static final String OLD = "'^(https://localhost:[0-9]+|https?://[^/]+/sim-files)/(files|forms)/'";
    /** The path after the old base: the pattern's only capturing group, which {@code substring} answers. */
    private static final String PATH = "'^(?:https://localhost:[0-9]+|https?://[^/]+/sim-files)(/(?:files|forms)/.+)$'";

    private static String relink(String table, String column) {
        return "UPDATE " + table + " SET " + column + " = $1 || substring(" + column + " from " + PATH + ")"
                + " WHERE " + column + " ~ " + OLD + " AND " + column + " NOT LIKE $1 || '/%'";
    }

    static final List<String> RELINK = List.of(
            relink("shipments", "label_url"),
            relink("shipment_labels", "url"),
            relink("shipment_forms", "form_url"),
            relink("label_batches", "label_url"),
            relink("scan_forms", "form_url"));

    private SimulatorFileSql() {
    }
}
