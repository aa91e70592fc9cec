package dev.shipgate.shipments;

import dev.shipgate.carriers.CarrierAccounts;
import dev.shipgate.http.CsvDownloads;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentViews.ShipmentPage;
import dev.shipgate.shipments.ShipmentViews.ShipmentSummary;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.templates.RowMapper;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipment list on the raw path. Each combination of filters gets its own SQL text (at most 64),
 * built once and cached, so every variant is a plain prepared statement the planner can fit to its
 * index instead of one catch-all query with {@code OR $1 IS NULL} branches.
 */
final class ShipmentListSql {

    private static final String SELECT = """
            SELECT id, easypost_id, status, carrier, service, rate, currency, tracking_code, reference,
                   recipient_name, refund_status, created_at, updated_at
            FROM shipments""";

    private static final String[] CONDITIONS = {
        "status = #{status}",
        "carrier = ANY(#{carriers})",
        "created_at >= #{created_from}",
        "created_at < #{created_before}",
        "search_text LIKE #{q}",
        "(created_at, id) < (#{cursor_at}, #{cursor_id})",
    };

    /**
     * One page of the export, with its columns in {@link ShipmentExport#HEADER} order: the list's fields, the
     * timestamps, the insurance and both addresses. The filters and the keyset cursor apply to shipments alone
     * (the list's conditions name its columns unqualified) and the page is cut there, so the list's index in
     * its order ({@code created_at DESC, id DESC}, alone or after status or carrier) delivers the page's rows
     * without a sort; then each one's two addresses are looked up by id.
     */
    private static final String EXPORT_PAGE = """
            SELECT s.id, s.easypost_id, s.created_at, s.updated_at, s.status, s.status_at, s.refund_status, s.reference,
                   s.recipient_name, s.carrier, s.service, s.rate, CASE WHEN s.rate IS NULL THEN NULL ELSE s.currency END,
                   s.insured_amount, s.insurance_fee,
                   s.tracking_code, s.label_bought_at,
                   t.name, t.company, t.street1, t.street2, t.city, t.state, t.zip, t.country,
                   f.name, f.company, f.street1, f.street2, f.city, f.state, f.zip, f.country
            FROM (SELECT * FROM shipments#{where}
                  ORDER BY created_at DESC, id DESC
                  LIMIT #{rows}) s
            JOIN addresses t ON t.id = s.to_address_id
            JOIN addresses f ON f.id = s.from_address_id
            ORDER BY s.created_at DESC, s.id DESC""";

    /** The keyset condition among {@link #CONDITIONS}: rows after the cursor in the list's order. */
    private static final int CURSOR = 1 << 5;

    private static final Pattern NAMED = Pattern.compile("#\\{(\\w+)}");

    /**
     * The stored spellings of a carrier name, matched case-insensitively ({@code usps} finds {@code USPS}):
     * carriers are stored as EasyPost spells them, and a loose index scan over the carrier index visits each
     * distinct carrier once, so the list itself keeps an exact, index-friendly {@code carrier = ANY(...)}.
     */
    private static final String CARRIER_SPELLINGS = """
            WITH RECURSIVE spelled(carrier) AS (
                SELECT min(carrier) FROM shipments
                UNION ALL
                SELECT (SELECT min(s.carrier) FROM shipments s WHERE s.carrier > spelled.carrier)
                FROM spelled WHERE spelled.carrier IS NOT NULL)
            SELECT carrier FROM spelled WHERE carrier IS NOT NULL AND lower(carrier) = lower($1)""";

    /** Every carrier some shipment has, by the same loose index scan: for naming them when a filter matches none. */
    private static final String KNOWN_CARRIERS = """
            WITH RECURSIVE spelled(carrier) AS (
                SELECT min(carrier) FROM shipments
                UNION ALL
                SELECT (SELECT min(s.carrier) FROM shipments s WHERE s.carrier > spelled.carrier)
                FROM spelled WHERE spelled.carrier IS NOT NULL)
            SELECT carrier FROM spelled WHERE carrier IS NOT NULL""";

    /** A currency only with an amount: the column's default ({@code USD}) names nothing on a shipment not yet rated. */
    static final RowMapper<ShipmentSummary> ROW = row -> new ShipmentSummary(
            row.getUUID("id"), row.getString("easypost_id"), row.getString("status"), row.getString("carrier"),
            row.getString("service"), row.getBigDecimal("rate"), row.getBigDecimal("rate") == null ? null : row.getString("currency"),
            row.getString("tracking_code"), row.getString("reference"), row.getString("recipient_name"),
            row.getString("refund_status"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));

    private final Pool pool;
    private final CarrierAccounts connected;
    private final Map<Integer, SqlTemplate<Map<String, Object>, RowSet<ShipmentSummary>>> templates =
            new ConcurrentHashMap<>();

    /** @param connected the carriers a filter may also name before any shipment of theirs exists */
    ShipmentListSql(Pool pool, CarrierAccounts connected) {
        this.pool = pool;
        this.connected = connected;
    }

    Future<ShipmentPage> page(ListQuery query) {
        return carriers(query).compose(carriers -> page(query, carriers));
    }

    /**
     * The stored spellings of the carrier filter, or null without one. A carrier no shipment has is still
     * a valid filter (0 rows) when it is connected to the EasyPost account (the cached list, asked at most
     * every {@link CarrierAccounts#TTL}); any other name is a typo such as {@code carrier=Nope}, a 400 naming
     * {@code carrier} rather than an empty page. When EasyPost cannot be asked, the filter is kept (0 rows):
     * reading stored shipments must not depend on EasyPost being up.
     */
    private Future<String[]> carriers(ListQuery query) {
        if (query.carrier().isEmpty()) {
            return Future.succeededFuture(null);
        }
        String carrier = query.carrier().get();
        return pool.preparedQuery(CARRIER_SPELLINGS).execute(io.vertx.sqlclient.Tuple.of(carrier)).compose(rows -> {
            List<String> spellings = new ArrayList<>();
            rows.forEach(r -> spellings.add(r.getString(0)));
            if (!spellings.isEmpty()) {
                return Future.succeededFuture(spellings.toArray(String[]::new));
            }
            String[] asGiven = {carrier};
            return connected.list(false).transform(ar -> {
                if (ar.failed() || ar.result().carriers().contains(carrier)) {
                    return Future.succeededFuture(asGiven);
                }
                return pool.query(KNOWN_CARRIERS).execute().compose(known -> {
                    java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    names.addAll(ar.result().carriers());
                    known.forEach(r -> names.add(r.getString(0)));
                    return Future.failedFuture(Problem.invalidParam("carrier", "is not a connected carrier nor one any "
                            + "shipment has; known carriers: " + String.join(", ", names)).exception());
                });
            });
        });
    }

    /** Puts the query's filters into {@code params}; answers which of {@link #CONDITIONS} apply, as bits. */
    private static int bind(ListQuery query, String[] carriers, Map<String, Object> params) {
        int mask = 0;
        if (query.status().isPresent()) {
            mask |= 1;
            params.put("status", query.status().get());
        }
        if (query.carrier().isPresent()) {
            mask |= 1 << 1;
            params.put("carriers", carriers);
        }
        if (query.createdFrom().isPresent()) {
            mask |= 1 << 2;
            params.put("created_from", query.createdFrom().get());
        }
        if (query.createdBefore().isPresent()) {
            mask |= 1 << 3;
            params.put("created_before", query.createdBefore().get());
        }
        if (query.q().isPresent()) {
            mask |= 1 << 4;
            params.put("q", "%" + escapeLike(query.q().get().toLowerCase()) + "%");
        }
        if (query.cursor().isPresent()) {
            mask |= 1 << 5;
            params.put("cursor_at", query.cursor().get().createdAt());
            params.put("cursor_id", query.cursor().get().id());
        }
        return mask;
    }

    private static String where(int mask) {
        List<String> where = new ArrayList<>();
        for (int i = 0; i < CONDITIONS.length; i++) {
            if ((mask & (1 << i)) != 0) {
                where.add(CONDITIONS[i]);
            }
        }
        return where.isEmpty() ? "" : "\nWHERE " + String.join("\n  AND ", where);
    }

    private Future<ShipmentPage> page(ListQuery query, String[] carriers) {
        Map<String, Object> params = new HashMap<>();
        int mask = bind(query, carriers, params);
        params.put("limit", query.limit() + 1);
        return templates.computeIfAbsent(mask, this::template).execute(params).map(rows -> {
            List<ShipmentSummary> page = new ArrayList<>(query.limit());
            for (ShipmentSummary s : rows) {
                if (page.size() < query.limit()) {
                    page.add(s);
                }
            }
            boolean more = rows.size() > query.limit();
            ShipmentSummary last = page.isEmpty() ? null : page.get(page.size() - 1);
            String next = more ? new dev.shipgate.http.PageCursor(last.createdAt(), last.id()).encode() : null;
            return new ShipmentPage(page, more, next, query.timeZone().getId());
        });
    }

    /**
     * Every shipment the list's filters match (no page limit), in the list's order, with both addresses, as
     * keyset pages: the same {@link #CONDITIONS} as the list, so the export cannot drift from what the list
     * shows. The first page starts at the query's own cursor, if it has one; each next one after the last row
     * read (its {@code created_at} and {@code id}, the export's columns 3 and 1).
     */
    Future<CsvDownloads.Pages> export(ListQuery query) {
        return carriers(query).map(carriers -> {
            Map<String, Object> params = new HashMap<>();
            int mask = bind(query, carriers, params);
            Positional first = Positional.of(exportPage(mask));
            Positional next = Positional.of(exportPage(mask | CURSOR));
            return (last, rows) -> {
                Map<String, Object> values = new HashMap<>(params);
                values.put("rows", rows);
                if (last == null) {
                    return first.page(values);
                }
                values.put("cursor_at", last.getOffsetDateTime(2));
                values.put("cursor_id", last.getUUID(0));
                return next.page(values);
            };
        });
    }

    /** An export page's SQL with the {@link #CONDITIONS} of {@code mask}, named parameters ({@code #{rows}}). */
    static String exportPage(int mask) {
        return EXPORT_PAGE.replace("#{where}", where(mask));
    }

    /** SQL whose {@code #{named}} parameters became positional ({@code $1}), and their names in that order. */
    private record Positional(String sql, List<String> names) {

        static Positional of(String named) {
            Matcher matcher = NAMED.matcher(named);
            List<String> names = new ArrayList<>();
            StringBuilder sql = new StringBuilder();
            while (matcher.find()) {
                if (!names.contains(matcher.group(1))) {
                    names.add(matcher.group(1));
                }
                matcher.appendReplacement(sql, "\\$" + (names.indexOf(matcher.group(1)) + 1));
            }
            matcher.appendTail(sql);
            return new Positional(sql.toString(), List.copyOf(names));
        }

        CsvDownloads.Page page(Map<String, Object> values) {
            Tuple tuple = Tuple.tuple();
            names.forEach(name -> tuple.addValue(values.get(name)));
            return new CsvDownloads.Page(sql, tuple);
        }
    }

    private SqlTemplate<Map<String, Object>, RowSet<ShipmentSummary>> template(int mask) {
        String sql = SELECT + where(mask) + "\nORDER BY created_at DESC, id DESC\nLIMIT #{limit}";
        return SqlTemplate.forQuery(pool, sql).mapTo(ROW);
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

}
