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
                               EventView latestEvent, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                               CustomsView customsInfo, List<FormView> forms, BigDecimal insuredAmount,
                               BigDecimal insuranceFee, UUID returnOf, UUID returnShipmentId) {

        /** A currency only beside an amount, as {@code GET} answers: the column's default names nothing before a rate is bought. */
        static ShipmentView of(Shipment s, ShipmentEvent latest, List<Rate> rates, CustomsView customs) {
            return new ShipmentView(s.getId(), s.getEasypostId(), s.getStatus(), s.getCarrier(), s.getService(),
                    s.getRate(), s.getRate() == null ? null : s.getCurrency(), s.getTrackingCode(), s.getLabelUrl(), s.getReference(),
                    s.getRefundStatus(), AddressView.of(s.getFromAddress()), AddressView.of(s.getToAddress()),
                    ParcelView.of(s.getParcel()), rates.stream().map(RateView::of).toList(), EventView.of(latest),
                    s.getCreatedAt(), s.getUpdatedAt(), customs, List.of(), s.getInsuredAmount(), s.getInsuranceFee(),
                    s.getReturnOf(), null);
        }

        /** This shipment as it is once a label is bought: the label, its forms and its insurance. */
        ShipmentView bought(String newStatus, RateView paid, String tracking, String label, List<FormView> newForms,
                            BigDecimal insured, BigDecimal fee, OffsetDateTime at) {
            return new ShipmentView(id, easypostId, newStatus, paid.carrier(), paid.service(), paid.rate(), paid.currency(),
                    tracking, label, reference, refundStatus, fromAddress, toAddress, parcel, rates, latestEvent,
                    createdAt, at, customsInfo, newForms, insured, fee, returnOf, returnShipmentId);
        }

        /** This shipment with another refund status, or insurance. */
        ShipmentView with(String newRefundStatus, BigDecimal insured, BigDecimal fee, OffsetDateTime at) {
            return new ShipmentView(id, easypostId, status, carrier, service, rate, currency, trackingCode, labelUrl,
                    reference, newRefundStatus, fromAddress, toAddress, parcel, rates, latestEvent, createdAt, at,
                    customsInfo, forms, insured, fee, returnOf, returnShipmentId);
        }
    }

    /** A customs declaration as stored: values in USD and weights in ounces are line totals, as EasyPost takes them. */
    public record CustomsView(String contentsType, String contentsExplanation, String nonDeliveryOption,
                              String restrictionType, String restrictionComments, String eelPfc, String customsSigner,
                              boolean customsCertify, List<CustomsItemView> customsItems) {

        static CustomsView of(Customs.CustomsInfoInput c) {
            return c == null ? null : new CustomsView(c.contentsType(), c.contentsExplanation(), c.nonDeliveryOrDefault(),
                    c.restrictionOrDefault(), c.restrictionComments(), c.eelPfc(), c.customsSigner(), c.certified(),
                    c.customsItems().stream().map(i -> new CustomsItemView(i.description(), i.quantity(),
                            i.value().setScale(2, java.math.RoundingMode.UNNECESSARY), i.weight(), i.hsTariffNumber(), i.originCountry(), i.code())).toList());
        }
    }

    public record CustomsItemView(String description, int quantity, BigDecimal value, BigDecimal weight,
                                  String hsTariffNumber, String originCountry, String code) {
    }

    /** A form EasyPost generated with the label (commercial invoice, CN22/CN23), to print with it. */
    public record FormView(String formType, String formUrl, OffsetDateTime createdAt) {
    }

    /** One row of the shipment list: what a table shows, without the joins a detail needs. */
    public record ShipmentSummary(UUID id, String easypostId, String status, String carrier, String service,
                                  BigDecimal rate, String currency, String trackingCode, String reference,
                                  String recipientName, String refundStatus, OffsetDateTime createdAt,
                                  OffsetDateTime updatedAt) {
    }

    /** A page of the list; {@code timeZone} is the zone whose days {@code created_from}/{@code created_to} meant. */
    public record ShipmentPage(List<ShipmentSummary> shipments, boolean hasMore, String nextCursor, String timeZone) {
    }
}
