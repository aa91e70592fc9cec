package dev.shipgate.analytics;

import dev.shipgate.config.BusinessDay;
import dev.shipgate.http.Handlers;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /analytics/carriers?from=&to=} (or {@code ?days=}): how each carrier and service performed for this
 * account, over the parcels delivered on the business's days {@code from} to {@code to} ({@code BUSINESS_TIMEZONE},
 * named in the answer's {@code time_zone}; both inclusive, read by {@link DateRange} as every analytics range, so
 * a chart and its carrier table cover the same parcels' days): delivered count, on-time share, transit days (first carrier scan to delivery) at p50 and p90, and days from label
 * purchase to the first scan. Which promise "on time" is measured against, and how: {@link CarrierPerformanceSql}.
 * Bad or missing dates, {@code from} after {@code to}, or {@code days} out of 1 to
 * {@link AnalyticsRoutes#MAX_DAYS} are 400 problems naming the parameter.
 */
public final class CarrierPerformance {

    /**
     * One carrier's (service null) or one service's figures. {@code onTimeShare} is {@code onTime / withEstimate}
     * (0 to 1, four decimals), null when no delivered parcel had an expected date; day figures are null when no
     * parcel had the times they need.
     */
    public record Figures(String carrier, String service, long delivered, long withEstimate, long onTime, Double onTimeShare,
                          long withTransit, Double transitDaysP50, Double transitDaysP90, Double daysToFirstScanP50,
                          Double daysToFirstScanAvg) {

        static Figures of(Row row) {
            long withEstimate = row.getLong("with_estimate");
            long onTime = row.getLong("on_time");
            Double share = withEstimate == 0 ? null : Math.round(onTime * 10_000.0 / withEstimate) / 10_000.0;
            return new Figures(row.getString("carrier"), row.getString("service"), row.getLong("delivered"), withEstimate,
                    onTime, share, row.getLong("with_transit"), row.getDouble("transit_p50"), row.getDouble("transit_p90"),
                    row.getDouble("to_first_scan_p50"), row.getDouble("to_first_scan_avg"));
        }
    }

    /** A carrier's overall figures and its services' figures, by service name. */
    public record CarrierView(String carrier, Figures overall, List<Figures> services) {
    }

    /** The answer: the range's business days, the zone they are days of, and one entry per carrier. */
    public record View(LocalDate from, LocalDate to, String timeZone, List<CarrierView> carriers) {
    }

    private final SqlTemplate<Map<String, Object>, RowSet<Figures>> byCarrier;
    private final BusinessDay days;

    /**
     * @param readPool the pool for reads that may lag (a read replica, when one is configured)
     * @param days the business's days: which deliveries a range holds, and what "on time" is measured in
     */
    public CarrierPerformance(Pool readPool, BusinessDay days) {
        this.byCarrier = SqlTemplate.forQuery(readPool, CarrierPerformanceSql.BY_CARRIER).mapTo(Figures::of);
        this.days = days;
    }

    /** Mount before {@code AnalyticsRoutes}: its {@code /analytics/:date} would otherwise take {@code carriers}. */
    public void mount(Router router) {
        router.get("/analytics/carriers").handler(Handlers.json(this::carriers));
    }

    private Future<View> carriers(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("from", "to", "days"));
        DateRange range = DateRange.parse(ctx.queryParams(), days.today());
        LocalDate from = range.from();
        LocalDate to = range.to();
        OffsetDateTime start = days.startOf(from);
        OffsetDateTime before = days.startOf(to.plusDays(1));
        return byCarrier.execute(Map.of("from", start, "before", before, "zone", days.zoneName()))
                .map(rows -> new View(from, to, days.zoneName(), group(rows)));
    }

    /** Rows arrive per carrier, its overall row (service null) first. */
    static List<CarrierView> group(Iterable<Figures> rows) {
        List<CarrierView> carriers = new ArrayList<>();
        for (Figures f : rows) {
            if (f.service() == null) {
                carriers.add(new CarrierView(f.carrier(), f, new ArrayList<>()));
            } else {
                carriers.get(carriers.size() - 1).services().add(f);
            }
        }
        return carriers;
    }
}
