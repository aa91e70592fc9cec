package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.shipments.ShipmentRequests.Buy;
import dev.shipgate.shipments.ShipmentRequests.Strategy;
import dev.shipgate.shipments.ShipmentViews.RateView;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Choosing the rate to buy")
class RateChoiceTest {

    static final RateView USPS_GROUND = rate("rate_usps_ground", "USPS", "GroundAdvantage", "5.93", 5);
    static final RateView USPS_PRIORITY = rate("rate_usps_priority", "USPS", "Priority", "7.58", 2);
    static final RateView UPS_GROUND = rate("rate_ups_ground", "UPS", "Ground", "8.91", 3);
    static final RateView UPS_NEXT_DAY = rate("rate_ups_nda", "UPS", "NextDayAir", "31.20", 1);
    static final RateView FEDEX_EXPRESS = rate("rate_fedex_express", "FedEx", "FEDEX_EXPRESS_SAVER", "19.02", 1);
    static final List<RateView> OFFERED = List.of(UPS_GROUND, USPS_PRIORITY, UPS_NEXT_DAY, USPS_GROUND, FEDEX_EXPRESS);

    static RateView rate(String easypostId, String carrier, String service, String amount, Integer days) {
        return new RateView(UUID.randomUUID(), easypostId, carrier, service, new BigDecimal(amount), "USD", days);
    }

    static Buy byId(String rateId) {
        return new Buy(rateId, null, null, null);
    }

    static Buy cheapest(List<String> carriers, List<String> services) {
        return new Buy(null, Strategy.CHEAPEST, carriers, services);
    }

    static Buy fastest(List<String> carriers, List<String> services) {
        return new Buy(null, Strategy.FASTEST, carriers, services);
    }

    static Problem refused(List<RateView> rates, Buy request) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> RateChoice.choose(rates, request));
        assertThat(e).as("refused: " + request).isNotNull();
        return e.problem();
    }

    static List<String> names(Problem p) {
        return p.invalidParams().stream().map(Problem.InvalidParam::name).toList();
    }

    @Test
    @DisplayName("a rate named by our own id is chosen")
    void byOurId() {
        assertThat(RateChoice.choose(OFFERED, byId(UPS_NEXT_DAY.id().toString()))).isSameAs(UPS_NEXT_DAY);
    }

    @Test
    @DisplayName("a rate named by EasyPost's id is chosen")
    void byEasyPostId() {
        assertThat(RateChoice.choose(OFFERED, byId("rate_usps_priority"))).isSameAs(USPS_PRIORITY);
    }

    @Test
    @DisplayName("a rate id that is not a rate of this shipment is refused with 400 naming rate_id")
    void unknownRateId() {
        for (String id : List.of("rate_nope", UUID.randomUUID().toString(), "")) {
            Problem p = refused(OFFERED, byId(id));
            assertThat(p.status()).as(id).isEqualTo(400);
            assertThat(names(p)).as(id).containsExactly("rate_id");
        }
        assertThat(refused(List.of(), byId(USPS_GROUND.easypostId())).status()).isEqualTo(400);
    }

    @Test
    @DisplayName("a rate id wins over the cheaper rates: a named rate is bought even when it is the dearest")
    void rateIdIgnoresPrice() {
        assertThat(RateChoice.choose(OFFERED, byId("rate_ups_nda"))).isSameAs(UPS_NEXT_DAY);
    }

    @Test
    @DisplayName("cheapest picks the lowest price")
    void cheapest() {
        assertThat(RateChoice.choose(OFFERED, cheapest(null, null))).isSameAs(USPS_GROUND);
    }

    @Test
    @DisplayName("prices are compared as amounts: 7.5 and 7.50 are the same price, 10.00 is dearer than 9.99")
    void pricesComparedAsAmounts() {
        RateView slowTen = rate("a", "UPS", "Ground", "10.00", 5);
        RateView nineNinetyNine = rate("b", "UPS", "Ground", "9.99", 5);
        assertThat(RateChoice.choose(List.of(slowTen, nineNinetyNine), cheapest(null, null))).isSameAs(nineNinetyNine);

        RateView slow = rate("c", "USPS", "Ground", "7.50", 4);
        RateView fast = rate("d", "UPS", "Ground", "7.5", 2);
        assertThat(RateChoice.choose(List.of(slow, fast), cheapest(null, null))).as("a tie, broken by speed")
                .isSameAs(fast);
    }

    @Test
    @DisplayName("among equally cheap rates, cheapest takes the faster; unknown delivery days count as slowest")
    void cheapestTieBrokenBySpeed() {
        RateView unknownDays = rate("a", "USPS", "ParcelSelect", "6.00", null);
        RateView fourDays = rate("b", "UPS", "Ground", "6.00", 4);
        RateView twoDays = rate("c", "FedEx", "Home", "6.00", 2);
        assertThat(RateChoice.choose(List.of(unknownDays, fourDays, twoDays), cheapest(null, null))).isSameAs(twoDays);
        assertThat(RateChoice.choose(List.of(unknownDays, fourDays), cheapest(null, null))).isSameAs(fourDays);
    }

    @Test
    @DisplayName("among rates equal in price and speed, the one offered first is taken, whatever the order of the rest")
    void fullTieTakesTheFirstOffered() {
        RateView first = rate("a", "USPS", "Priority", "7.58", 2);
        RateView second = rate("b", "UPS", "2ndDayAir", "7.58", 2);
        assertThat(RateChoice.choose(List.of(first, second), cheapest(null, null))).isSameAs(first);
        assertThat(RateChoice.choose(List.of(second, first), cheapest(null, null))).isSameAs(second);
        assertThat(RateChoice.choose(List.of(first, second), fastest(null, null))).isSameAs(first);
    }

    @Test
    @DisplayName("fastest picks the fewest delivery days, and the cheaper of equally fast rates")
    void fastest() {
        assertThat(RateChoice.choose(OFFERED, fastest(null, null)))
                .as("FedEx at 19.02 beats UPS at 31.20, both one day").isSameAs(FEDEX_EXPRESS);
    }

    @Test
    @DisplayName("fastest never takes a rate with unknown delivery days over one with known days, however cheap")
    void fastestDistrustsUnknownDays() {
        RateView unknown = rate("a", "USPS", "ParcelSelect", "1.00", null);
        RateView slow = rate("b", "UPS", "Ground", "12.00", 7);
        assertThat(RateChoice.choose(List.of(unknown, slow), fastest(null, null))).isSameAs(slow);
        assertThat(RateChoice.choose(List.of(unknown), fastest(null, null))).as("but it is taken when alone")
                .isSameAs(unknown);
    }

    @Test
    @DisplayName("the carrier filter ignores case: ups, Ups and UPS all mean UPS, and USPS is not UPS")
    void carrierFilterIgnoresCase() {
        for (String ups : List.of("ups", "Ups", "UPS")) {
            assertThat(RateChoice.choose(OFFERED, cheapest(List.of(ups), null))).as(ups).isSameAs(UPS_GROUND);
        }
        assertThat(RateChoice.choose(OFFERED, fastest(List.of("FEDEX"), null))).isSameAs(FEDEX_EXPRESS);
        assertThat(RateChoice.choose(OFFERED, cheapest(List.of("usps"), null)).carrier()).isEqualTo("USPS");
    }

    @Test
    @DisplayName("the service filter ignores case: nextdayair is UPS's NextDayAir")
    void serviceFilterIgnoresCase() {
        assertThat(RateChoice.choose(OFFERED, cheapest(null, List.of("nextdayair")))).isSameAs(UPS_NEXT_DAY);
        assertThat(RateChoice.choose(OFFERED, cheapest(null, List.of("PRIORITY", "fedex_express_saver"))))
                .isSameAs(USPS_PRIORITY);
    }

    @Test
    @DisplayName("filters ignore case the same way under a Turkish default locale, where I lowercases to a dotless ı")
    void filtersIgnoreTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(RateChoice.choose(OFFERED, cheapest(null, List.of("PRIORITY")))).isSameAs(USPS_PRIORITY);
            RateView first = rate("a", "USPS", "First", "4.40", 3);
            assertThat(RateChoice.choose(List.of(UPS_GROUND, first), cheapest(null, List.of("FIRST")))).isSameAs(first);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    @DisplayName("carrier and service filters both apply: the cheapest UPS Ground is not the cheapest UPS rate of another service")
    void bothFiltersApply() {
        RateView upsSaver = rate("e", "UPS", "Ground", "8.00", 4);
        List<RateView> rates = List.of(UPS_GROUND, upsSaver, USPS_GROUND, UPS_NEXT_DAY);
        assertThat(RateChoice.choose(rates, cheapest(List.of("UPS"), List.of("NextDayAir")))).isSameAs(UPS_NEXT_DAY);
        assertThat(RateChoice.choose(rates, cheapest(List.of("UPS"), List.of("Ground")))).isSameAs(upsSaver);
    }

    @Test
    @DisplayName("empty carrier and service lists restrict nothing")
    void emptyFilters() {
        assertThat(RateChoice.choose(OFFERED, cheapest(List.of(), List.of()))).isSameAs(USPS_GROUND);
    }

    @Test
    @DisplayName("when no rate passes the filters the request is refused with 422, naming carriers or, without carriers, services")
    void nothingMatches() {
        Problem carriers = refused(OFFERED, cheapest(List.of("Pigeon"), null));
        assertThat(carriers.status()).isEqualTo(422);
        assertThat(names(carriers)).containsExactly("carriers");

        Problem services = refused(OFFERED, fastest(null, List.of("Teleport")));
        assertThat(services.status()).isEqualTo(422);
        assertThat(names(services)).containsExactly("services");

        assertThat(names(refused(OFFERED, cheapest(List.of("UPS"), List.of("Priority"))))).containsExactly("carriers");
        assertThat(refused(List.of(), cheapest(null, null)).status()).as("a shipment without rates").isEqualTo(422);
    }
}
