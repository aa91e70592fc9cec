package dev.shipgate.demo;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The tracking story of one demo label: its events and the facts the exceptions queue and carrier
 * performance read (first scan, delivery, newest exception event, the promise). Most parcels are scanned a
 * few hours after purchase and delivered in 0.5 to 1.4 times the service's days, so on-time shares vary by
 * carrier; a few percent land in each exception reason: failure, return to sender or error, cancelled after
 * pickup, stuck in transit for days (no movement and past the estimate), and never scanned (the last two
 * only in the past month). All times UTC, never after {@code now}.
 */
final class DemoTracking {

    record Event(String status, String description, OffsetDateTime at) {
    }

    record Story(String status, String refundStatus, List<Event> events, OffsetDateTime statusAt, OffsetDateTime firstScanAt,
                 OffsetDateTime deliveredAt, OffsetDateTime exceptionEventAt, OffsetDateTime trackerEstimate) {
    }

    private static final String[] EXCEPTIONS = {"return_to_sender", "failure", "error"};

    private DemoTracking() {
    }

    /**
     * The carrier's promised day as EasyPost's rate gives it: UPS and FedEx promise one ({@code delivery_date}),
     * USPS and DHL give only days, as in EasyPost's recorded rates. Service days are business days, so the
     * calendar day promised is one later.
     */
    static LocalDate promisedDay(String carrier, OffsetDateTime created, int days) {
        return carrier.equals("UPS") || carrier.equals("FedEx") ? created.toLocalDate().plusDays(days + 1) : null;
    }

    static Story tell(Random r, int ageDays, OffsetDateTime bought, int days, OffsetDateTime now) {
        Builder b = new Builder(now);
        b.add("pre_transit", "Shipping label created", bought);
        OffsetDateTime scan = bought.plusHours(2 + r.nextInt(28));
        OffsetDateTime delivered = scan.plusMinutes((long) (days * 24 * 60 * (0.5 + r.nextDouble() * 0.9)));
        OffsetDateTime estimate = bought.toLocalDate().plusDays(days + (r.nextInt(5) == 0 ? 1 : 0)).atStartOfDay().atOffset(ZoneOffset.UTC);
        int p = r.nextInt(100);
        if (p < 2) {
            return b.story("cancelled", "refunded", estimate);
        }
        if (p < 3) {
            b.scan(scan, "Accepted at origin facility");
            b.exception("cancelled", "Shipment cancelled by the shipper", scan.plusHours(12 + r.nextInt(36)));
            return b.story("cancelled", null, estimate);
        }
        if (p < 5) {
            String status = EXCEPTIONS[r.nextInt(EXCEPTIONS.length)];
            b.scan(scan, "Departed shipping partner facility");
            b.exception(status, "Status: " + status.replace('_', ' '), scan.plusHours(12 + r.nextInt(48)));
            return b.story(status, null, estimate);
        }
        if (p < 6) {
            b.scan(scan, "Departed shipping partner facility");
            b.add("available_for_pickup", "Available for pickup at the post office", delivered);
            if (ageDays <= 14) {
                return b.story("available_for_pickup", null, estimate);
            }
            b.delivered(delivered.plusDays(1 + r.nextInt(5)));
            return b.story("delivered", null, estimate);
        }
        if (p < 7 && ageDays >= 4 && ageDays <= 30) {
            return b.story("pre_transit", null, estimate);
        }
        if (!scan.isBefore(now)) {
            return b.story("pre_transit", null, estimate);
        }
        b.scan(scan, "Departed shipping partner facility");
        if (p < 9 && ageDays >= 5 && ageDays <= 30) {
            b.add("in_transit", "Arrived at regional facility", scan.plusHours(20));
            return b.story("in_transit", null, estimate);
        }
        if (delivered.isBefore(now)) {
            b.add("out_for_delivery", "Out for delivery", delivered.minusHours(3));
            b.delivered(delivered);
            return b.story("delivered", null, estimate);
        }
        OffsetDateTime lastMove = now.minusMinutes(r.nextInt(20 * 60));
        if (lastMove.isAfter(scan)) {
            b.add("in_transit", "Arrived at regional facility", lastMove);
        }
        return b.story("in_transit", null, estimate);
    }

    /** Collects a story's events in time order, each at most {@code now}, none repeated. */
    private static final class Builder {
        private final OffsetDateTime now;
        private final List<Event> events = new ArrayList<>();
        private OffsetDateTime firstScan;
        private OffsetDateTime delivered;
        private OffsetDateTime exception;

        Builder(OffsetDateTime now) {
            this.now = now;
        }

        OffsetDateTime add(String status, String description, OffsetDateTime at) {
            OffsetDateTime clipped = at.isBefore(now) ? at : now;
            Event last = events.isEmpty() ? null : events.get(events.size() - 1);
            if (last != null && clipped.isBefore(last.at())) {
                clipped = last.at();
            }
            if (last != null && last.at().equals(clipped) && last.status().equals(status)) {
                return clipped;
            }
            events.add(new Event(status, description, clipped));
            return clipped;
        }

        void scan(OffsetDateTime at, String description) {
            firstScan = add("in_transit", description, at);
        }

        void delivered(OffsetDateTime at) {
            delivered = add("delivered", "Delivered, in mailbox", at);
        }

        void exception(String status, String description, OffsetDateTime at) {
            exception = add(status, description, at);
        }

        Story story(String status, String refundStatus, OffsetDateTime estimate) {
            return new Story(status, refundStatus, List.copyOf(events), events.get(events.size() - 1).at(), firstScan, delivered,
                    exception, estimate);
        }
    }
}
