package dev.shipgate.shipments;

/** Lets tests in other packages EXPLAIN the shipment export's page statements. */
public final class ShipmentExportProbe {

    /** Bits of the list's conditions: status, carrier, created from, created before, q, keyset cursor. */
    public static final int STATUS = 1, CARRIER = 1 << 1, FROM = 1 << 2, BEFORE = 1 << 3, CURSOR = 1 << 5;

    private ShipmentExportProbe() {
    }

    /** A page's statement with the conditions of {@code mask}, with {@code #{named}} parameters. */
    public static String page(int mask) {
        return ShipmentListSql.exportPage(mask);
    }
}
