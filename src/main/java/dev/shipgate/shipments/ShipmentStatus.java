package dev.shipgate.shipments;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A shipment's tracking status, as EasyPost's trackers report it (its {@code status} field), in one list
 * for the API's filters and checks; the dashboard's list ({@code webroot/app/ui.js}) is checked against
 * it by a test. Stored and sent by its wire name ({@link #wire()}), e.g. {@code in_transit}.
 */
public enum ShipmentStatus {
    UNKNOWN, PRE_TRANSIT, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, AVAILABLE_FOR_PICKUP, RETURN_TO_SENDER, FAILURE,
    CANCELLED, ERROR;

    /** The name EasyPost and the API use. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name, if there is one. */
    public static Optional<ShipmentStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }

    /** Every wire name, in EasyPost's order of a parcel's life. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ShipmentStatus::wire).toList();
    }
}
