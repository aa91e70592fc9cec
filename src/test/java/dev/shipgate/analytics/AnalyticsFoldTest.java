package dev.shipgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.analytics.AnalyticsRoutes.DayView;
import dev.shipgate.analytics.AnalyticsRoutes.RangeView;
import dev.shipgate.analytics.AnalyticsSql.Group;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Analytics: rollup rows folded into days and totals")
class AnalyticsFoldTest {

    static final LocalDate MON = LocalDate.parse("2026-03-02");
    static final LocalDate TUE = MON.plusDays(1);
    static final LocalDate WED = MON.plusDays(2);

    static Group row(LocalDate day, String carrier, String service, String status, long shipments, long labels,
                     String spend) {
        return new Group(day, carrier, service, status, shipments, labels, new BigDecimal(spend));
    }

    static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    @Test
    @DisplayName("every day of the range is listed in order, a day without rows as zeros with a spend of 0.00")
    void emptyDaysAreZeros() {
        RangeView view = AnalyticsRoutes.fold(MON, WED, List.of(row(TUE, "UPS", "Ground", "delivered", 2, 2, "15.16")));

        assertThat(view.days()).extracting(DayView::date).containsExactly(MON, TUE, WED);
        DayView monday = view.days().get(0);
        assertThat(monday.shipments()).isZero();
        assertThat(monday.labels()).isZero();
        assertThat(monday.spend()).isEqualTo(money("0.00"));
        assertThat(monday.averageCost()).isEqualTo(money("0.00"));
        assertThat(monday.byCarrier()).isEmpty();
        assertThat(monday.byStatus()).isEmpty();
        assertThat(view.days().get(1).shipments()).isEqualTo(2);
    }

    @Test
    @DisplayName("each row counts in its own day and in the totals")
    void rowsFoldIntoTheirDayAndTheTotals() {
        RangeView view = AnalyticsRoutes.fold(MON, TUE, List.of(
                row(MON, "UPS", "Ground", "delivered", 3, 3, "30.00"),
                row(MON, "USPS", "Priority", "in_transit", 1, 1, "7.58"),
                row(TUE, "UPS", "Ground", "in_transit", 2, 2, "20.00")));

        DayView monday = view.days().get(0);
        assertThat(monday.shipments()).isEqualTo(4);
        assertThat(monday.spend()).isEqualTo(money("37.58"));
        assertThat(view.days().get(1).shipments()).isEqualTo(2);
        assertThat(view.days().get(1).spend()).isEqualTo(money("20.00"));

        DayView totals = view.totals();
        assertThat(totals.shipments()).isEqualTo(6);
        assertThat(totals.labels()).isEqualTo(6);
        assertThat(totals.spend()).isEqualTo(money("57.58"));
        assertThat(totals.byCarrier().get("UPS")).isEqualTo(new Summary.Breakdown(5, 5, money("50.00")));
        assertThat(totals.byService().get("Priority")).isEqualTo(new Summary.Breakdown(1, 1, money("7.58")));
        assertThat(totals.byStatus()).containsEntry("in_transit", 3L).containsEntry("delivered", 3L);
    }

    @Test
    @DisplayName("the totals of a single day carry its date; those of a longer range carry none")
    void totalsDate() {
        assertThat(AnalyticsRoutes.fold(TUE, TUE, List.of()).totals().date()).isEqualTo(TUE);
        assertThat(AnalyticsRoutes.fold(MON, TUE, List.of()).totals().date()).isNull();
        assertThat(AnalyticsRoutes.fold(TUE, TUE, List.of()).days()).hasSize(1);
    }

    @Test
    @DisplayName("spend stays exact decimal money: 0.10 + 0.20 is 0.30 and ten thousand labels at 0.01 are 100.00")
    void moneyStaysExact() {
        RangeView small = AnalyticsRoutes.fold(MON, MON, List.of(
                row(MON, "UPS", "Ground", "delivered", 1, 1, "0.10"),
                row(MON, "UPS", "Express", "delivered", 1, 1, "0.20")));
        assertThat(small.totals().spend()).isEqualTo(money("0.30"));
        assertThat(small.totals().byCarrier().get("UPS").spend()).isEqualTo(money("0.30"));

        List<Group> cents = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            cents.add(row(MON, "USPS", "First", "delivered", 1, 1, "0.01"));
        }
        RangeView many = AnalyticsRoutes.fold(MON, MON, cents);
        assertThat(many.totals().spend()).isEqualTo(money("100.00"));
        assertThat(many.totals().averageCost()).isEqualTo(money("0.01"));
    }

    @ParameterizedTest(name = "{0} over {1} labels is {2}")
    @CsvSource({
        "10.00, 3, 3.33",
        "20.00, 3, 6.67",
        "0.05, 2, 0.02",
        "0.15, 2, 0.08",
        "7.58, 1, 7.58",
    })
    @DisplayName("the average cost is spend over labels, to the cent, rounded half to even")
    void averageCost(String spend, long labels, String average) {
        RangeView view = AnalyticsRoutes.fold(MON, MON,
                List.of(row(MON, "UPS", "Ground", "delivered", labels, labels, spend)));
        assertThat(view.totals().averageCost()).isEqualTo(money(average));
    }

    @Test
    @DisplayName("with shipments but no labels the average cost is 0.00, not a division by zero")
    void averageWithoutLabels() {
        RangeView view = AnalyticsRoutes.fold(MON, MON, List.of(row(MON, "", "", "unknown", 4, 0, "0.00")));
        assertThat(view.totals().shipments()).isEqualTo(4);
        assertThat(view.totals().averageCost()).isEqualTo(money("0.00"));
    }

    @Test
    @DisplayName("shipments not bought yet count in the totals and by status, but under no carrier or service")
    void unboughtShipments() {
        RangeView view = AnalyticsRoutes.fold(MON, MON, List.of(
                row(MON, "", "", "unknown", 5, 0, "0.00"),
                row(MON, "UPS", "Ground", "pre_transit", 1, 1, "9.00")));
        DayView totals = view.totals();
        assertThat(totals.shipments()).isEqualTo(6);
        assertThat(totals.byStatus()).containsEntry("unknown", 5L).containsEntry("pre_transit", 1L);
        assertThat(totals.byCarrier()).containsOnlyKeys("UPS");
        assertThat(totals.byService()).containsOnlyKeys("Ground");
    }

    @Test
    @DisplayName("a refunded label leaves its shipment under the carrier, without a label or spend")
    void refundedLabel() {
        RangeView view = AnalyticsRoutes.fold(MON, MON, List.of(
                row(MON, "FedEx", "FEDEX_GROUND", "return_to_sender", 1, 0, "0.00"),
                row(MON, "FedEx", "FEDEX_GROUND", "delivered", 1, 1, "11.40")));
        DayView totals = view.totals();
        assertThat(totals.byCarrier().get("FedEx")).isEqualTo(new Summary.Breakdown(2, 1, money("11.40")));
        assertThat(totals.averageCost()).isEqualTo(money("11.40"));
        assertThat(totals.byStatus()).containsEntry("return_to_sender", 1L);
    }

    @Test
    @DisplayName("a group left at zero (its shipments moved to another status) leaves no empty carrier or status")
    void zeroRowsAddNothing() {
        RangeView view = AnalyticsRoutes.fold(MON, MON,
                List.of(row(MON, "UPS", "Ground", "pre_transit", 0, 0, "0.00")));
        assertThat(view.totals().byCarrier()).isEmpty();
        assertThat(view.totals().byService()).isEmpty();
        assertThat(view.totals().byStatus()).isEmpty();
    }

    @Test
    @DisplayName("breakdowns are listed by name, carriers and services alike")
    void breakdownsSorted() {
        RangeView view = AnalyticsRoutes.fold(MON, MON, List.of(
                row(MON, "USPS", "Priority", "delivered", 1, 1, "1.00"),
                row(MON, "DHL", "Express", "in_transit", 1, 1, "1.00"),
                row(MON, "UPS", "Ground", "failure", 1, 1, "1.00")));
        assertThat(view.totals().byCarrier().keySet()).containsExactly("DHL", "UPS", "USPS");
        assertThat(view.totals().byService().keySet()).containsExactly("Express", "Ground", "Priority");
        assertThat(view.totals().byStatus().keySet()).containsExactly("delivered", "failure", "in_transit");
    }

    @Test
    @DisplayName("ISO weeks run Monday to Sunday across a new year, cut to the range at both ends")
    void isoWeeksAcrossNewYear() {
        // 2026-12-30 is a Wednesday; ISO week 1 of 2027 starts on Monday 2027-01-04
        var buckets = Periods.buckets(LocalDate.parse("2026-12-30"), LocalDate.parse("2027-01-12"), Periods.Grouping.WEEK);
        assertThat(buckets).containsExactly(
                new Periods.Bucket(LocalDate.parse("2026-12-30"), LocalDate.parse("2027-01-03")),
                new Periods.Bucket(LocalDate.parse("2027-01-04"), LocalDate.parse("2027-01-10")),
                new Periods.Bucket(LocalDate.parse("2027-01-11"), LocalDate.parse("2027-01-12")));
    }

    @Test
    @DisplayName("calendar months include February 29 of a leap year")
    void calendarMonths() {
        var buckets = Periods.buckets(LocalDate.parse("2028-01-15"), LocalDate.parse("2028-03-01"), Periods.Grouping.MONTH);
        assertThat(buckets).extracting(Periods.Bucket::last)
                .containsExactly(LocalDate.parse("2028-01-31"), LocalDate.parse("2028-02-29"), LocalDate.parse("2028-03-01"));
    }

    @ParameterizedTest(name = "{0} days are grouped by {1}")
    @CsvSource({"1, DAY", "92, DAY", "93, WEEK", "400, WEEK", "401, MONTH", "1096, MONTH"})
    @DisplayName("long ranges choose weeks, then months")
    void automaticGrouping(long days, Periods.Grouping expected) {
        assertThat(Periods.Grouping.automatic(days)).isEqualTo(expected);
    }

    @Test
    @DisplayName("the previous period lines up with the chosen one bucket for bucket, and rows outside both are ignored")
    void previousPeriodLinesUp() {
        // Wednesday 2026-03-04 to Tuesday 2026-03-17 (14 days) in weeks: Wed..Sun, Mon..Sun, Mon..Tue
        LocalDate from = LocalDate.parse("2026-03-04");
        LocalDate to = LocalDate.parse("2026-03-17");
        RangeView view = AnalyticsRoutes.fold(from, to, Periods.Grouping.WEEK, List.of(
                row(LocalDate.parse("2026-03-05"), "UPS", "Ground", "delivered", 1, 1, "10.00"),
                row(LocalDate.parse("2026-02-19"), "UPS", "Ground", "delivered", 2, 2, "4.00"),   // previous, 1st bucket
                row(LocalDate.parse("2026-03-02"), "UPS", "Ground", "delivered", 3, 3, "6.00"),   // previous, last bucket
                row(LocalDate.parse("2026-02-17"), "UPS", "Ground", "delivered", 9, 9, "99.00")), // before both
                true);

        assertThat(view.days()).extracting(DayView::date).containsExactly(from, LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-16"));
        assertThat(view.previous().from()).isEqualTo(LocalDate.parse("2026-02-18"));
        assertThat(view.previous().to()).isEqualTo(LocalDate.parse("2026-03-03"));
        assertThat(view.previous().days()).extracting(DayView::date)
                .containsExactly(LocalDate.parse("2026-02-18"), LocalDate.parse("2026-02-23"), LocalDate.parse("2026-03-02"));
        assertThat(view.previous().days()).extracting(DayView::shipments).containsExactly(2L, 0L, 3L);
        assertThat(view.previous().totals().spend()).isEqualTo(money("10.00"));
        assertThat(view.totals().shipments()).isEqualTo(1);
        assertThat(view.group()).isEqualTo("week");
    }
}
