package dev.shipgate.bulk;

import dev.shipgate.http.CsvDownloads;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code GET /jobs/{id}/export.csv}: every row of a bulk job's results, in upload order, numbered as the
 * upload was: {@code line} is the CSV file's line (header = line 1, as in the upload's errors; empty for a
 * JSON upload) and {@code index} the 0-based position (as in a JSON upload's {@code shipments[i]} errors).
 * Then the outcome: state, the error's title, detail and fields, the shipment, its carrier, service,
 * tracking code and price. {@code state} filters like {@code GET /jobs/{id}}. Unknown job: 404.
 */
public final class JobResultsExport {

    static final List<String> HEADER = List.of("line", "index", "reference", "state", "error", "error_detail",
            "error_fields", "attempts", "shipment_id", "carrier", "service", "tracking_code", "rate", "currency",
            "finished_at");
    private static final Set<String> STATES = Set.of("pending", "running", "succeeded", "failed", "cancelled");

    private final BulkJobs jobs;
    private final CsvDownloads downloads;

    public JobResultsExport(Pool rawPool, CsvDownloads downloads) {
        this.jobs = new BulkJobs(rawPool);
        this.downloads = downloads;
    }

    public void mount(Router router) {
        router.get("/jobs/:id/export.csv").handler(downloads.handler(this::export));
    }

    private Future<CsvDownloads.Query> export(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("state"));
        UUID id = Params.uuid("id", ctx.pathParam("id"), "a job id");
        String state = ctx.queryParams().get("state");
        if (state != null && !STATES.contains(state)) {
            throw Problem.invalidParam("state", "must be one of " + String.join(", ", STATES.stream().sorted().toList()))
                    .exception();
        }
        return jobs.progress(id).map(found -> new CsvDownloads.Query("job-" + id + "-results.csv", HEADER, BulkSql.EXPORT,
                Tuple.of(id, state), JobResultsExport::cells));
    }

    private static List<Object> cells(Row row) {
        Object error = row.getValue(4);
        JsonObject problem = error instanceof JsonObject json ? json : null;
        List<Object> cells = new ArrayList<>(HEADER.size());
        cells.add(row.getInteger(0));
        cells.add(row.getInteger(1));
        cells.add(row.getString(2));
        cells.add(row.getString(3));
        cells.add(problem == null ? error == null ? null : String.valueOf(error) : problem.getString("title"));
        cells.add(problem == null ? null : problem.getString("detail"));
        cells.add(problem == null ? null : fields(problem.getValue("invalid_params")));
        cells.add(row.getInteger(5));
        for (int i = 6; i <= 12; i++) { // shipment_id to finished_at, as in BulkSql.EXPORT
            cells.add(row.getValue(i));
        }
        return cells;
    }

    /** {@code name: reason} of every field the error named, separated by {@code "; "}. */
    private static String fields(Object invalidParams) {
        if (!(invalidParams instanceof JsonArray params) || params.isEmpty()) {
            return null;
        }
        return params.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                .map(p -> p.getString("name") + ": " + p.getString("reason")).collect(Collectors.joining("; "));
    }
}
