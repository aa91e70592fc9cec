package dev.shipgate.shipments;

import com.easypost.model.PostageLabel;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;

/**
 * A bought label in the format a printer needs. EasyPost converts a bought label on request
 * ({@code GET /v2/shipments/{id}/label?file_format=...}, "Convert the label format of a Shipment" in its API
 * reference; only a label bought as PNG converts) and then keeps the file; so does this class, per shipment
 * and format, so asking again answers from PostgreSQL without calling EasyPost.
 */
public final class LabelFiles {

    /** A label file: the shipment, its format (lower case), where to fetch it and what it holds. */
    public record LabelFile(UUID shipmentId, String format, String labelUrl, String mediaType) {
    }

    private final Pool raw;
    private final EasyPostGateway gateway;
    private final ShipmentReadSql reads;

    public LabelFiles(Pool raw, EasyPostGateway gateway) {
        this.raw = raw;
        this.gateway = gateway;
        this.reads = new ShipmentReadSql(raw);
    }

    /**
     * The label of shipment {@code id} in {@code format}: stored, or converted by EasyPost once and stored.
     * Fails with 404 (no such shipment), 409 {@code no-label} naming the shipment when it has no label yet,
     * 422 naming {@code format} when the label was bought in another format than PNG (EasyPost converts only
     * PNG labels, so it is not asked), EasyPost's 422 when it refuses otherwise, or 502 when EasyPost's answer
     * has no file in that format.
     */
    public Future<LabelFile> label(UUID id, LabelFormat format) {
        return reads.find(id).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception());
            }
            if (view.labelUrl() == null) {
                return Future.failedFuture(Problem.of(ProblemType.NO_LABEL, "shipment " + id
                        + " has no label to convert: buy one first").with("shipment_id", id.toString()).exception());
            }
            return raw.preparedQuery(LabelFileSql.FIND).execute(Tuple.of(id, format.lowerName())).compose(rows -> {
                if (rows.size() == 1) {
                    return Future.succeededFuture(file(id, format, rows.iterator().next().getString("url")));
                }
                return raw.preparedQuery(LabelFileSql.BOUGHT_FORMAT).execute(Tuple.of(id)).compose(bought -> {
                    String as = bought.size() == 1 ? bought.iterator().next().getString("label_format") : null;
                    if (as != null && !as.equals(LabelFormat.PNG.lowerName())) {
                        return Future.failedFuture(Problem.invalidField("format", "the label of shipment " + id
                                + " was bought as " + as + " and EasyPost converts only labels bought as png; ask for " + as
                                + ", or buy labels as png (label_format) to convert them").exception());
                    }
                    return convert(id, view.easypostId(), format);
                });
            });
        });
    }

    private Future<LabelFile> convert(UUID id, String easypostId, LabelFormat format) {
        return gateway.call("convert label", Repeat.SAFE,
                        c -> c.shipment.label(easypostId, Map.<String, Object>of("file_format", format.name())))
                .compose(converted -> {
                    String url = converted.getPostageLabel() == null ? null : urlFor(converted.getPostageLabel(), format);
                    if (url == null) {
                        return Future.failedFuture(Problem.of(ProblemType.EASYPOST_ERROR,
                                "EasyPost converted the label of shipment " + id + " but sent no " + format.lowerName()
                                        + " file").exception());
                    }
                    return raw.preparedQuery(LabelFileSql.STORE).execute(Tuple.of(id, format.lowerName(), url))
                            .map(stored -> file(id, format, url));
                });
    }

    private static String urlFor(PostageLabel label, LabelFormat format) {
        return switch (format) {
            case PNG -> label.getLabelUrl();
            case PDF -> label.getLabelPdfUrl();
            case ZPL -> label.getLabelZplUrl();
            case EPL2 -> label.getLabelEpl2Url();
        };
    }

    private static LabelFile file(UUID id, LabelFormat format, String url) {
        return new LabelFile(id, format.lowerName(), url, format.mediaType());
    }
}
