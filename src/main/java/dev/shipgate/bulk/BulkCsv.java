package dev.shipgate.bulk;

import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.StorableText;
import dev.shipgate.shipments.Customs;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.bulk.BulkRequests.BulkShipment;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV uploads for bulk jobs, as operators' spreadsheets save them: one shipment per row, columns named by
 * the header in any order and any case. Errors name the file's own line numbers (header = line 1) and the
 * column, every fault of every row at once, so an operator can fix the file in one pass. A column Shipgate
 * does not know refuses the upload rather than being dropped. Rows become the same requests a JSON upload
 * binds to and pass the same validation ({@link Json#validate}), so a bad row refuses the upload before
 * anything is stored. Bytes are decoded by {@link CsvText}; quoting and delimiters by Commons CSV.
 */
final class BulkCsv {

    /** Customs items a row can declare; a shipment with more goes through the JSON API. */
    static final int CUSTOMS_ITEMS = 5;
    /** The columns of one customs item, each {@code customs_item<N>_<field>} with N from 1. */
    static final List<String> ITEM_FIELDS = List.of("description", "quantity", "value", "weight", "hs_tariff_number",
            "origin_country", "code");
    /** The declaration's columns: {@code customs_<field>} ({@code customs_signer} and {@code customs_certify} as EasyPost names them). */
    static final List<String> CUSTOMS_FIELDS = List.of("contents_type", "contents_explanation", "non_delivery_option",
            "restriction_type", "restriction_comments", "eel_pfc", "signer", "certify");
    static final List<String> COLUMNS = columns();
    private static final Set<String> NUMBERS = numbers();
    static final List<String> REQUIRED = List.of("to_street1", "to_city", "to_zip", "from_street1", "from_city", "from_zip",
            "weight");
    /** As for JSON numbers: longer digit strings are refused before they are parsed. */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Faults listed in one problem; a file wrong on every line would otherwise make a megabyte of errors. */
    private static final int MAX_FAULTS = 1000;

    /** One data row: the file line it starts on, and the shipment it asks for. */
    record Row(int line, BulkShipment shipment) {
    }

    /** What is wrong at a line (and column, when one is at fault); {@code malformed} faults are 400s, the rest 422s. */
    private record Fault(int line, String column, String reason, boolean malformed) {

        String name() {
            return column == null ? "line " + line : "line " + line + ": " + column;
        }
    }

    private BulkCsv() {
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("reference",
                "to_name", "to_company", "to_street1", "to_street2", "to_city", "to_state", "to_zip", "to_country", "to_phone", "to_email",
                "from_name", "from_company", "from_street1", "from_street2", "from_city", "from_state", "from_zip", "from_country",
                "from_phone", "from_email", "length", "width", "height", "weight", "insurance"));
        CUSTOMS_FIELDS.forEach(f -> columns.add("customs_" + f));
        for (int n = 1; n <= CUSTOMS_ITEMS; n++) {
            for (String f : ITEM_FIELDS) {
                columns.add("customs_item" + n + "_" + f);
            }
        }
        return List.copyOf(columns);
    }

    private static Set<String> numbers() {
        Set<String> numbers = new java.util.HashSet<>(Set.of("length", "width", "height", "weight", "insurance"));
        for (int n = 1; n <= CUSTOMS_ITEMS; n++) {
            numbers.add("customs_item" + n + "_value");
            numbers.add("customs_item" + n + "_weight");
        }
        return Set.copyOf(numbers);
    }

    /**
     * The row's customs declaration, or null when no customs column has a value. Items are the numbered
     * groups with any value, in number order; quantity must be a whole number, certify true or false.
     */
    private static Customs.CustomsInfoInput customs(Map<String, String> values, int line, List<Fault> faults) {
        if (values.keySet().stream().noneMatch(c -> c.startsWith("customs_"))) {
            return null;
        }
        List<Customs.CustomsItemInput> items = new ArrayList<>();
        for (int n = 1; n <= CUSTOMS_ITEMS; n++) {
            String p = "customs_item" + n + "_";
            if (ITEM_FIELDS.stream().noneMatch(f -> values.containsKey(p + f))) {
                continue;
            }
            items.add(new Customs.CustomsItemInput(values.get(p + "description"), whole(values, p + "quantity", line, faults),
                    number(values, p + "value", line, faults), number(values, p + "weight", line, faults),
                    values.get(p + "hs_tariff_number"), values.get(p + "origin_country"), values.get(p + "code")));
        }
        String certify = values.get("customs_certify");
        Boolean certified = certify == null ? null : switch (certify.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                faults.add(new Fault(line, "customs_certify", "must be true or false", true));
                yield null;
            }
        };
        return new Customs.CustomsInfoInput(values.get("customs_contents_type"), values.get("customs_contents_explanation"),
                values.get("customs_non_delivery_option"), values.get("customs_restriction_type"),
                values.get("customs_restriction_comments"), values.get("customs_eel_pfc"), values.get("customs_signer"),
                certified, items);
    }

    private static Integer whole(Map<String, String> values, String column, int line, List<Fault> faults) {
        String v = values.get(column);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{1,9}")) {
            faults.add(new Fault(line, column, "must be a whole number", true));
            return null;
        }
        return Integer.valueOf(v);
    }

    /**
     * Reads an upload. {@code declaredCharset} is the request's {@code charset} parameter, or null for UTF-8
     * (or what a byte-order mark says). Fails with one problem listing every fault.
     */
    static List<Row> parse(byte[] body, String declaredCharset) {
        return parse(body, declaredCharset, true);
    }

    /**
     * The rows of an upload; {@code buying}: the job buys labels, so a row may ask for insurance (its
     * {@code insurance} column, USD; at most the customs value the row declares).
     */
    static List<Row> parse(byte[] body, String declaredCharset, boolean buying) {
        CsvText text = CsvText.decode(body, declaredCharset);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(text.delimiter()).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text.text()), format)) {
            return rows(text, parser, buying);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Row> rows(CsvText text, CSVParser parser, boolean buying) {
        Iterator<CSVRecord> records = parser.iterator();
        CSVRecord headerRecord = next(text, parser, records);
        if (headerRecord == null) {
            throw Problem.invalid(400, "the CSV has no header line", List.of(new Problem.InvalidParam("body",
                    "must start with a header line naming the columns, then one line per shipment"))).exception();
        }
        int headerLine = text.lineAt(headerRecord.getCharacterPosition());
        String[] columns = header(text, headerRecord, headerLine);
        List<Row> rows = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        for (CSVRecord record = next(text, parser, records); record != null; record = next(text, parser, records)) {
            if (isBlank(record)) {
                continue;
            }
            if (rows.size() == BulkRequests.MAX_ITEMS) {
                throw Problem.invalid(422, "at most " + BulkRequests.MAX_ITEMS + " shipment rows per upload",
                        List.of(new Problem.InvalidParam("body", "must have at most " + BulkRequests.MAX_ITEMS + " shipment rows")))
                        .exception();
            }
            int line = text.lineAt(record.getCharacterPosition());
            List<Fault> found = new ArrayList<>();
            BulkShipment shipment = row(text, columns, headerLine, record, line, found, buying);
            faults.addAll(found);
            rows.add(new Row(line, shipment));
        }
        if (!faults.isEmpty()) {
            throw refusal(faults);
        }
        if (rows.isEmpty()) {
            throw Problem.invalid(422, "the CSV has a header line but no shipment rows",
                    List.of(new Problem.InvalidParam("body", "must have at least one shipment row after the header"))).exception();
        }
        return rows;
    }

    /** The next record, or null at the end; an unclosed quote is a 400 naming the line it opens on. */
    private static CSVRecord next(CsvText text, CSVParser parser, Iterator<CSVRecord> records) {
        long linesRead = parser.getCurrentLineNumber();
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            int line = text.firstNonBlankLineFrom((int) linesRead + 1);
            String reason = "is not valid CSV: a value opens a double quote (\") that is never closed, or has text right after "
                    + "its closing quote; put the whole value in quotes and double any quote inside it (\"\")";
            throw Problem.invalid(400, "line " + line + " " + reason, List.of(new Problem.InvalidParam("line " + line, reason)))
                    .exception();
        }
    }

    /** The canonical column name at each index (null for an unnamed, empty column), or a 422 naming what is wrong. */
    private static String[] header(CsvText text, CSVRecord record, int line) {
        String[] columns = new String[record.size()];
        List<Fault> faults = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < record.size(); i++) {
            String raw = record.get(i);
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (text.hasUndecodable(raw)) {
                faults.add(new Fault(line, "column " + (i + 1), text.undecodableReason(), true));
            } else if (name.isEmpty()) {
                continue;
            } else if (!COLUMNS.contains(name)) {
                faults.add(new Fault(line, raw.strip(), unknownColumn(name), false));
            } else if (seen.containsKey(name)) {
                faults.add(new Fault(line, raw.strip(), "names the same column as column " + (seen.get(name) + 1)
                        + " (names are matched ignoring case and surrounding spaces)", false));
            } else {
                seen.put(name, i);
                columns[i] = name;
            }
        }
        for (String required : REQUIRED) {
            if (!seen.containsKey(required)) {
                faults.add(new Fault(line, required, "is a required column and is missing", false));
            }
        }
        if (!faults.isEmpty()) {
            throw refusal(faults).problem().with("accepted_columns", new JsonArray(COLUMNS))
                    .with("required_columns", new JsonArray(REQUIRED)).exception();
        }
        return columns;
    }

    private static String unknownColumn(String name) {
        String normalised = name.replaceAll("[\\s-]+", "_");
        String suggestion = COLUMNS.contains(normalised) ? normalised
                : COLUMNS.stream().filter(c -> name.startsWith(c) || c.startsWith(name)).findFirst().orElse(null);
        return "is not a column Shipgate knows" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                + "; the columns are " + String.join(", ", COLUMNS);
    }

    /** Excel leaves lines of bare delimiters after the data; they hold no shipment. */
    private static boolean isBlank(CSVRecord record) {
        for (String value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static BulkShipment row(CsvText text, String[] columns, int headerLine, CSVRecord record, int line,
                                    List<Fault> faults, boolean buying) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < record.size(); i++) {
            String raw = record.get(i);
            String column = i < columns.length ? columns[i] : null;
            if (column == null) {
                if (!raw.isBlank()) {
                    faults.add(new Fault(line, "column " + (i + 1), i < columns.length
                            ? "has a value but line " + headerLine + " gives this column no name"
                            : "is beyond the " + columns.length + " columns of line " + headerLine
                                    + " (a value holding the delimiter must be in double quotes)", true));
                }
                continue;
            }
            String reason = text.hasUndecodable(raw) ? text.undecodableReason() : StorableText.problem(raw);
            if (reason != null) {
                faults.add(new Fault(line, column, reason, text.hasUndecodable(raw)));
            } else if (!raw.isBlank()) {
                values.put(column, raw.strip());
            }
        }
        ParcelInput parcel = new ParcelInput(number(values, "length", line, faults), number(values, "width", line, faults),
                number(values, "height", line, faults), number(values, "weight", line, faults), null);
        BulkShipment shipment = BulkShipment.of(new CreateShipment(address(values, "to_"), address(values, "from_"), parcel,
                values.get("reference"), null, customs(values, line, faults)), number(values, "insurance", line, faults));
        Set<String> reported = faults.stream().map(Fault::column).collect(Collectors.toSet());
        try {
            Json.validate(shipment);
        } catch (ProblemException e) {
            for (Problem.InvalidParam p : e.problem().invalidParams()) {
                String column = column(p.name());
                if (!reported.contains(column)) {
                    faults.add(new Fault(line, column, p.reason(), false));
                    reported.add(column);
                }
            }
        }
        String insurance = reported.contains("insurance") ? null : shipment.insuranceProblem(buying);
        if (insurance != null) {
            faults.add(new Fault(line, "insurance", insurance, false));
        }
        return shipment;
    }

    private static AddressInput address(Map<String, String> values, String prefix) {
        return new AddressInput(values.get(prefix + "name"), values.get(prefix + "company"), values.get(prefix + "street1"),
                values.get(prefix + "street2"), values.get(prefix + "city"), values.get(prefix + "state"),
                values.get(prefix + "zip"), values.get(prefix + "country"), values.get(prefix + "phone"),
                values.get(prefix + "email"), null);
    }

    private static BigDecimal number(Map<String, String> values, String column, int line, List<Fault> faults) {
        String v = values.get(column);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_NUMBER_LENGTH) {
            faults.add(new Fault(line, column, "must be a number of at most " + MAX_NUMBER_LENGTH + " characters", true));
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            faults.add(new Fault(line, column, v.matches("[0-9]+,[0-9]+")
                    ? "must be a number with a point as the decimal separator (15.4, not 15,4)" : "must be a number", true));
            return null;
        }
    }

    /** The CSV column of a field named as in a JSON upload: {@code to_address.zip} is {@code to_zip}. */
    static String column(String field) {
        java.util.regex.Matcher item = java.util.regex.Pattern.compile("customs_info\\.customs_items\\[(\\d+)]\\.(\\w+)").matcher(field);
        if (item.matches()) {
            return "customs_item" + (Integer.parseInt(item.group(1)) + 1) + "_" + item.group(2);
        }
        if (field.equals("customs_info") || field.startsWith("customs_info.customs_items")) {
            return field.equals("customs_info") ? "customs_contents_type" : "customs_item1_description";
        }
        if (field.startsWith("customs_info.")) {
            String f = field.substring("customs_info.".length());
            return f.startsWith("customs_") ? f : "customs_" + f;
        }
        if (field.startsWith("to_address.")) {
            return "to_" + field.substring("to_address.".length());
        }
        if (field.startsWith("from_address.")) {
            return "from_" + field.substring("from_address.".length());
        }
        if (field.startsWith("parcel.")) {
            return field.substring("parcel.".length());
        }
        return field;
    }

    /** One problem for all faults, in file order: 400 if any value is malformed, else 422. */
    private static ProblemException refusal(List<Fault> faults) {
        faults.sort(Comparator.comparingInt(Fault::line).thenComparingInt(f -> order(f.column())));
        boolean malformed = faults.stream().anyMatch(Fault::malformed);
        List<Problem.InvalidParam> params = faults.stream().limit(MAX_FAULTS)
                .map(f -> new Problem.InvalidParam(f.name(), f.reason())).toList();
        String detail = params.stream().limit(20).map(p -> p.name() + " " + p.reason()).collect(Collectors.joining("; "))
                + (faults.size() > 20 ? "; and " + (faults.size() - 20) + " more" : "");
        return Problem.invalid(malformed ? 400 : 422, detail, params).exception();
    }

    private static int order(String column) {
        int i = column == null ? -1 : COLUMNS.indexOf(column);
        return i < 0 ? COLUMNS.size() : i;
    }
}
