package dev.shipgate;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Known shipments written straight into the database, so tests can assert exact answers. */
public final class Fixtures {

    private Fixtures() {
    }

    public record Shipment(UUID id, String trackingCode, OffsetDateTime createdAt) {
    }

    public static Shipment shipment(String status, String carrier, String service, String rate, String trackingCode,
                                    String reference, String recipient, OffsetDateTime createdAt) {
        UUID id = UUID.randomUUID();
        UUID from = UUID.randomUUID();
        UUID to = UUID.randomUUID();
        UUID parcel = UUID.randomUUID();
        TestDatabase.execute("INSERT INTO addresses (id, name, street1, city, state, zip) VALUES "
                + "('" + from + "', 'Warehouse', '1 Dock Rd', 'Oakland', 'CA', '94607'), "
                + "('" + to + "', " + quote(recipient) + ", '5 Elm St', 'Boston', 'MA', '02108')");
        TestDatabase.execute("INSERT INTO parcels (id, length, width, height, weight) VALUES ('" + parcel
                + "', 10, 8, 4, 15.5)");
        TestDatabase.execute("INSERT INTO shipments (id, easypost_id, status, carrier, service, rate, tracking_code, "
                + "reference, recipient_name, from_address_id, to_address_id, parcel_id, created_at, updated_at) VALUES ('"
                + id + "', 'shp_" + id.toString().substring(0, 8) + "', " + quote(status) + ", " + quote(carrier) + ", "
                + quote(service) + ", " + (rate == null ? "NULL" : new BigDecimal(rate).toPlainString()) + ", "
                + quote(trackingCode) + ", " + quote(reference) + ", " + quote(recipient) + ", '" + from + "', '" + to
                + "', '" + parcel + "', '" + createdAt + "', '" + createdAt + "')");
        return new Shipment(id, trackingCode, createdAt);
    }

    public static void event(UUID shipment, String status, String description, OffsetDateTime at) {
        TestDatabase.execute("INSERT INTO shipment_events (shipment_id, status, description, occurred_at, city, state, country) "
                + "VALUES ('" + shipment + "', " + quote(status) + ", " + quote(description) + ", '" + at
                + "', 'Boston', 'MA', 'US')");
    }

    public static void rate(UUID shipment, String carrier, String service, String rate, int days) {
        TestDatabase.execute("INSERT INTO rates (id, shipment_id, carrier, service, rate, delivery_days) VALUES ('"
                + UUID.randomUUID() + "', '" + shipment + "', " + quote(carrier) + ", " + quote(service) + ", " + rate
                + ", " + days + ")");
    }

    private static String quote(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }
}
