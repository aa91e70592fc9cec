package dev.shipgate;

import dev.shipgate.analytics.AnalyticsExport;
import dev.shipgate.bulk.JobResultsExport;
import dev.shipgate.http.CsvDownloads;
import dev.shipgate.shipments.ShipmentExport;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * The CSV exports of the shipment list, a bulk job's results and an analytics range, sharing one
 * {@link CsvDownloads}: at most {@value #MAX_RUNNING} run at once in the process (each holds a raw-pool
 * connection while it streams, so exports can never take the pool from the API), read
 * {@value #FETCH_ROWS} rows per cursor fetch.
 */
public record Exports(CsvDownloads downloads, ShipmentExport shipments, JobResultsExport jobs, AnalyticsExport analytics) {

    static final int MAX_RUNNING = 2;
    static final int FETCH_ROWS = 1000;

    /**
     * @param zone {@code BUSINESS_TIMEZONE}: the list filters' bare dates are days of it, as on {@code GET /shipments}
     * @param carriers the connected carriers, for checking the export's {@code carrier} filter
     */
    public static Exports create(Pool rawPool, java.time.ZoneId zone, dev.shipgate.carriers.CarrierAccounts carriers) {
        CsvDownloads downloads = new CsvDownloads(rawPool, MAX_RUNNING, FETCH_ROWS);
        return new Exports(downloads, new ShipmentExport(rawPool, downloads, zone, carriers), new JobResultsExport(rawPool, downloads),
                new AnalyticsExport(downloads));
    }

    /** Before the features' own routes: {@code /shipments/:id} and {@code /analytics/:date} would take these paths. */
    void mount(Router router) {
        shipments.mount(router);
        jobs.mount(router);
        analytics.mount(router);
    }
}
