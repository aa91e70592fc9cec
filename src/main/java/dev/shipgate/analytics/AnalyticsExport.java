package dev.shipgate.analytics;

import dev.shipgate.analytics.Periods.Grouping;
import dev.shipgate.config.BusinessDay;
import dev.shipgate.http.CsvDownloads;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /analytics/export.csv?from=&to=} (or {@code ?days=}, and {@code &group=day|week|month}): the
 * rollup rows of a range (the same business days, {@code BUSINESS_TIMEZONE}, and limits as {@code GET /analytics},
 * read by {@link DateRange}), one row per day (or per week or month: {@code day} is then the bucket's first day
 * inside the range, as the API's {@code days[].date}), carrier, service and status with its shipments, labels,
 * spend and insurance spend (USD). Without {@code group} the rows are days, whatever the range's length (a file
 * has no chart to crowd). Buckets with nothing shipped have no row. Kept apart from
 * {@link AnalyticsRoutes} so the JSON answers can change shape without the file changing under its users.
 */
public final class AnalyticsExport {

    static final List<String> HEADER = List.of("day", "carrier", "service", "status", "shipments", "labels", "spend",
            "insurance_spend");

    private final CsvDownloads downloads;
    private final BusinessDay days;

    /** @param days the business's days: what today is for {@code days=} */
    public AnalyticsExport(CsvDownloads downloads, BusinessDay days) {
        this.downloads = downloads;
        this.days = days;
    }

    /** Mount before {@code GET /analytics/:date}, which would otherwise take {@code export.csv} for a date. */
    public void mount(Router router) {
        router.get("/analytics/export.csv").handler(downloads.handler(this::export));
    }

    private Future<CsvDownloads.Query> export(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("from", "to", "days", "group"));
        DateRange range = DateRange.parse(ctx.queryParams(), days.today());
        LocalDate from = range.from();
        LocalDate to = range.to();
        String group = ctx.queryParams().get("group");
        Grouping grouping = group == null || group.isEmpty() ? Grouping.DAY : Grouping.fromWire(group).orElseThrow(() ->
                Problem.invalidParam("group", "must be day, week or month").exception());
        String sql = switch (grouping) {
            case DAY -> AnalyticsSql.EXPORT;
            case WEEK -> AnalyticsSql.EXPORT_WEEKS;
            case MONTH -> AnalyticsSql.EXPORT_MONTHS;
        };
        String suffix = grouping == Grouping.DAY ? "" : "-by-" + grouping.wire();
        return Future.succeededFuture(new CsvDownloads.Query("analytics-" + from + "-to-" + to + suffix + ".csv", HEADER,
                sql, Tuple.of(from, to), AnalyticsExport::cells));
    }

    private static List<Object> cells(Row row) {
        return List.of(row.getLocalDate(0), nullable(row.getString(1)), nullable(row.getString(2)), nullable(row.getString(3)),
                row.getLong(4), row.getLong(5), row.getBigDecimal(6), row.getBigDecimal(7));
    }

    private static Object nullable(String text) {
        return text == null ? "" : text;
    }
}
