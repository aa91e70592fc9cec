package dev.shipgate.exceptions;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the exceptions API answers, as JSON records (snake_case on the wire, times in UTC). */
final class ExceptionViews {

    /** Who acknowledged an entry, when (UTC), with which note, and the reasons it had then. */
    record Acknowledgement(String by, OffsetDateTime at, String note, List<String> reasons) {

        /** Whole seconds, as every other time of the queue (the stored microseconds are cut, not rounded). */
        Acknowledgement {
            at = at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }

        /** A row of {@link ExceptionSql#HISTORY}. */
        static Acknowledgement of(Row row) {
            return new Acknowledgement(row.getString("token_name"), row.getOffsetDateTime("acknowledged_at"),
                    row.getString("note"), Arrays.asList(row.getArrayOfStrings("reasons")));
        }
    }

    /**
     * A shipment in the queue: its reasons (wire names, sorted), {@code since} (when it first became an
     * exception for any of them, UTC), the tracking facts behind them and whether a person has acknowledged
     * it as it is now ({@code acknowledgement} stays visible after an entry re-opens).
     */
    record Entry(UUID shipmentId, String easypostId, String carrier, String service, String trackingCode, String status,
                 String reference, String recipientName, List<String> reasons, OffsetDateTime since,
                 OffsetDateTime labelBoughtAt, OffsetDateTime firstScanAt, OffsetDateTime lastEventAt,
                 LocalDate expectedDeliveryDate, boolean acknowledged, Acknowledgement acknowledgement) {

        static Entry of(Row row) {
            OffsetDateTime ackAt = row.getOffsetDateTime("acknowledged_at");
            return new Entry(row.getUUID("id"), row.getString("easypost_id"), row.getString("carrier"), row.getString("service"),
                    row.getString("tracking_code"), row.getString("status"), row.getString("reference"),
                    row.getString("recipient_name"), Arrays.asList(row.getArrayOfStrings("reasons")),
                    row.getOffsetDateTime("since"), row.getOffsetDateTime("label_bought_at"),
                    row.getOffsetDateTime("first_scan_at"), row.getOffsetDateTime("last_event_at"),
                    row.getLocalDate("expected_delivery_date"), Boolean.TRUE.equals(row.getBoolean("acknowledged")),
                    ackAt == null ? null : new Acknowledgement(row.getString("token_name"), ackAt, row.getString("note"),
                            Arrays.asList(row.getArrayOfStrings("acknowledged_reasons"))));
        }
    }

    /**
     * One entry with every acknowledgement it has had, newest first ({@code GET /exceptions/{id}} and the
     * acknowledge answer): the entry's own {@code acknowledgement} is the first of them.
     */
    record Detail(@JsonUnwrapped Entry entry, List<Acknowledgement> acknowledgements) {
    }

    /** One page, newest exception first; {@code next_cursor} reads the next page. */
    record Page(List<Entry> exceptions, boolean hasMore, String nextCursor) {
    }

    /** Counts of the queue: entries waiting for a person ({@code open}), acknowledged ones, and both per reason. */
    record Summary(long open, long acknowledged, Map<String, Counts> byReason, int stallDays, int unscannedDays) {
    }

    record Counts(long open, long acknowledged) {
    }

    private ExceptionViews() {
    }
}
