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

    /** Every column, in the template's order; each but stage and estimated_arrival is one field of the input. */
    public static final List<String> COLUMNS = List.of("reference", "title", "customer_name", "customer_email",
            "customer_phone", "customer_language", "ship_from", "ship_to", "stage", "estimated_arrival", "stock_number",
            "vin_serial", "currency", "cost", "sale_price", "payments_received", "internal_notes");
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

    /**
     * One shipment of a file: its row, its validated fields (null when they have problems, which are then in
     * {@link Parsed#errors}), the stage as written (null: the pipeline's first) and the estimated arrival.
     */
    public record Row(int row, ShipmentDraft draft, String stage, LocalDate estimatedArrival) {
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
        LocalDate arrival = f.date("estimated_arrival", cells.cell("estimated_arrival"), false);
        return new Row(cells.number(), errors.size() == before ? draft : null, stage, arrival);
    }

    /**
     * A template file: the header and one example shipment at {@code stage} (the first stage of the organisation's
     * pipeline), written as this convention writes numbers and dates (with a decimal comma, semicolons between cells).
     * Importable as it is; {@code year} is the year of the example's estimated arrival (20 December, unambiguous).
     */
    public static String template(Convention convention, String currency, int year, String stage) {
        boolean comma = convention.decimal() == Convention.DecimalMark.COMMA;
        String date = switch (convention.dates()) {
        case DAY_FIRST -> "20/12/" + year;
        case MONTH_FIRST -> "12/20/" + year;
        case YEAR_FIRST -> year + "-12-20";
        };
        String cost = "41" + convention.decimal().group + "250" + convention.decimal().mark + "5";
        String sale = "48" + convention.decimal().group + "900";
        List<String> example = List.of("SH-EXAMPLE-1", "2019 Toyota Land Cruiser 300", "Alex Example",
                "alex@customer.example", "+44 20 7946 0000", "en", "Yokohama port, Japan",
                "12 Harbour Road\nSouthampton SO14 3GG", stage, date, "STK-1042", "JTMHV05J604123456", currency, cost,
                sale, "5000", "Deposit paid; balance on arrival");
        return CsvFile.write(List.of(COLUMNS, example), comma ? ';' : ',');
    }
}
