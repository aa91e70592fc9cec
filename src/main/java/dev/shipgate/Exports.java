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
     * The shipment and analytics exports read {@code readPool} (a read replica when one is configured); a
     * job's results are read from {@code rawPool}, the primary, since they are fetched the moment the job
     * reports itself done.
     *
     * @param days {@code BUSINESS_TIMEZONE}'s days: the list filters' bare dates are days of it, as on
     *             {@code GET /shipments}, and {@code days=} on the analytics export ends on its today
     * @param carriers the connected carriers, for checking the export's {@code carrier} filter
     */
    public static Exports create(Pool rawPool, Pool readPool, dev.shipgate.config.BusinessDay days,
                                 dev.shipgate.carriers.CarrierAccounts carriers) {
        java.time.ZoneId zone = days.zone();
        CsvDownloads downloads = new CsvDownloads(rawPool, MAX_RUNNING, FETCH_ROWS);
        CsvDownloads replicaDownloads = downloads.readingFrom(readPool);
        return new Exports(downloads, new ShipmentExport(readPool, replicaDownloads, zone, carriers),
                new JobResultsExport(rawPool, downloads), new AnalyticsExport(replicaDownloads, days));
    }

    /** Before the features' own routes: {@code /shipments/:id} and {@code /analytics/:date} would take these paths. */
    void mount(Router router) {
        shipments.mount(router);
        jobs.mount(router);
        analytics.mount(router);
    }
}
