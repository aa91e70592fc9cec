package dev.shipgate.shipments;

import dev.shipgate.http.CsvDownloads;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /shipments/export.csv}: every shipment the list ({@code GET /shipments}) would show with the
 * same filters, on one page, in the list's order (newest first), as CSV with both addresses. A
 * {@code cursor} from the list continues after that shipment; {@code limit} is refused, since the export
 * has no pages. Streamed through {@link CsvDownloads} as keyset pages in one snapshot, so a million rows take
 * no more memory than ten and the first row goes out as soon as the first page is read.
 */
public final class ShipmentExport {

    /** The columns, in the order of the export SQL ({@code ShipmentListSql.EXPORT_PAGE}); times are UTC ISO-8601. */
    static final List<String> HEADER = List.of("id", "easypost_id", "created_at", "updated_at", "status", "status_at",
            "refund_status", "reference", "recipient_name", "carrier", "service", "rate", "currency", "insured_amount",
            "insurance_fee", "tracking_code", "label_bought_at",
            "to_name", "to_company", "to_street1", "to_street2", "to_city", "to_state", "to_zip", "to_country",
            "from_name", "from_company", "from_street1", "from_street2", "from_city", "from_state", "from_zip", "from_country");

    private final ShipmentListSql list;
    private final CsvDownloads downloads;
    private final ZoneId zone;

    /**
     * @param zone {@code BUSINESS_TIMEZONE}: bare dates in {@code created_from}/{@code created_to} are its days
     * @param carriers the connected carriers, which {@code carrier} may name as the list's filter may
     */
    public ShipmentExport(Pool rawPool, CsvDownloads downloads, ZoneId zone, dev.shipgate.carriers.CarrierAccounts carriers) {
        this.list = new ShipmentListSql(rawPool, carriers);
        this.downloads = downloads;
        this.zone = zone;
    }

    /** The list's parameters without {@code limit}: the export has every matching shipment from the cursor on. */
    static final List<String> EXPORT_PARAMS = ShipmentRoutes.LIST_PARAMS.stream().filter(p -> !p.equals("limit")).toList();

    /** Mount before {@code GET /shipments/:id}, which would otherwise take {@code export.csv} for an id. */
    public void mount(Router router) {
        router.get("/shipments/export.csv").handler(downloads.handler(this::export));
    }

    private Future<CsvDownloads.Query> export(RoutingContext ctx) {
        if (ctx.queryParams().contains("limit")) {
            throw Problem.invalidParam("limit", "the export has every matching shipment; page with GET /shipments instead")
                    .exception();
        }
        dev.shipgate.http.Params.only(ctx, EXPORT_PARAMS);
        ListQuery query = ListQuery.parse(ctx.queryParams(), zone);
        String filename = "shipments-" + LocalDate.now(zone) + ".csv";
        return list.export(query).map(pages -> CsvDownloads.Query.paged(filename, HEADER, pages, ShipmentExport::cells));
    }

    private static List<Object> cells(Row row) {
        List<Object> cells = new ArrayList<>(HEADER.size());
        for (int i = 0; i < HEADER.size(); i++) {
            cells.add(row.getValue(i));
        }
        return cells;
    }
}
