package io.portlink.shipment;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.portlink.platform.Convention;
import io.portlink.platform.CsvFile;
import io.portlink.platform.Fields;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * Reads a shipments CSV (one row per shipment) into validated rows and a list of every problem found, each with its row
 * (header = row 1), column and value. The fields are checked by {@link ShipmentInput#toDraft}, the same rules as the
 * API and the staff form; only the names of the places differ (a column here, a JSON path there). The stage is kept as
 * written: it names a stage of the organisation's pipeline, which {@link ShipmentImport} resolves.
 */
public final class ShipmentCsv {

    /**
     * The pickup's and the delivery's columns after their prefix ({@code pickup_}, {@code delivery_}), and the field of
     * {@link ShipmentStops.StopInput} each one fills.
     */
    static final Map<String, String> STOP_COLUMNS = stopColumns();

    /** The prefixes of the stop columns: the pickup (first stop) and the delivery (last stop). */
    static final String PICKUP = "pickup_";
    static final String DELIVERY = "delivery_";

    /**
     * Every column, in the template's order; each but stage and estimated_arrival is one field of the input, the
     * optional pickup_ and delivery_ columns are one field of that stop ({@link ShipmentStops.StopInput}).
     */
    public static final List<String> COLUMNS = columns();
    private static final List<String> REQUIRED = List.of("reference", "title");
    private static final CsvFile.Columns HEADER = new CsvFile.Columns(COLUMNS, REQUIRED);

    /** The column of each field of {@link ShipmentInput}, so its errors name what the file calls it. */
    static final Map<String, String> COLUMN_OF = Map.ofEntries(Map.entry("reference", "reference"),
            Map.entry("title", "title"), Map.entry("customer.name", "customer_name"),
            Map.entry("customer.email", "customer_email"), Map.entry("customer.phone", "customer_phone"),
            Map.entry("customer.language", "customer_language"), Map.entry("shipFrom", "ship_from"),
            Map.entry("shipTo", "ship_to"), Map.entry("internal.stockNumber", "stock_number"),
            Map.entry("internal.vinSerial", "vin_serial"), Map.entry("internal.currency", "currency"),
            Map.entry("internal.cost", "cost"), Map.entry("internal.salePrice", "sale_price"),
            Map.entry("internal.paymentsReceived", "payments_received"), Map.entry("internal.notes", "internal_notes"),
            Map.entry("estimatedArrival", "estimated_arrival"));

    private ShipmentCsv() {
    }

    private static Map<String, String> stopColumns() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("name", "name");
        m.put("address", "address");
        m.put("latitude", "latitude");
        m.put("longitude", "longitude");
        m.put("zone", "zone");
        m.put("window_from", "windowFrom");
        m.put("window_to", "windowTo");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<String> columns() {
        List<String> out = new ArrayList<>(
                List.of("reference", "title", "customer_name", "customer_email", "customer_phone", "customer_language",
                        "ship_from", "ship_to", "stage", "estimated_arrival", "stock_number", "vin_serial", "currency",
                        "cost", "sale_price", "payments_received", "internal_notes", "pipeline"));
        for (String prefix : List.of(PICKUP, DELIVERY)) {
            STOP_COLUMNS.keySet().forEach(c -> out.add(prefix + c));
        }
        return List.copyOf(out);
    }

    /** The column of a field of a stop ({@code windowFrom} of the pickup: {@code pickup_window_from}). */
    static String stopColumn(String prefix, String field) {
        return STOP_COLUMNS.entrySet().stream().filter(e -> e.getValue().equals(field)).findFirst()
                .map(e -> prefix + e.getKey()).orElse(prefix + field);
    }

    /**
     * One shipment of a file: its row, its validated fields (null when they have problems, which are then in
     * {@link Parsed#errors}), the stage as written (null: the pipeline's first), the estimated arrival, and the pickup
     * and delivery stops the row gives (each null when all its cells are empty), the pipeline of a new shipment by name
     * as written (null: the default), which {@link ShipmentImport} resolves, and the estimated arrival's cell as
     * written ({@code 01/01/2027}), which a problem found with the date later quotes; the reference cell as written
     * (stripped, null when empty), even when refused, by which a refused row's stops are still checked against the
     * shipment it names.
     */
    public record Row(int row, ShipmentDraft draft, String stage, LocalDate estimatedArrival, Stop pickup,
            Stop delivery, String pipeline, String estimatedArrivalWritten, String referenceWritten) {

        public Row(int row, ShipmentDraft draft, String stage, LocalDate estimatedArrival) {
            this(row, draft, stage, estimatedArrival, null, null, null,
                    estimatedArrival == null ? null : estimatedArrival.toString(),
                    draft == null ? null : draft.reference());
        }
    }

    /**
     * A stop as a row gives it: the input for {@link ShipmentStops} (window ends already read under the file's
     * convention into ISO local date-times, coordinates with a decimal point; an empty zone stays empty, for the
     * importer to fill in), and each cell as written by the input's field name, so a problem quotes the file. The
     * column prefix ({@link #PICKUP}, {@link #DELIVERY}) names its columns.
     */
    public record Stop(String prefix, ShipmentStops.StopInput input, Map<String, String> written) {
    }

    /**
     * A whole file: its rows, every problem found in it (each with row and column), and the columns its header has (a
     * re-import compares only those with what is stored).
     */
    public record Parsed(List<Row> rows, List<ValidationException.FieldError> errors, java.util.Set<String> columns) {
    }

    /**
     * Reads a whole file; amounts and dates under {@code convention}. Never throws for bad input: the problems come
     * back with the rows, so that {@link ShipmentImport} reports them together with unknown stages and conflicts.
     */
    public static Parsed read(InputStream stream, PortlinkConfig.Import limits, Convention convention) {
        var errors = new ValidationException.Builder();
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> firstRow = new HashMap<>();
        java.util.Set<String> columns = new java.util.HashSet<>();
        CsvFile.read(stream, limits, HEADER, (cells, problems) -> {
            columns.addAll(cells.index().keySet());
            Row row = read(cells, limits, convention, problems);
            if (row.draft() != null) {
                Integer earlier = firstRow.putIfAbsent(row.draft().reference(), row.row());
                if (earlier != null) {
                    problems.add(row.row(), "reference",
                            "is also on row " + earlier
                                    + "; one row per shipment: remove one of them or give it another reference",
                            row.draft().reference());
                    return;
                }
            }
            rows.add(row);
        }, errors);
        if (errors.isEmpty() && rows.isEmpty()) {
            errors.add(2, "file", "has a header but no shipment rows", null);
        }
        return new Parsed(rows, List.copyOf(errors.errors()), java.util.Set.copyOf(columns));
    }

    private static Row read(CsvFile.Row cells, PortlinkConfig.Import limits, Convention convention,
            ValidationException.Builder errors) {
        int before = errors.size();
        var input = new ShipmentInput(cells.cell("reference"), cells.cell("title"),
                new ShipmentInput.CustomerInput(cells.cell("customer_name"), cells.cell("customer_email"),
                        cells.cell("customer_phone"), cells.cell("customer_language")),
                cells.cell("ship_from"), cells.cell("ship_to"),
                new ShipmentInput.InternalInput(cells.cell("stock_number"), cells.cell("vin_serial"),
                        cells.cell("currency"), cells.cell("cost"), cells.cell("sale_price"),
                        cells.cell("payments_received"), cells.cell("internal_notes")));
        ShipmentDraft draft = null;
        try {
            draft = input.toDraft(cells.number(), convention);
        } catch (ValidationException e) {
            for (var error : e.errors()) {
                errors.add(cells.number(), COLUMN_OF.getOrDefault(error.field(), error.field()), error.message(),
                        error.value());
            }
        }
        var f = new Fields(errors, cells.number(), limits.maxFieldLength(), convention);
        String stage = f.line("stage", cells.cell("stage"), false, 60);
        String pipeline = f.line("pipeline", cells.cell("pipeline"), false, Pipelines.NAME_MAX);
        String arrivalCell = cells.cell("estimated_arrival");
        LocalDate arrival = f.date("estimated_arrival", arrivalCell, false);
        Stop pickup = stop(cells, PICKUP, "PICKUP", f, convention);
        Stop delivery = stop(cells, DELIVERY, "DELIVERY", f, convention);
        String reference = cells.cell("reference");
        return new Row(cells.number(), errors.size() == before ? draft : null, stage, arrival, pickup, delivery,
                pipeline, arrival == null ? null : arrivalCell.strip(),
                reference == null || reference.isBlank() ? null : reference.strip());
    }

    /**
     * The stop a row's {@code prefix} columns give, or null when they are all empty (or absent). Only what a file
     * writes its own way is read here: a window's ends as the convention writes a date, then HH:MM
     * ({@link Fields#dateTime}); a coordinate with the file's decimal comma (52,52; degrees are never grouped in
     * thousands, so a point is read too); line breaks in an address as one kind. Every other rule is
     * {@link ShipmentStops}'s, applied by {@link ShipmentImport}.
     */
    private static Stop stop(CsvFile.Row cells, String prefix, String kind, Fields f, Convention convention) {
        Map<String, String> written = new java.util.LinkedHashMap<>();
        STOP_COLUMNS.forEach((column, field) -> {
            String cell = cells.cell(prefix + column);
            if (cell != null && !cell.isBlank()) {
                written.put(field, cell);
            }
        });
        if (written.isEmpty()) {
            return null;
        }
        java.time.LocalDateTime from = f.dateTime(prefix + "window_from", written.get("windowFrom"), false);
        java.time.LocalDateTime to = f.dateTime(prefix + "window_to", written.get("windowTo"), false);
        String address = written.get("address");
        var input = new ShipmentStops.StopInput(kind, written.get("name"),
                address == null ? null : address.replace("\r\n", "\n").replace('\r', '\n'),
                degrees(written.get("latitude"), convention), degrees(written.get("longitude"), convention),
                written.get("zone"), from == null ? null : from.toString(), to == null ? null : to.toString());
        return new Stop(prefix, input, Map.copyOf(written));
    }

    /** A coordinate with a decimal point, as {@link ShipmentStops} reads it; a decimal comma file may write 52,52. */
    private static String degrees(String cell, Convention convention) {
        if (cell == null || convention.decimal() != Convention.DecimalMark.COMMA) {
            return cell;
        }
        String v = cell.strip();
        return v.indexOf(',') == v.lastIndexOf(',') && v.indexOf('.') < 0 ? v.replace(',', '.') : v;
    }

    /**
     * A template file: the header and one example shipment at {@code stage} (the first stage of the organisation's
     * pipeline), written as this convention writes numbers and dates (with a decimal comma, semicolons between cells).
     * Importable as it is; {@code year} is the year of the example's estimated arrival (20 December, unambiguous) and
     * of its stops' windows (pickup 20 October in Asia/Tokyo, delivery 20 December in Europe/London).
     */
    public static String template(Convention convention, String currency, int year, String stage) {
        boolean comma = convention.decimal() == Convention.DecimalMark.COMMA;
        char mark = convention.decimal().mark;
        String cost = "41" + convention.decimal().group + "250" + mark + "5";
        String sale = "48" + convention.decimal().group + "900";
        String pickupDay = convention.write(java.time.LocalDate.of(year, 10, 20));
        String deliveryDay = convention.write(java.time.LocalDate.of(year, 12, 20));
        List<String> example = new ArrayList<>(List.of("SH-EXAMPLE-1", "2019 Toyota Land Cruiser 300", "Alex Example",
                "alex@customer.example", "+44 20 7946 0000", "en", "Yokohama port, Japan",
                "12 Harbour Road\nSouthampton SO14 3GG", stage, deliveryDay, "STK-1042", "JTMHV05J604123456", currency,
                cost, sale, "5000", "Deposit paid; balance on arrival", ""));
        example.addAll(List.of("Daikoku Pier", "Daikoku Pier, Tsurumi-ku\nYokohama, Japan", "35" + mark + "4606",
                "139" + mark + "6794", "Asia/Tokyo", pickupDay + " 08:00", pickupDay + " 17:00"));
        example.addAll(List.of("Harbour Road depot", "12 Harbour Road\nSouthampton SO14 3GG", "50" + mark + "8998",
                "-1" + mark + "4044", "Europe/London", deliveryDay + " 09:00", deliveryDay + " 12:00"));
        return CsvFile.write(List.of(COLUMNS, example), comma ? ';' : ',');
    }
}
