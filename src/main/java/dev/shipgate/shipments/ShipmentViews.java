package dev.shipgate.shipments;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the API returns about shipments: plain records, never entities, named as EasyPost names them. */
public final class ShipmentViews {

    private ShipmentViews() {
    }

    public record AddressView(UUID id, String easypostId, String name, String company, String street1,
                              String street2, String city, String state, String zip, String country,
                              String phone, String email, Boolean residential, boolean verified) {

        static AddressView of(Address a) {
            return new AddressView(a.getId(), a.getEasypostId(), a.getName(), a.getCompany(), a.getStreet1(),
                    a.getStreet2(), a.getCity(), a.getState(), a.getZip(), a.getCountry(), a.getPhone(),
                    a.getEmail(), a.getResidential(), a.isVerified());
        }
    }

    public record ParcelView(UUID id, BigDecimal length, BigDecimal width, BigDecimal height, BigDecimal weight,
                             String predefinedPackage) {

        static ParcelView of(Parcel p) {
            return p == null ? null : new ParcelView(p.getId(), p.getLength(), p.getWidth(), p.getHeight(),
                    p.getWeight(), p.getPredefinedPackage());
        }
    }

    /**
     * A tracking event of a shipment: its latest on the shipment, every one on its timeline and in batch
     * tracking ({@code tracking} reads the same rows). {@code datetime} is when the carrier saw it.
     */
    public record EventView(String status, String description, OffsetDateTime datetime, String city, String state,
                            String zip, String country) {

        static EventView of(ShipmentEvent e) {
            return e == null ? null : new EventView(e.getStatus(), e.getDescription(), e.getOccurredAt(),
                    e.getCity(), e.getState(), e.getZip(), e.getCountry());
        }
    }

    public record RateView(UUID id, String easypostId, String carrier, String service, BigDecimal rate,
                           String currency, Integer deliveryDays) {

        static RateView of(Rate r) {
            return new RateView(r.getId(), r.getEasypostId(), r.getCarrier(), r.getService(), r.getRate(),
                    r.getCurrency(), r.getDeliveryDays());
        }
    }

    public record ShipmentView(UUID id, String easypostId, String status, String carrier, String service,
                               BigDecimal rate, String currency, String trackingCode, String labelUrl,
                               String reference, String refundStatus, AddressView fromAddress,
                               AddressView toAddress, ParcelView parcel, List<RateView> rates,
                               EventView latestEvent, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static ShipmentView of(Shipment s, ShipmentEvent latest, List<Rate> rates) {
            return new ShipmentView(s.getId(), s.getEasypostId(), s.getStatus(), s.getCarrier(), s.getService(),
                    s.getRate(), s.getCurrency(), s.getTrackingCode(), s.getLabelUrl(), s.getReference(),
                    s.getRefundStatus(), AddressView.of(s.getFromAddress()), AddressView.of(s.getToAddress()),
                    ParcelView.of(s.getParcel()), rates.stream().map(RateView::of).toList(), EventView.of(latest),
                    s.getCreatedAt(), s.getUpdatedAt());
        }
    }

    /** One row of the shipment list: what a table shows, without the joins a detail needs. */
    public record ShipmentSummary(UUID id, String easypostId, String status, String carrier, String service,
                                  BigDecimal rate, String currency, String trackingCode, String reference,
                                  String recipientName, String refundStatus, OffsetDateTime createdAt,
                                  OffsetDateTime updatedAt) {
    }

    public record ShipmentPage(List<ShipmentSummary> shipments, boolean hasMore, String nextCursor) {
    }
}
