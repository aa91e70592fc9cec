package dev.shipgate.analytics;

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
 * {@code GET /analytics/export.csv?from=&to=}: the daily rollup rows of a range (the same days and limits
 * as {@code GET /analytics}), one row per day, carrier, service and status with its shipments, labels,
 * spend and insurance spend (USD). Days with nothing shipped have no row. Kept apart from
 * {@link AnalyticsRoutes} so the JSON answers can change shape without the file changing under its users.
 */
public final class AnalyticsExport {

    static final List<String> HEADER = List.of("day", "carrier", "service", "status", "shipments", "labels", "spend",
            "insurance_spend");

    private final CsvDownloads downloads;

    public AnalyticsExport(CsvDownloads downloads) {
        this.downloads = downloads;
    }

    /** Mount before {@code GET /analytics/:date}, which would otherwise take {@code export.csv} for a date. */
    public void mount(Router router) {
        router.get("/analytics/export.csv").handler(downloads.handler(this::export));
    }

    private Future<CsvDownloads.Query> export(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("from", "to", "group"));
        DateRange range = DateRange.parse(ctx.queryParams());
        LocalDate from = range.from();
        LocalDate to = range.to();
        if (ctx.queryParams().contains("group")) {
            throw Problem.invalidParam("group", "the export always has the finest grain (day, carrier, service, status); "
                    + "sum its rows to group them").exception();
        }
        return Future.succeededFuture(new CsvDownloads.Query("analytics-" + from + "-to-" + to + ".csv", HEADER,
                AnalyticsSql.EXPORT, Tuple.of(from, to), AnalyticsExport::cells));
    }

    private static List<Object> cells(Row row) {
        return List.of(row.getLocalDate(0), nullable(row.getString(1)), nullable(row.getString(2)), nullable(row.getString(3)),
                row.getLong(4), row.getLong(5), row.getBigDecimal(6), row.getBigDecimal(7));
    }

    private static Object nullable(String text) {
        return text == null ? "" : text;
    }
}
