package dev.shipgate.analytics;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.shipgate.analytics.Periods.Bucket;
import dev.shipgate.analytics.Periods.Grouping;
import dev.shipgate.config.BusinessDay;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shipping spend and volume for a day ({@code /analytics/2026-11-27}, {@code /analytics/today}) or a range
 * ({@code from}/{@code to}, or the last {@code days} days), beside the period of equal length just before it.
 * Every date is a day of the business's time zone ({@code BUSINESS_TIMEZONE}), which each answer names in
 * {@code time_zone}. Bad parameters are 400 problems naming the parameter.
 */
public final class AnalyticsRoutes {

    /** The longest range: three years, so a chart in months still compares with the three years before. */
    static final int MAX_DAYS = 1096;
    /** The longest range in days: 366 bars is already more than a chart can show. */
    static final int MAX_DAY_BUCKETS = 366;

    record DayView(LocalDate date, long shipments, long labels, BigDecimal spend, BigDecimal averageCost,
                   String currency, Map<String, Summary.Breakdown> byCarrier, Map<String, Summary.Breakdown> byService,
                   Map<String, Long> byStatus, BigDecimal insuranceSpend) {

        static DayView of(LocalDate date, Summary s) {
            return new DayView(date, s.shipments, s.labels, s.spend, s.averageCost(), "USD",
                    new TreeMap<>(s.byCarrier), new TreeMap<>(s.byService), new TreeMap<>(s.byStatus), s.insuranceSpend);
        }
    }

    /** One day's answer: its figures and the zone whose day it is. */
    record DayAnswer(@JsonUnwrapped DayView day, String timeZone) {
    }

    /**
     * The period before the chosen one, of equal length; {@code days[i]} covers the days of the chosen
     * period's {@code days[i]} moved back by the period's length, so the two line up bucket for bucket.
     */
    record Period(LocalDate from, LocalDate to, DayView totals, List<DayView> days) {
    }

    /**
     * A range's answer: {@code days} holds one entry per bucket of {@code group} (its {@code date} is the
     * bucket's first day inside the range), {@code previous} the same for the period before.
     */
    record RangeView(LocalDate from, LocalDate to, String timeZone, String group, DayView totals, List<DayView> days,
                     Period previous) {

        RangeView in(ZoneId zone) {
            return new RangeView(from, to, zone.getId(), group, totals, days, previous);
        }
    }

    private final ClosedDays rollup;
    private final ZoneId zone;
    private final BusinessDay days;

    /**
     * @param rollup the daily rollup, closed days folded in memory (it knows the pools to read the rest from)
     * @param days the business's days: what "today" is and what {@code time_zone} says
     */
    public AnalyticsRoutes(ClosedDays rollup, BusinessDay days) {
        this.rollup = rollup;
        this.zone = days.zone();
        this.days = days;
    }

    public void mount(Router router) {
        router.get("/analytics").handler(Handlers.json(this::range));
        router.get("/analytics/:date").handler(Handlers.json(this::day));
    }

    private Future<DayAnswer> day(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        String raw = ctx.pathParam("date");
        LocalDate day = "today".equals(raw) ? days.today() : DateRange.date("date", raw);
        return rollup.sync().compose(listening -> listening ? new RangeFold(rollup, days.today()).day(day)
                        : rollup.rows(day, day).map(rows -> fold(day, day, Grouping.DAY, rows, false).totals()))
                .map(view -> new DayAnswer(view, zone.getId()));
    }

    private Future<Object> range(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("days", "from", "to", "group"));
        MultiMap q = ctx.queryParams();
        DateRange dates = DateRange.parse(q, days.today());
        LocalDate from = dates.from();
        LocalDate to = dates.to();
        int length = dates.length();
        Grouping grouping = grouping(q.get("group"), length);
        return rollup.sync().compose(listening -> listening
                ? new RangeFold(rollup, days.today()).range(from, to, grouping, zone.getId()).map(Object.class::cast)
                : rollup.rows(Periods.previousFrom(from, to), to).map(rows -> fold(from, to, grouping, rows, true).in(zone)));
    }

    /**
     * The {@code group} parameter of a range of {@code length} days: automatic when absent, else day, week or
     * month, and day at most {@link #MAX_DAY_BUCKETS} days. A 400 problem naming {@code group} otherwise.
     */
    static Grouping grouping(String raw, int length) {
        if (raw == null || raw.isEmpty()) {
            return Grouping.automatic(length);
        }
        Grouping g = Grouping.fromWire(raw).orElseThrow(() ->
                Problem.invalidParam("group", "must be day, week or month").exception());
        if (g == Grouping.DAY && length > MAX_DAY_BUCKETS) {
            throw Problem.invalidParam("group", "day covers at most " + MAX_DAY_BUCKETS + " days: use week or month").exception();
        }
        return g;
    }

    /** Day buckets of {@code from} to {@code to}, without the previous period (tests, single days). */
    static RangeView fold(LocalDate from, LocalDate to, Iterable<AnalyticsSql.Group> rows) {
        return fold(from, to, Grouping.DAY, rows, true);
    }

    /**
     * The rollup rows of {@code from} to {@code to} (both inclusive) and of the period of equal length before
     * it, folded into one view per bucket and totals for each period. Rows outside both periods are ignored.
     * The answer while closed days cannot be kept (the listener is down), and what {@link RangeFold}'s answers
     * from kept spans must equal byte for byte.
     */
    static RangeView fold(LocalDate from, LocalDate to, Grouping grouping, Iterable<AnalyticsSql.Group> rows,
                          boolean withPrevious) {
        int length = Periods.length(from, to);
        List<Bucket> buckets = Periods.buckets(from, to, grouping);
        int[] bucketOfDay = new int[length];
        Summary[] current = new Summary[buckets.size()];
        Summary[] previous = new Summary[buckets.size()];
        for (int b = 0; b < buckets.size(); b++) {
            current[b] = new Summary();
            previous[b] = new Summary();
            for (LocalDate d = buckets.get(b).first(); !d.isAfter(buckets.get(b).last()); d = d.plusDays(1)) {
                bucketOfDay[(int) ChronoUnit.DAYS.between(from, d)] = b;
            }
        }
        Summary totals = new Summary();
        Summary previousTotals = new Summary();
        for (AnalyticsSql.Group g : rows) {
            long offset = ChronoUnit.DAYS.between(from, g.day());
            if (offset >= 0 && offset < length) {
                current[bucketOfDay[(int) offset]].add(g);
                totals.add(g);
            } else if (offset < 0 && offset >= -length) {
                previous[bucketOfDay[(int) offset + length]].add(g);
                previousTotals.add(g);
            }
        }
        List<DayView> days = new ArrayList<>(buckets.size());
        List<DayView> before = new ArrayList<>(buckets.size());
        for (int b = 0; b < buckets.size(); b++) {
            days.add(DayView.of(buckets.get(b).first(), current[b]));
            before.add(DayView.of(buckets.get(b).first().minusDays(length), previous[b]));
        }
        Period period = withPrevious ? new Period(from.minusDays(length), from.minusDays(1),
                DayView.of(length == 1 ? from.minusDays(1) : null, previousTotals), before) : null;
        return new RangeView(from, to, null, grouping.wire(), DayView.of(from.equals(to) ? from : null, totals), days, period);
    }
}
