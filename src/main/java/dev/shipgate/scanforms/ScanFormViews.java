package dev.shipgate.scanforms;

import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the scan form routes take and answer: plain records, named as EasyPost names them. */
public final class ScanFormViews {

    /** At most this many shipments on one form, so a request stays one bounded EasyPost call. */
    public static final int MAX_SHIPMENTS = 1000;

    private ScanFormViews() {
    }

    /**
     * {@code POST /scan-forms}: either {@code shipment_ids}, or a {@code date} (business day, {@code BUSINESS_TIMEZONE}, the labels were
     * bought) with a {@code carrier} and optionally the origin {@code from_address}, meaning every bought,
     * unrefunded shipment of that day not yet on a form.
     */
    public record CreateScanForm(
            @Size(min = 1, max = MAX_SHIPMENTS) List<@NotNull UUID> shipmentIds,
            LocalDate date,
            @MaxChars(64) String carrier,
            @Valid AddressInput fromAddress) implements Json.Checked {

        @Override
        public List<Problem.InvalidParam> problems() {
            return Json.noRepeats("shipment_ids", shipmentIds);
        }
    }

    public record ScanFormShipment(UUID id, String easypostId, String trackingCode, String reference,
                                   String recipientName, String service) {
    }

    /**
     * One form: {@code status} is {@code created}, or {@code unverified} while EasyPost's answer is unknown
     * (its shipments stay held); {@code form_url} is the document to print and hand to the carrier.
     */
    public record ScanFormView(UUID id, String easypostId, String status, String carrier, String formUrl,
                               String formFileType, String confirmation, String message, OffsetDateTime createdAt,
                               OffsetDateTime updatedAt, List<ScanFormShipment> shipments) {
    }

    public record ScanFormSummary(UUID id, String easypostId, String status, String carrier, String formUrl,
                                  long shipmentCount, OffsetDateTime createdAt) {
    }

    public record ScanFormPage(List<ScanFormSummary> scanForms, boolean hasMore, String nextCursor) {
    }

    /** Bought shipments of one carrier not yet on a form. */
    public record OpenCarrier(String carrier, long shipments, List<UUID> shipmentIds) {
    }

    /** {@code GET /scan-forms/open}: what is left to manifest on a business day, per carrier. */
    public record OpenDay(LocalDate date, List<OpenCarrier> carriers) {
    }
}
