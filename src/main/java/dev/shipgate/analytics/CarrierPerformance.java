package dev.shipgate.analytics;

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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /analytics/carriers?from=&to=}: how each carrier and service performed for this account, over
 * the parcels delivered on UTC days {@code from} to {@code to} (both inclusive, at most {@link AnalyticsRoutes#MAX_DAYS} days, as analytics ranges): delivered
 * count, on-time share, transit days (first carrier scan to delivery) at p50 and p90, and days from label
 * purchase to the first scan. Which promise "on time" is measured against, and how: {@link CarrierPerformanceSql}.
 * Bad or missing dates, or {@code from} after {@code to}, are 400 problems naming the parameter.
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

    public record View(LocalDate from, LocalDate to, List<CarrierView> carriers) {
    }

    private final SqlTemplate<Map<String, Object>, RowSet<Figures>> byCarrier;

    public CarrierPerformance(Pool rawPool) {
        this.byCarrier = SqlTemplate.forQuery(rawPool, CarrierPerformanceSql.BY_CARRIER).mapTo(Figures::of);
    }

    /** Mount before {@code AnalyticsRoutes}: its {@code /analytics/:date} would otherwise take {@code carriers}. */
    public void mount(Router router) {
        router.get("/analytics/carriers").handler(Handlers.json(this::carriers));
    }

    private Future<View> carriers(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("from", "to"));
        DateRange range = DateRange.parse(ctx.queryParams());
        LocalDate from = range.from();
        LocalDate to = range.to();
        OffsetDateTime start = from.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime before = to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        return byCarrier.execute(Map.of("from", start, "before", before)).map(rows -> new View(from, to, group(rows)));
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
