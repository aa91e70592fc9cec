package dev.shipgate.analytics;

import dev.shipgate.http.Handlers;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shipping spend and volume for a day ({@code /analytics/2026-11-27}) or a range of up to 366 days. */
public final class AnalyticsRoutes {

    static final int MAX_DAYS = 366;

    record DayView(LocalDate date, long shipments, long labels, BigDecimal spend, BigDecimal averageCost,
                   String currency, Map<String, Summary.Breakdown> byCarrier, Map<String, Summary.Breakdown> byService,
                   Map<String, Long> byStatus, BigDecimal insuranceSpend) {

        static DayView of(LocalDate date, Summary s) {
            return new DayView(date, s.shipments, s.labels, s.spend, s.averageCost(), "USD",
                    new TreeMap<>(s.byCarrier), new TreeMap<>(s.byService), new TreeMap<>(s.byStatus), s.insuranceSpend);
        }
    }

    record RangeView(LocalDate from, LocalDate to, DayView totals, List<DayView> days) {
    }

    private final SqlTemplate<Map<String, Object>, RowSet<AnalyticsSql.Group>> range;

    public AnalyticsRoutes(Pool rawPool) {
        this.range = SqlTemplate.forQuery(rawPool, AnalyticsSql.RANGE).mapTo(AnalyticsSql.ROW);
    }

    public void mount(Router router) {
        router.get("/analytics").handler(Handlers.json(this::range));
        router.get("/analytics/:date").handler(Handlers.json(this::day));
    }

    private Future<DayView> day(RoutingContext ctx) {
        LocalDate day = date("date", ctx.pathParam("date"));
        return summarize(day, day).map(RangeView::totals);
    }

    private Future<RangeView> range(RoutingContext ctx) {
        LocalDate from = date("from", ctx.queryParams().get("from"));
        LocalDate to = date("to", ctx.queryParams().get("to"));
        if (to.isBefore(from)) {
            throw Problem.invalidParam("to", "must not be before from").exception();
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw Problem.invalidParam("to", "the range may span at most " + MAX_DAYS + " days").exception();
        }
        return summarize(from, to);
    }

    private Future<RangeView> summarize(LocalDate from, LocalDate to) {
        return range.execute(Map.of("from", from, "to", to)).map(rows -> fold(from, to, rows));
    }

    /** The rollup rows of {@code from} to {@code to} (both inclusive) as one view per day, and their totals. */
    static RangeView fold(LocalDate from, LocalDate to, Iterable<AnalyticsSql.Group> rows) {
        Summary totals = new Summary();
        Summary[] perDay = new Summary[(int) ChronoUnit.DAYS.between(from, to) + 1];
        for (int i = 0; i < perDay.length; i++) {
            perDay[i] = new Summary();
        }
        for (AnalyticsSql.Group g : rows) {
            perDay[(int) ChronoUnit.DAYS.between(from, g.day())].add(g);
            totals.add(g);
        }
        List<DayView> days = new ArrayList<>(perDay.length);
        for (int i = 0; i < perDay.length; i++) {
            days.add(DayView.of(from.plusDays(i), perDay[i]));
        }
        return new RangeView(from, to, DayView.of(from.equals(to) ? from : null, totals), days);
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            throw Problem.invalidParam(name, "is required, as YYYY-MM-DD").exception();
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value);
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be a date as YYYY-MM-DD").exception();
    }
}
