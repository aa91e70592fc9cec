package dev.shipgate.shipments;

import com.easypost.model.ShipmentCollection;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds, at EasyPost, the shipment an earlier attempt of a creation made when that attempt's answer was
 * lost. EasyPost has no idempotency key for shipments, so the account's shipments created since the
 * creation began are listed ({@code GET /v2/shipments?start_datetime=}, newest first, up to
 * {@value #MAX_PAGES} pages of 100) and matched on what the request sent: reference, both addresses'
 * street, ZIP code and name, and the parcel's weight. Matches another creation stored or claimed
 * ({@code easypost_claims}) are never candidates, so identical creations running together cannot take
 * each other's shipments; the caller claims the first candidate it can.
 */
final class CreationLookup {

    private static final int MAX_PAGES = 5;
    /** EasyPost's clock and ours may differ: look a little before the creation began. */
    private static final long CLOCK_SKEW_SECONDS = 120;

    private final EasyPostGateway gateway;
    private final Pool raw;

    CreationLookup(EasyPostGateway gateway, Pool raw) {
        this.gateway = gateway;
        this.raw = raw;
    }

    /**
     * The EasyPost shipments made for {@code request} since {@code since} that creation {@code key} may
     * take: none another creation stored or claimed. Those {@code key} claimed already come first, then the
     * rest oldest first (EasyPost's id breaks ties), so identical creations try them in one order. Empty when
     * EasyPost made none; fails when EasyPost cannot be asked (then nothing is known yet).
     */
    Future<List<com.easypost.model.Shipment>> find(CreateShipment request, OffsetDateTime since, String key) {
        String start = since.minusSeconds(CLOCK_SKEW_SECONDS).withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
        return page(request, start, null, 0, new ArrayList<>()).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(found);
            }
            String[] ids = found.stream().map(com.easypost.model.Shipment::getId).toArray(String[]::new);
            return raw.preparedQuery(CreationSql.OWNERS).execute(Tuple.of(ids, key)).map(rows -> {
                Set<String> taken = new HashSet<>();
                Set<String> mine = new HashSet<>();
                for (Row row : rows) {
                    (row.getBoolean("mine") ? mine : taken).add(row.getString("easypost_id"));
                }
                mine.removeAll(taken);
                return found.stream().filter(s -> !taken.contains(s.getId()))
                        .sorted(Comparator.<com.easypost.model.Shipment, Boolean>comparing(s -> !mine.contains(s.getId()))
                                .thenComparing(CreationLookup::createdAt)
                                .thenComparing(com.easypost.model.Shipment::getId))
                        .toList();
            });
        });
    }

    private Future<List<com.easypost.model.Shipment>> page(CreateShipment request, String start, String beforeId,
                                                           int n, List<com.easypost.model.Shipment> found) {
        Map<String, Object> params = new HashMap<>();
        params.put("page_size", 100);
        params.put("start_datetime", start);
        if (beforeId != null) {
            params.put("before_id", beforeId);
        }
        return gateway.<ShipmentCollection>call("list shipments", Repeat.SAFE, c -> c.shipment.all(params)).compose(page -> {
            List<com.easypost.model.Shipment> shipments = page.getShipments() == null ? List.of() : page.getShipments();
            for (com.easypost.model.Shipment s : shipments) {
                if (matches(s, request)) {
                    found.add(s);
                }
            }
            if (Boolean.TRUE.equals(page.getHasMore()) && !shipments.isEmpty() && n + 1 < MAX_PAGES) {
                return page(request, start, shipments.get(shipments.size() - 1).getId(), n + 1, found);
            }
            return Future.succeededFuture(found);
        });
    }

    /** Whether EasyPost's shipment carries what the request sent. */
    static boolean matches(com.easypost.model.Shipment s, CreateShipment request) {
        return Objects.equals(blankToNull(s.getReference()), blankToNull(request.reference()))
                && same(s.getToAddress(), request.toAddress())
                && same(s.getFromAddress(), request.fromAddress())
                && s.getParcel() != null && s.getParcel().getWeight() != null
                && new BigDecimal(Float.toString(s.getParcel().getWeight()))
                        .subtract(request.parcel().weight()).abs().compareTo(new BigDecimal("0.001")) < 0;
    }

    private static boolean same(com.easypost.model.Address a, AddressInput sent) {
        return a != null && text(a.getStreet1()).equals(text(sent.street1())) && text(a.getZip()).equals(text(sent.zip()))
                && text(a.getName()).equals(text(sent.name()));
    }

    private static String text(String s) {
        return s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Instant createdAt(com.easypost.model.Shipment s) {
        return s.getCreatedAt() == null ? Instant.EPOCH : s.getCreatedAt().toInstant();
    }
}
